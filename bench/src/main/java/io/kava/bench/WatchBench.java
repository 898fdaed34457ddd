package io.kava.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Watch fan-out: opens {@code watchers} watches on one (empty) namespace, then creates {@code events} ConfigMaps at a
 * fixed rate and records, at every watcher, when each ADDED event arrives. Latency per delivery is measured from the
 * moment the create's response was read (and, for reference, from the moment the create was sent).
 */
final class WatchBench {
  /** Marks the names of the objects this phase creates; the watcher finds the sequence number after it. */
  static final String MARKER = "kava-bench-w-";
  private static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);
  /** The first object created once the watches are open. */
  static final String SENTINEL = "kava-bench-sentinel";
  private static final byte[] SENTINEL_BYTES = SENTINEL.getBytes(StandardCharsets.US_ASCII);

  record Result(int watchers, int connected, long openNanos, int events, long expected, long delivered, long late,
                Samples fromAck, Samples fromSend, long earlyDeliveries, String transport, int endedEarly, String firstError) {}

  private WatchBench() {}

  /**
   * @param warmupEvents created first at the same rate and left out of the figures (the fan-out path gets compiled)
   */
  static Result run(Vertx vertx, Endpoint ep, HttpClientAgent api, String namespace, int watchers, int warmupEvents, int measuredEvents,
                    double rate, int openParallelism) throws InterruptedException {
    int events = warmupEvents + measuredEvents;
    Watcher[] ws = new Watcher[watchers];
    AtomicLong deliveries = new AtomicLong();
    AtomicInteger live = new AtomicInteger();
    for (int i = 0; i < watchers; i++) ws[i] = new Watcher(deliveries, live);
    String uri = Api.configMapsPath(namespace) + "?watch=true&timeoutSeconds=1800";

    // 1. open the watches, a bounded number of handshakes at a time
    HttpClientAgent streamClient = ep.websocketWatch() ? null : Clients.http(vertx, ep, Clients.Protocol.H1, watchers + 8, 1, 2);
    WebSocketClient wsClient = ep.websocketWatch() ? Clients.webSocket(vertx, ep, watchers + 8) : null;
    AtomicInteger nextToOpen = new AtomicInteger();
    AtomicInteger connected = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    CountDownLatch opened = new CountDownLatch(watchers);
    long openStart = System.nanoTime();
    Runnable[] openNext = new Runnable[1];
    openNext[0] = () -> {
      int i = nextToOpen.getAndIncrement();
      if (i >= watchers) return;
      Future<Void> f = ep.websocketWatch() ? openWebSocket(wsClient, ep, uri, ws[i]) : openStream(streamClient, uri, ws[i], firstError);
      f.onComplete(ar -> {
        if (ar.succeeded()) connected.incrementAndGet();
        else firstError.compareAndSet(null, "watch " + i + ": " + ar.cause());
        opened.countDown();
        openNext[0].run();
      });
    };
    for (int i = 0; i < Math.min(openParallelism, watchers); i++) openNext[0].run();
    if (!opened.await(5, TimeUnit.MINUTES)) throw new IllegalStateException("watches did not open in 5 minutes");
    // a sentinel object: once every watcher has seen it, every watch is registered (and the fan-out path is warm)
    LoadRunner.Reply sentinel = Api.create(api, namespace, SENTINEL).await();
    if (sentinel.status() != 201) throw new IllegalStateException("creating the sentinel: HTTP " + sentinel.status());
    long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (live.get() < connected.get() && System.nanoTime() < readyBy) Thread.sleep(5);
    long openNanos = System.nanoTime() - openStart;
    if (live.get() < connected.get()) {
      firstError.compareAndSet(null, (connected.get() - live.get()) + " watches never delivered the sentinel event");
    }
    Thread.sleep(500);

    // 2. create the objects at a fixed rate
    long[] sent = new long[events];
    long[] acked = new long[events];
    Arrays.fill(acked, -1);
    CountDownLatch created = new CountDownLatch(events);
    long period = (long) (1e9 / rate);
    long t0 = System.nanoTime();
    for (int i = 0; i < events; i++) {
      long at = t0 + i * period;
      long wait;
      while ((wait = at - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
      int seq = i;
      sent[seq] = System.nanoTime();
      Api.create(api, namespace, MARKER + seq).onComplete(ar -> {
        if (ar.succeeded() && ar.result().status() == 201) acked[seq] = System.nanoTime();
        else firstError.compareAndSet(null, "create " + seq + ": " + (ar.succeeded() ? "HTTP " + ar.result().status() : ar.cause()));
        created.countDown();
      });
    }
    created.await(2, TimeUnit.MINUTES);

    // 3. wait for every delivery (or give up 30 s after the last create)
    long expectedAll = (long) connected.get() * events;
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (deliveries.get() < expectedAll && System.nanoTime() < giveUp) Thread.sleep(20);
    long expected = (long) connected.get() * measuredEvents;
    long delivered = 0;

    // 4. close the watches, then compute (the watchers' arrays are no longer written)
    int endedEarly = 0;
    String endReason = null;
    for (Watcher w : ws) {
      w.measuring = false;
      if (w.endedBecause != null) {
        endedEarly++;
        if (endReason == null) endReason = w.endedBecause;
      }
    }
    if (endedEarly > 0) firstError.compareAndSet(null, endedEarly + " watches ended during the phase (" + endReason + ")");
    if (streamClient != null) streamClient.close().await();
    if (wsClient != null) wsClient.close().await();
    int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, deliveries.get()));
    Samples fromAck = new Samples(capacity);
    Samples fromSend = new Samples(capacity);
    long early = 0;
    long late = 0;
    for (Watcher w : ws) {
      synchronized (w) {
        for (int k = 0; k < w.count; k++) {
          int seq = w.seqs[k];
          long recv = w.times[k];
          if (seq < warmupEvents || seq >= events) continue;
          delivered++;
          fromSend.add(recv - sent[seq]);
          if (acked[seq] < 0) {
            late++;
            continue;
          }
          long d = recv - acked[seq];
          if (d < 0) {
            early++;
            d = 0;
          }
          fromAck.add(d);
        }
      }
    }
    String transport = ep.websocketWatch() ? "WebSocket" : "HTTP/1.1 chunked stream";
    return new Result(watchers, connected.get(), openNanos, measuredEvents, expected, delivered, late, fromAck, fromSend, early, transport,
        endedEarly, firstError.get());
  }

  /**
   * Sends the watch request. The watch counts as open once the request is written: a server need not send its response
   * headers before the first event (kava does not), so the caller waits for a sentinel event instead.
   */
  private static Future<Void> openStream(HttpClientAgent client, String uri, Watcher w, AtomicReference<String> firstError) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri).setIdleTimeout(0)
        .putHeader("Accept", "application/json").putHeader("User-Agent", "kava-bench");
    return client.request(o).compose(req -> {
      req.response().onComplete(ar -> {
        if (ar.failed()) {
          firstError.compareAndSet(null, "watch: " + ar.cause());
          return;
        }
        var resp = ar.result();
        if (resp.statusCode() != 200) {
          resp.body().onSuccess(b -> firstError.compareAndSet(null, "watch: HTTP " + resp.statusCode() + ": " + b));
          return;
        }
        resp.handler(RecordParser.newDelimited("\n", w::onEvent));
        resp.exceptionHandler(e -> w.ended("error: " + e));
        resp.endHandler(v -> w.ended("the server ended the response"));
      });
      return req.end();
    });
  }

  private static Future<Void> openWebSocket(WebSocketClient client, Endpoint ep, String uri, Watcher w) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(ep.host()).setPort(ep.port()).setSsl(ep.tls()).setURI(uri)
        .addHeader("User-Agent", "kava-bench");
    Promise<Void> p = Promise.promise();
    client.connect(o).onComplete(ar -> {
      if (ar.failed()) {
        p.fail(ar.cause());
        return;
      }
      WebSocket s = ar.result();
      s.textMessageHandler(text -> w.onEvent(Buffer.buffer(text)));
      s.binaryMessageHandler(w::onEvent);
      s.exceptionHandler(e -> w.ended("error: " + e));
      s.closeHandler(v -> w.ended("the server closed the WebSocket"));
      p.complete();
    });
    return p.future();
  }

  /** One watch: (sequence, arrival time) of every event, written by the connection's event loop. */
  static final class Watcher {
    private final AtomicLong deliveries;
    private final AtomicInteger live;
    private boolean sawSentinel;
    volatile String endedBecause;
    volatile boolean measuring = true;
    int[] seqs = new int[64];
    long[] times = new long[64];
    int count;

    Watcher(AtomicLong deliveries, AtomicInteger live) {
      this.deliveries = deliveries;
      this.live = live;
    }

    void ended(String why) {
      if (measuring && endedBecause == null) endedBecause = why;
    }

    synchronized void onEvent(Buffer event) {
      long now = System.nanoTime();
      if (!sawSentinel && indexOf(event, SENTINEL_BYTES) >= 0) {
        sawSentinel = true;
        live.incrementAndGet();
        return;
      }
      int seq = sequenceOf(event);
      if (seq < 0) return; // bookmarks, or objects this phase did not create
      if (count == seqs.length) {
        seqs = Arrays.copyOf(seqs, count * 2);
        times = Arrays.copyOf(times, count * 2);
      }
      seqs[count] = seq;
      times[count] = now;
      count++;
      deliveries.incrementAndGet();
    }
  }

  static int indexOf(Buffer b, byte[] needle) {
    int n = b.length();
    int m = needle.length;
    outer:
    for (int i = 0; i + m <= n; i++) {
      for (int j = 0; j < m; j++) if (b.getByte(i + j) != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** The number after {@link #MARKER} in a watch event, or -1. */
  static int sequenceOf(Buffer event) {
    int i = indexOf(event, MARKER_BYTES);
    if (i < 0) return -1;
    int n = event.length();
    int v = 0;
    boolean any = false;
    for (int k = i + MARKER_BYTES.length; k < n; k++) {
      byte b = event.getByte(k);
      if (b < '0' || b > '9') break;
      v = v * 10 + (b - '0');
      any = true;
    }
    return any ? v : -1;
  }

}
