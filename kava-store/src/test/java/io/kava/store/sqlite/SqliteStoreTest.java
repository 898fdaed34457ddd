package io.kava.store.sqlite;

import io.kava.store.Store;
import io.kava.store.StoreContractTest;
import java.nio.file.Path;

class SqliteStoreTest extends StoreContractTest {
  @Override
  protected Store newStore(Path dir) {
    return new SqliteStore(dir.resolve("kava.db"));
  }

  @Override
  protected boolean persistent() { return true; }
}
