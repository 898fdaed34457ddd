package io.kava.bench;

import io.kava.api.json.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * One watch on the pods of a namespace that records, per pod name, when this process first saw it bound to a node
 * (spec.nodeName set) and first saw it Running with the Ready condition True. Times are System.nanoTime() on arrival of
 * the watch event, so they include the watch delivery to this client.
 */
final class PodTracker implements AutoCloseable {
  /** Arrival times, 0 until seen. */
  static final class Seen {
    volatile long bound;
    volatile long running;
  }

  private final Map<String, Seen> pods = new ConcurrentHashMap<>();
  private final AtomicLong boundCount = new AtomicLong();
  private final AtomicLong runningCount = new AtomicLong();
  private final AtomicLong lastBound = new AtomicLong();
  private final AtomicLong lastRunning = new AtomicLong();
  private final AtomicReference<String> error = new AtomicReference<>();
  private volatile long lastEvent = System.nanoTime();
  private final HttpClientAgent client;

  private final String namespace;
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicReference<String> firstEnd = new AtomicReference<>();
  private volatile String lastRv;
  private volatile boolean closed;
  private volatile boolean gone;

  private PodTracker(HttpClientAgent client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * Opens the watch (from now: the namespace should be empty) and returns once the server has sent its headers. A watch
   * the server ends is resumed from the last resourceVersion seen, as a reflector does.
   */
  static PodTracker open(HttpClientAgent client, String namespace) {
    PodTracker t = new PodTracker(client, namespace);
    try {
      t.connect(null).await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("pod watch: no response headers in 60 s");
    }
    return t;
  }

  private Future<Void> connect(String fromRv) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET)
        .setURI("/api/v1/namespaces/" + namespace + "/pods?watch=true&timeoutSeconds=7200"
            + (fromRv == null ? "" : "&resourceVersion=" + fromRv))
        .setIdleTimeout(0).putHeader("Accept", "application/json").putHeader("User-Agent", "kava-bench");
    return client.request(o).compose(req -> req.send()).map(resp -> {
      if (resp.statusCode() != 200) throw new IllegalStateException("pod watch: HTTP " + resp.statusCode());
      resp.handler(RecordParser.newDelimited("\n", this::onEvent));
      resp.exceptionHandler(e -> ended("error " + e));
      resp.endHandler(v -> ended("ended by the server"));
      return null;
    });
  }

  private void ended(String why) {
    if (closed) return;
    String rv = lastRv;
    if (reconnects.incrementAndGet() > 1000 || rv == null) {
      error.compareAndSet(null, "pod watch " + why + " (" + reconnects.get() + " reconnects)");
      return;
    }
    firstEnd.compareAndSet(null, why);
    if (gone) {
      // 410 Gone: the resourceVersion left the server's window; list (recording what it shows) and watch from there
      gone = false;
      relist().onFailure(e -> error.compareAndSet(null, "pod watch: relisting failed: " + e));
    } else {
      connect(rv).onFailure(e -> error.compareAndSet(null, "pod watch: resuming failed: " + e));
    }
  }

  private Future<Void> relist() {
    return Api.fetch(client, HttpMethod.GET, "/api/v1/namespaces/" + namespace + "/pods", null, null).compose(r -> {
      if (r.status() != 200) return Future.failedFuture("HTTP " + r.status());
      long now = System.nanoTime();
      JsonNode list = Json.parse(r.body().getBytes());
      for (JsonNode pod : list.path("items")) record(pod, now);
      String rv = list.path("metadata").path("resourceVersion").asString("");
      lastRv = rv;
      return connect(rv);
    });
  }

  /** How often the watch was resumed, and why it ended the first time. */
  String reconnects() { return reconnects.get() == 0 ? "" : reconnects.get() + " watch resumptions (first: " + firstEnd.get() + ")"; }

  private void onEvent(Buffer line) {
    long now = System.nanoTime();
    lastEvent = now;
    if (line.length() == 0) return;
    JsonNode e;
    try {
      e = Json.parse(line.getBytes());
    } catch (RuntimeException bad) {
      error.compareAndSet(null, "unreadable watch event: " + bad);
      return;
    }
    String type = e.path("type").asString("");
    JsonNode pod = e.path("object");
    if (type.equals("ERROR")) {
      if (pod.path("code").asInt() == 410) gone = true;
      return;
    }
    String rv = pod.path("metadata").path("resourceVersion").asString("");
    if (!rv.isEmpty()) lastRv = rv;
    if (!type.equals("ADDED") && !type.equals("MODIFIED")) return;
    record(pod, now);
  }

  private void record(JsonNode pod, long now) {
    String name = pod.path("metadata").path("name").asString("");
    Seen s = pods.computeIfAbsent(name, n -> new Seen());
    if (s.bound == 0 && !pod.path("spec").path("nodeName").asString("").isEmpty()) {
      s.bound = now;
      boundCount.incrementAndGet();
      lastBound.accumulateAndGet(now, Math::max);
    }
    if (s.running == 0 && pod.path("status").path("phase").asString("").equals("Running") && ready(pod)) {
      s.running = now;
      runningCount.incrementAndGet();
      lastRunning.accumulateAndGet(now, Math::max);
    }
  }

  private static boolean ready(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asString("").equals("Ready")) return c.path("status").asString("").equals("True");
    }
    return false;
  }

  Seen seen(String name) { return pods.get(name); }

  long bound() { return boundCount.get(); }

  long running() { return runningCount.get(); }

  long lastBound() { return lastBound.get(); }

  long lastRunning() { return lastRunning.get(); }

  String error() { return error.get(); }

  /** Seconds since the watch last delivered a line (or since it was opened): tells a stalled watch from a slow cluster. */
  double secondsSinceLastEvent() { return (System.nanoTime() - lastEvent) / 1e9; }

  /** Waits until {@code n} pods are Running and Ready (or the timeout passes); returns how many are. */
  long awaitRunning(long n, long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (runningCount.get() < n && System.nanoTime() < deadline && error.get() == null) Thread.sleep(20);
    return runningCount.get();
  }

  @Override
  public void close() {
    closed = true;
    client.close().await();
  }
}
