package io.kava.store.memory;

import io.kava.store.Store;
import io.kava.store.StoreContractTest;
import java.nio.file.Path;

class MemoryStoreTest extends StoreContractTest {
  @Override
  protected Store newStore(Path dir) {
    return new MemoryStore();
  }
}
