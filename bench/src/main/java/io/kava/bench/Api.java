package io.kava.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;

/** The Kubernetes requests the benchmark sends, as raw HTTP (JSON bodies built once, names spliced in). */
final class Api {
  /** ~1 KB of ConfigMap data. */
  static final int PAYLOAD_CHARS = 900;
  private static final String PAYLOAD = "x".repeat(PAYLOAD_CHARS);
  private static final long TIMEOUT_MS = 300_000;

  private Api() {}

  static String configMapsPath(String namespace) { return "/api/v1/namespaces/" + namespace + "/configmaps"; }

  /** A ConfigMap of about 1 KB: name, namespace, two labels and one 900-character value. */
  static Buffer configMap(String namespace, String name) {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace
        + "\",\"labels\":{\"app\":\"kava-bench\",\"tier\":\"load\"}},\"data\":{\"payload\":\"" + PAYLOAD + "\"}}";
    return Buffer.buffer(json.getBytes(StandardCharsets.UTF_8));
  }

  static Buffer namespace(String name) {
    return Buffer.buffer("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}");
  }

  static Future<LoadRunner.Reply> send(HttpClient client, HttpMethod method, String uri, Buffer body) {
    return send(client, method, uri, body, "application/json");
  }

  static Future<LoadRunner.Reply> send(HttpClient client, HttpMethod method, String uri, Buffer body, String contentType) {
    return fetch(client, method, uri, body, contentType)
        .map(r -> new LoadRunner.Reply(r.status(), r.body().length(), r.version()));
  }

  /** A response with its body. */
  record Response(int status, Buffer body, String version) {}

  static Future<Response> fetch(HttpClient client, HttpMethod method, String uri, Buffer body, String contentType) {
    RequestOptions o = new RequestOptions().setMethod(method).setURI(uri).setIdleTimeout(TIMEOUT_MS)
        .putHeader("Accept", "application/json").putHeader("User-Agent", "kava-bench");
    if (body != null) o.putHeader("Content-Type", contentType);
    return client.request(o)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b, resp.version().alpnName())));
  }

  static Future<LoadRunner.Reply> create(HttpClient client, String namespace, String name) {
    return send(client, HttpMethod.POST, configMapsPath(namespace), configMap(namespace, name));
  }

  static Future<LoadRunner.Reply> get(HttpClient client, String namespace, String name) {
    return send(client, HttpMethod.GET, configMapsPath(namespace) + "/" + name, null);
  }

  static Future<LoadRunner.Reply> list(HttpClient client, String namespace) {
    return send(client, HttpMethod.GET, configMapsPath(namespace), null);
  }

  /** Creates the namespace; an existing one (409) is fine. */
  static void ensureNamespace(HttpClient client, String name) {
    LoadRunner.Reply r = send(client, HttpMethod.POST, "/api/v1/namespaces", namespace(name)).await();
    if (r.status() != 201 && r.status() != 200 && r.status() != 409) {
      throw new IllegalStateException("creating namespace " + name + ": HTTP " + r.status());
    }
  }

  /**
   * Waits until the service account controller has made {@code default} in namespace {@code name}: until then the API
   * refuses pods that use it (403, as upstream's ServiceAccount admission does).
   */
  static void awaitDefaultServiceAccount(HttpClient client, String name) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (true) {
      LoadRunner.Reply r = send(client, HttpMethod.GET, "/api/v1/namespaces/" + name + "/serviceaccounts/default", null).await();
      if (r.status() == 200) return;
      if (System.nanoTime() > deadline) throw new IllegalStateException("no service account default in namespace " + name + " after 60 s: HTTP " + r.status());
      Thread.sleep(50);
    }
  }
}
