package io.kava.store.bench;

import io.kava.store.KeyValue;
import io.kava.store.RangeResult;
import io.kava.store.Store;
import io.kava.store.memory.MemoryStore;
import io.kava.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A by-hand throughput check (not a test): txn creates/s with 1 and 16 concurrent callers (virtual threads, as in
 * the API server), updates/s with 16 callers, range latency over 10k keys, and reopen time.
 *
 * <pre>
 * java -cp kava-store/target/classes:kava-store/target/test-classes:$(cat cp.txt) \
 *     io.kava.store.bench.StoreThroughput [memory|sqlite-full|sqlite-normal ...]
 * </pre>
 */
public final class StoreThroughput {
  private static final int VALUES = 64;
  private static final byte[][] JSON = new byte[VALUES][];

  static {
    Random r = new Random(1);
    for (int i = 0; i < VALUES; i++) {
      int size = 1000 + r.nextInt(4000); // 1-5 KB, like Kubernetes objects
      StringBuilder sb = new StringBuilder("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"spec\":\"");
      while (sb.length() < size - 2) sb.append((char) ('a' + r.nextInt(26)));
      JSON[i] = sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> kinds = args.length == 0 ? List.of("memory", "sqlite-full", "sqlite-normal") : List.of(args);
    for (String kind : kinds) run(kind);
  }

  private static void run(String kind) throws Exception {
    Path dir = Files.createTempDirectory("kava-bench");
    Supplier<Store> open = switch (kind) {
      case "memory" -> MemoryStore::new;
      case "sqlite-full" -> () -> new SqliteStore(dir.resolve("kava.db"),
          SqliteStore.Options.defaults().withSync(SqliteStore.Sync.FULL));
      case "sqlite-normal" -> () -> new SqliteStore(dir.resolve("kava.db"),
          SqliteStore.Options.defaults().withSync(SqliteStore.Sync.NORMAL));
      default -> throw new IllegalArgumentException(kind);
    };
    System.out.println("== " + kind);
    Store store = open.get();
    // warm-up, then measure
    creates(store, "/warm/", 1, 2000);
    creates(store, "/warm16/", 16, 5000);
    last = store instanceof SqliteStore s ? s.writerStats() : null;
    report(store, "create, 1 caller  ", creates(store, "/registry/apps/deployments/one/", 1, kind.equals("memory") ? 50_000 : 5_000));
    report(store, "create, 16 callers", creates(store, "/registry/apps/deployments/many/", 16, kind.equals("memory") ? 200_000 : 40_000));
    report(store, "create, 64 callers", creates(store, "/registry/apps/deployments/sixtyfour/", 64, kind.equals("memory") ? 200_000 : 40_000));
    report(store, "update, 16 callers", updates(store, "/registry/apps/deployments/many/", 16, kind.equals("memory") ? 200_000 : 40_000));

    String prefix = "/registry/configmaps/big/";
    creates(store, prefix, 16, 10_000);
    long[] nanos = new long[20];
    RangeResult r = null;
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      r = store.rangePrefix(prefix, 0);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf("  range %d keys: median %.1f ms, min %.1f ms%n", r.kvs().size(), nanos[nanos.length / 2] / 1e6,
        nanos[0] / 1e6);
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      r = store.rangePrefix(prefix, 500);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf("  range limit 500 of %d: median %.2f ms%n", r.count(), nanos[nanos.length / 2] / 1e6);
    long t0 = System.nanoTime();
    int gets = 20_000;
    for (int i = 0; i < gets; i++) store.get(prefix + "k" + (i % 10_000)).orElseThrow();
    System.out.printf("  get (1 caller, platform thread): %.1f us%n", (System.nanoTime() - t0) / 1e3 / gets);
    long rev = store.currentRevision();
    Path wal = dir.resolve("kava.db-wal");
    if (Files.exists(wal)) System.out.printf("  WAL at the end: %d MB%n", Files.size(wal) >> 20);
    store.close();
    if (!kind.equals("memory")) {
      long keysNow;
      long t1 = System.nanoTime();
      store = open.get();
      long openNanos = System.nanoTime() - t1;
      keysNow = store.rangePrefix("", 1).count();
      System.out.printf("  reopen with %d keys at revision %d: %.0f ms (db %d MB)%n", keysNow, rev, openNanos / 1e6,
          Files.size(dir.resolve("kava.db")) >> 20);
      store.close();
    }
  }

  private static SqliteStore.WriterStats last;

  private static void report(Store store, String what, double perSecond) {
    String stats = "";
    if (store instanceof SqliteStore s) {
      SqliteStore.WriterStats now = s.writerStats();
      stats = "   [" + (last == null ? now : now.minus(last)) + "]";
      last = now;
    }
    System.out.printf("  %s: %,.0f txn/s%s%n", what, perSecond, stats);
  }

  private static double creates(Store store, String prefix, int callers, int total) throws Exception {
    AtomicLong next = new AtomicLong();
    return drive(callers, () -> {
      long i;
      while ((i = next.getAndIncrement()) < total) {
        store.create(prefix + "k" + i, JSON[(int) (i % VALUES)]).orElseThrow();
      }
    }, total);
  }

  /** Each caller updates its own keys (read the revision once, then compare-and-swap on it). */
  private static double updates(Store store, String prefix, int callers, int total) throws Exception {
    AtomicLong next = new AtomicLong();
    int keys = 1000;
    long[] mod = new long[keys];
    for (int k = 0; k < keys; k++) mod[k] = store.get(prefix + "k" + k).orElseThrow().modRevision();
    return drive(callers, () -> {
      long i;
      while ((i = next.getAndIncrement()) < total) {
        int k = (int) (i % keys);
        synchronized (mod) { } // keeps mod[] visibility simple; negligible next to a txn
        KeyValue kv;
        while (true) {
          long expected;
          synchronized (mod) { expected = mod[k]; }
          var r = store.update(prefix + "k" + k, JSON[(int) (i % VALUES)], expected);
          if (r.isPresent()) { kv = r.get(); break; }
          expected = store.get(prefix + "k" + k).orElseThrow().modRevision();
          synchronized (mod) { mod[k] = Math.max(mod[k], expected); }
        }
        synchronized (mod) { mod[k] = Math.max(mod[k], kv.modRevision()); }
      }
    }, total);
  }

  private static double drive(int callers, Runnable work, int total) throws Exception {
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < callers; c++) fs.add(pool.submit(work));
      for (Future<?> f : fs) f.get();
    }
    return total / ((System.nanoTime() - t0) / 1e9);
  }
}
