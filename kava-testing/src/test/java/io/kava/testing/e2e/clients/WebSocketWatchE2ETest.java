package io.kava.testing.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.kava.testing.KavaCluster;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Watches over WebSocket, as upstream serves them: the upgrade is accepted after the request's checks (which still
 * answer with plain HTTP errors), then every watch event is one JSON text message, and the server closes the socket
 * when the watch ends. Driven by the JDK's own WebSocket client and by fabric8 with its default (WebSocket) watches.
 */
@Tag("e2e")
class WebSocketWatchE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static KavaCluster cluster;
  static Config config;
  static HttpClient jdk;

  @BeforeAll
  static void start() throws Exception {
    cluster = KavaCluster.start();
    config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
    jdk = HttpClient.newBuilder().sslContext(sslContext(config)).build();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  /** TLS with the kubeconfig's CA and its client certificate and (PKCS#8 ECDSA) key. */
  static SSLContext sslContext(Config c) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Certificate ca = cf.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(c.getCaCertData())));
    Certificate cert = cf.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(c.getClientCertData())));
    String pem = new String(Base64.getDecoder().decode(c.getClientKeyData()));
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("admin", key, new char[0], new Certificate[] {cert});
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** What a raw WebSocket client received: whole text messages, then the close. */
  static final class Messages implements java.net.http.WebSocket.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final List<String> binary = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        texts.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(java.net.http.WebSocket ws, java.nio.ByteBuffer data, boolean last) {
      binary.add("binary frame");
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(java.net.http.WebSocket ws, Throwable error) { closed.completeExceptionally(error); }

    JsonNode next() throws Exception {
      String t = texts.poll(60, TimeUnit.SECONDS);
      assertThat(t).as("no message within 60 s").isNotNull();
      return JSON.readTree(t);
    }
  }

  static java.net.http.WebSocket open(String pathAndQuery, Messages listener) throws Exception {
    return open(pathAndQuery, null, listener);
  }

  static java.net.http.WebSocket open(String pathAndQuery, String accept, Messages listener) throws Exception {
    URI uri = URI.create(cluster.url().replaceFirst("^https", "wss") + pathAndQuery);
    var builder = jdk.newWebSocketBuilder();
    if (accept != null) builder.header("Accept", accept);
    return builder.buildAsync(uri, listener).get(60, TimeUnit.SECONDS);
  }

  static KubernetesClient fabric8(List<String> watchTransports) {
    Config c = Config.fromKubeconfig(readKubeconfig());
    c.setClientKeyAlgo("EC");
    c.setOnlyHttpWatches(false); // fabric8's default: watches over WebSocket
    c.setConnectionTimeout(60_000); // generous: the machines that run these suites are shared
    c.setRequestTimeout(60_000);
    return new KubernetesClientBuilder().withConfig(c).withHttpClientFactory(new Vertx5HttpClientFactory())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("transport", new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (request.uri().getQuery() != null && request.uri().getQuery().contains("watch=true")) {
              watchTransports.add(builder instanceof WebSocket.Builder ? "websocket" : "http");
            }
          }
        })).build();
  }

  static String readKubeconfig() {
    try {
      return Files.readString(cluster.kubeconfig());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String expired;

  /** A ConfigMap resourceVersion the watch cache no longer holds (made once per cluster: it takes thousands of writes). */
  static synchronized String expired() throws Exception {
    if (expired == null) {
      try (KubernetesClient client = fabric8(new CopyOnWriteArrayList<>())) {
        expired = Fabric8ClientE2ETest.expiredConfigMapVersion(client, "ws-gone");
      }
    }
    return expired;
  }

  static ConfigMap cm(String ns, String name, String mode) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata().addToData("mode", mode).build();
  }

  @Test
  void eventsArriveAsJsonTextMessages() throws Exception {
    List<String> transports = new CopyOnWriteArrayList<>();
    try (KubernetesClient client = fabric8(transports)) {
      String ns = "ws-raw";
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      var cms = client.configMaps().inNamespace(ns);
      // the root-ca-cert-publisher's ConfigMap comes first, so the watches below do not see it arrive
      io.kava.testing.Poll.until(() -> cms.withName("kube-root-ca.crt").get() != null, () -> "no kube-root-ca.crt in " + ns);
      cms.resource(cm(ns, "before", "0")).create();
      String rv = cms.list().getMetadata().getResourceVersion();

      Messages m = new Messages();
      java.net.http.WebSocket ws = open("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + rv, m);
      cms.resource(cm(ns, "a", "1")).create();
      cms.withName("a").edit(c -> new ConfigMapBuilder(c).addToData("mode", "2").build());
      cms.withName("a").delete();
      JsonNode added = m.next();
      assertThat(added.path("type").asText()).isEqualTo("ADDED");
      assertThat(added.path("object").path("kind").asText()).isEqualTo("ConfigMap");
      assertThat(added.path("object").path("metadata").path("name").asText()).isEqualTo("a");
      assertThat(m.next().path("object").path("data").path("mode").asText()).isEqualTo("2");
      assertThat(m.next().path("type").asText()).isEqualTo("DELETED");
      assertThat(m.binary).isEmpty();
      ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);

      // Without a resourceVersion: the current objects first, as synthetic ADDED events.
      Messages fromNow = new Messages();
      java.net.http.WebSocket ws2 = open("/api/v1/namespaces/" + ns + "/configmaps?watch=1", fromNow);
      assertThat(fromNow.next().path("object").path("metadata").path("name").asText()).isEqualTo("before");
      ws2.abort();

      // The watch's own timeout ends it: the server closes the socket.
      Messages timed = new Messages();
      open("/api/v1/namespaces/" + ns + "/configmaps?watch=true&timeoutSeconds=1&resourceVersion=" + rv, timed);
      assertThat(timed.closed.get(60, TimeUnit.SECONDS)).isEqualTo(java.net.http.WebSocket.NORMAL_CLOSURE);

      // Table watches (kubectl get -w) work the same way.
      Messages tables = new Messages();
      open("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + rv + "&timeoutSeconds=30",
          "application/json;as=Table;v=v1;g=meta.k8s.io", tables);
      JsonNode first = tables.next();
      assertThat(first.path("object").path("kind").asText()).isEqualTo("Table");
      assertThat(first.path("object").path("rows").get(0).path("cells").get(0).asText()).isEqualTo("a");

      // Metadata watches (client-go's metadata informers): PartialObjectMetadata, no data.
      Messages metadata = new Messages();
      open("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + rv + "&timeoutSeconds=30",
          "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json", metadata);
      JsonNode meta = metadata.next();
      assertThat(meta.path("type").asText()).isEqualTo("ADDED");
      assertThat(meta.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
      assertThat(meta.path("object").path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
      assertThat(meta.path("object").path("metadata").path("name").asText()).isEqualTo("a");
      assertThat(meta.path("object").has("data")).isFalse();
    }
  }

  @Test
  void refusalsAreHttpAndGoneIsAnEvent() throws Exception {
    // Before the upgrade: plain HTTP errors
    assertThatThrownBy(() -> open("/api/v1/nothings?watch=true", new Messages()))
        .isInstanceOf(ExecutionException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> open("/api/v1/configmaps?watch=true&labelSelector=a%20in%20(", new Messages()))
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(400));

    // A resourceVersion older than the watch cache's window: an ERROR event with a 410 Status, then the close.
    Messages gone = new Messages();
    open("/api/v1/namespaces/ws-gone/configmaps?watch=true&resourceVersion=" + expired(), gone);
    JsonNode error = gone.next();
    assertThat(error.path("type").asText()).isEqualTo("ERROR");
    assertThat(error.path("object").path("kind").asText()).isEqualTo("Status");
    assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
    assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
    assertThat(gone.closed.get(60, TimeUnit.SECONDS)).isEqualTo(java.net.http.WebSocket.NORMAL_CLOSURE);
  }

  @Test
  void fabric8WatchesAndInformersOverWebSocket() throws Exception {
    List<String> transports = new CopyOnWriteArrayList<>();
    try (KubernetesClient client = fabric8(transports)) {
      Fabric8ClientE2ETest.watchResumes(client, "ws-f8-watch");
      Fabric8ClientE2ETest.informers(client, "ws-f8-inform");
      assertThat(transports).isNotEmpty().containsOnly("websocket");

      // 410 through fabric8's WebSocket watch
      CompletableFuture<WatcherException> closed = new CompletableFuture<>();
      Watch w = client.configMaps().inNamespace("ws-gone").watch(
          new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withResourceVersion(expired()).build(), new Watcher<ConfigMap>() {
            @Override public void eventReceived(Action action, ConfigMap resource) {}
            @Override public void onClose(WatcherException cause) { closed.complete(cause); }
          });
      assertThat(closed.get(60, TimeUnit.SECONDS).isHttpGone()).isTrue();
      w.close();
    }
  }
}
