package io.kava.testing.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import io.kava.testing.KavaCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * A watch never goes silent: a client that stops reading either gets every event once it reads again, or (when it
 * lagged more than the server's limit, 128 MiB of live events) the events up to some point followed by the end of the
 * response, and then resumes from the last resourceVersion it saw without missing one; a resumption from a
 * resourceVersion the server no longer holds gets an ERROR 410 and the end. Over TLS, HTTP/1.1 (chunked, as the
 * benchmark's tracker and fabric8) and HTTP/2 (client-go, kubectl), with a Vert.x client that pauses its response.
 */
@Tag("e2e")
class SlowWatchClientE2ETest {
  /** Large ConfigMaps, so that the server's lag limit is passed with a few hundred creates. */
  static final int PAYLOAD = 512 * 1024;
  /** Under the lag limit even with the sockets' buffers full: the stalled client must get them all, without an end. */
  static final int BELOW_LIMIT = 40;
  /** 150 MiB more: past the 128 MiB limit plus whatever the sockets and Netty hold. */
  static final int PAST_LIMIT = 300;
  static final String GRACE_PROPERTY = "kava.watch.slowClientGraceMillis";

  enum Protocol { HTTP_1_1, HTTP_2 }

  static KavaCluster cluster;
  static Vertx vertx;
  static Context loop;
  static HttpClientAgent writer;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    writer = client(Protocol.HTTP_1_1, 8);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) vertx.close().await();
    if (cluster != null) cluster.close();
  }

  static HttpClientAgent client(Protocol protocol, int connections) {
    HttpClientOptions o = new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(cluster.server().port())
        .setSsl(true).setVerifyHost(false).setKeepAlive(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(cluster.server().pki().caCertFile().toString()))
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cluster.server().pki().adminCertFile().toString())
            .setKeyPath(cluster.server().pki().adminKeyFile().toString()));
    if (protocol == Protocol.HTTP_2) {
      o.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2));
    } else {
      o.setProtocolVersion(HttpVersion.HTTP_1_1).setUseAlpn(false);
    }
    return vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(connections).setHttp2MaxSize(connections));
  }

  record Reply(int status, JsonNode body) {}

  /**
   * Starts a client call on a Vert.x context. Started from a plain thread, the callback that sets a response's
   * handlers can run after the event loop has already delivered the body (seen here: a 201 with content-length 417
   * whose {@code body()} was empty), which for a watch means lost events.
   */
  static <T> Future<T> onLoop(Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    loop.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  static <T> T await(Future<T> f, long seconds) {
    try {
      return f.await(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in " + seconds + " s", e);
    }
  }

  static Reply call(HttpMethod method, String uri, String body) {
    return await(onLoop(() -> writer.request(new RequestOptions().setMethod(method).setURI(uri)
            .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json"))
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), Json.parse(b.getBytes()))))), 120);
  }

  static String namespace(String name) {
    Reply r = call(HttpMethod.POST, "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return name;
  }

  /** The resourceVersion of a list of the namespace's ConfigMaps, once the root CA publisher has added its own. */
  static String listRevision(String ns) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Reply r = call(HttpMethod.GET, "/api/v1/namespaces/" + ns + "/configmaps", null);
      assertThat(r.status()).isEqualTo(200);
      for (JsonNode item : r.body().path("items")) {
        if (item.path("metadata").path("name").asString("").equals("kube-root-ca.crt")) {
          return r.body().path("metadata").path("resourceVersion").asString();
        }
      }
      assertThat(System.nanoTime()).as("kube-root-ca.crt in " + ns).isLessThan(deadline);
      sleep(100);
    }
  }

  static final Pattern RESOURCE_VERSION = Pattern.compile("\"resourceVersion\":\"(\\d+)\"");

  /**
   * Creates ConfigMaps {@code prefix-from} … {@code prefix-(to-1)}, a few at a time; returns their names in the order
   * of their resourceVersions (the order a watch reports them in).
   */
  static List<String> create(String ns, String prefix, int from, int to, int payload) {
    String data = "x".repeat(payload);
    record Created(String name, long rv) {}
    List<Created> created = new ArrayList<>();
    List<Future<Created>> inFlight = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String name = prefix + "-" + i;
      String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
          + "\"data\":{\"payload\":\"" + data + "\"}}";
      inFlight.add(onLoop(() -> writer.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setURI("/api/v1/namespaces/" + ns + "/configmaps").putHeader("Content-Type", "application/json"))
          .compose(req -> req.send(json))
          .compose(resp -> resp.body().map(b -> {
            assertThat(resp.statusCode()).as(name).isEqualTo(201);
            // the created object's resourceVersion, without parsing the whole payload back
            String head = b.getString(0, Math.min(b.length(), 2048));
            Matcher m = RESOURCE_VERSION.matcher(head);
            assertThat(m.find()).as("resourceVersion in the 201 of " + name + " (" + b.length() + " bytes, " + resp.version() + ", "
                + resp.headers().entries() + "): " + head).isTrue();
            return new Created(name, Long.parseLong(m.group(1)));
          }))));
      if (inFlight.size() == 8 || i == to - 1) {
        for (Future<Created> f : inFlight) created.add(await(f, 120));
        inFlight.clear();
      }
    }
    return created.stream().sorted(Comparator.comparingLong(Created::rv)).map(Created::name).toList();
  }

  /** One watch response as the client reads it: its events (type, name, resourceVersion) and how it ended. */
  static final class WatchStream {
    record Event(String type, String name, long rv, int code) {}

    final List<Event> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> ended = new CompletableFuture<>();
    volatile HttpClientResponse response;

    static WatchStream open(HttpClientAgent client, String ns, String fromRv, boolean paused) {
      WatchStream w = new WatchStream();
      await(onLoop(() -> client.request(new RequestOptions().setMethod(HttpMethod.GET).setIdleTimeout(0).putHeader("Accept", "application/json")
              .setURI("/api/v1/namespaces/" + ns + "/configmaps?watch=true&timeoutSeconds=1800&resourceVersion=" + fromRv))
          .compose(req -> req.send())
          .map(resp -> {
            assertThat(resp.statusCode()).isEqualTo(200);
            w.response = resp;
            // Set on the request's context as the headers are delivered, before any of the body is (see onLoop).
            if (paused) resp.pause();
            resp.handler(RecordParser.newDelimited("\n", w::onLine));
            resp.endHandler(v -> w.ended.complete("end"));
            resp.exceptionHandler(e -> w.ended.complete("error: " + e));
            return w;
          })), 60);
      return w;
    }

    private void onLine(Buffer line) {
      if (line.length() == 0) return;
      JsonNode e = Json.parse(line.getBytes());
      JsonNode o = e.path("object");
      events.add(new Event(e.path("type").asString(""), o.path("metadata").path("name").asString(""),
          Long.parseLong(o.path("metadata").path("resourceVersion").asString("0")), o.path("code").asInt(0)));
    }

    void resume() { response.resume(); }

    void pause() { response.pause(); }

    long lastRv() { return events.isEmpty() ? 0 : events.getLast().rv(); }

    List<String> names() { return events.stream().map(Event::name).toList(); }
  }

  static void awaitEvents(WatchStream w, int n, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (w.events.size() < n && !w.ended.isDone() && System.nanoTime() < deadline) sleep(50);
    assertThat(w.events).as(what).hasSizeGreaterThanOrEqualTo(n);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aStalledWatchGetsEveryEventOrAnEndItCanResumeFrom(Protocol protocol) throws Exception {
    String ns = namespace("slow-watch-" + protocol.name().toLowerCase().replace('_', '-'));
    HttpClientAgent client = client(protocol, 2);
    try {
      String rv = listRevision(ns);
      WatchStream w = WatchStream.open(client, ns, rv, true);

      // Lagging behind by less than the limit: nothing is lost and the watch stays open.
      List<String> small = create(ns, "small-lag", 0, BELOW_LIMIT, PAYLOAD);
      w.resume();
      awaitEvents(w, BELOW_LIMIT, "events of a client that lagged " + BELOW_LIMIT / 2 + " MiB");
      assertThat(w.names()).containsExactlyElementsOf(small);
      assertThat(w.events).allMatch(e -> e.type().equals("ADDED"));
      assertThat(w.ended).isNotDone();

      // Lagging behind by more than the limit: the server gives up on this response, and says so by ending it.
      w.pause();
      List<String> big = create(ns, "big-lag", 0, PAST_LIMIT, PAYLOAD);
      w.resume();
      String how = w.ended.get(180, TimeUnit.SECONDS);
      assertThat(how).isEqualTo("end");
      List<String> got = w.names().subList(BELOW_LIMIT, w.events.size());
      assertThat(got.size()).as("the server ended the watch before the last event (its lag limit was passed)").isLessThan(PAST_LIMIT);
      assertThat(got).containsExactlyElementsOf(big.subList(0, got.size()));

      // A reflector resumes from the last resourceVersion it saw and gets the rest, each once, in order.
      WatchStream resumed = WatchStream.open(client, ns, Long.toString(w.lastRv()), false);
      awaitEvents(resumed, PAST_LIMIT - got.size(), "events after resuming from " + w.lastRv());
      assertThat(resumed.names()).containsExactlyElementsOf(big.subList(got.size(), PAST_LIMIT));
      assertThat(resumed.events).allMatch(e -> e.type().equals("ADDED"));
    } finally {
      client.close().await();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aClientThatStopsReadingForGoodIsCutOffSoItsQueueIsFreed(Protocol protocol) throws Exception {
    String ns = namespace("stuck-watch-" + protocol.name().toLowerCase().replace('_', '-'));
    HttpClientAgent client = client(protocol, 2);
    // the server's grace for a watch it ended for being too slow (60 s by default), read when the watch is cut
    System.setProperty(GRACE_PROPERTY, "2000");
    try {
      String rv = listRevision(ns);
      WatchStream w = WatchStream.open(client, ns, rv, true);
      create(ns, "stuck", 0, PAST_LIMIT, PAYLOAD);
      // Still not reading well past the grace: the server drops the queue (connection closed or stream reset)
      // instead of holding up to 128 MiB for a client that may never read again.
      sleep(6000);
      w.resume();
      String how = w.ended.get(180, TimeUnit.SECONDS);
      assertThat(how).as("how the response of a client stuck past the grace ended (after %d events)", w.events.size()).startsWith("error");
      assertThat(w.events.size()).as("events delivered after the queue was dropped").isLessThan(PAST_LIMIT);
      // Nothing is lost for a client that does come back: it resumes from the last resourceVersion it saw.
      String from = w.events.isEmpty() ? rv : Long.toString(w.lastRv());
      WatchStream resumed = WatchStream.open(client, ns, from, false);
      awaitEvents(resumed, PAST_LIMIT - w.events.size(), "events after resuming from " + from);
      assertThat(resumed.events).allMatch(e -> e.type().equals("ADDED"));
    } finally {
      System.clearProperty(GRACE_PROPERTY);
      client.close().await();
    }
  }

  @Test
  void aResumptionFromBeyondTheHistoryGetsGoneAndTheEnd() throws Exception {
    String ns = namespace("slow-watch-gone");
    String rv = listRevision(ns);
    // The watch cache keeps the last 4096 events of a resource; more than that pass before the client comes back.
    create(ns, "churn", 0, 4200, 10);
    HttpClientAgent client = client(Protocol.HTTP_2, 1);
    try {
      WatchStream w = WatchStream.open(client, ns, rv, false);
      assertThat(w.ended.get(60, TimeUnit.SECONDS)).isEqualTo("end");
      assertThat(w.events).hasSize(1);
      assertThat(w.events.getFirst().type()).isEqualTo("ERROR");
      assertThat(w.events.getFirst().code()).isEqualTo(410);
    } finally {
      client.close().await();
    }
  }
}
