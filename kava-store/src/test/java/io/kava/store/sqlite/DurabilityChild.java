package io.kava.store.sqlite;

import io.kava.store.KeyValue;
import io.kava.store.Store;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Run by {@link SqliteDurabilityTest} in a child JVM: creates keys from several threads forever and prints
 * {@code ACK <key> <modRevision>} for each create only after {@link Store#create} returned. The parent kills it
 * with SIGKILL at some point and checks that every acknowledged key is in the file.
 *
 * <p>Arguments: db file, {@link SqliteStore.Sync} name, number of threads.
 */
public final class DurabilityChild {
  private DurabilityChild() {}

  /** The value written under {@code key}: recognisable and JSON-sized. */
  static byte[] valueOf(String key) {
    return ("{\"key\":\"" + key + "\",\"pad\":\"" + "p".repeat(1500) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    SqliteStore.Sync sync = SqliteStore.Sync.valueOf(args[1]);
    int threads = Integer.parseInt(args[2]);
    Store store = new SqliteStore(db, SqliteStore.Options.defaults().withSync(sync));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    ReentrantLock outLock = new ReentrantLock();
    for (int t = 0; t < threads; t++) {
      int tt = t;
      Thread.ofPlatform().start(() -> {
        for (int i = 0; ; i++) {
          String key = "/durable/t" + tt + "/" + i;
          KeyValue kv = store.create(key, valueOf(key)).orElseThrow();
          outLock.lock();
          try {
            out.println("ACK " + key + " " + kv.modRevision());
            out.flush();
          } finally {
            outLock.unlock();
          }
        }
      });
    }
    Thread.sleep(Long.MAX_VALUE); // until killed
  }
}
