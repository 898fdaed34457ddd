package io.kava.apiserver;

import io.kava.api.json.Json;
import io.kava.apiserver.apply.ApplyType;
import io.kava.apiserver.apply.OpenApiTypes;
import io.kava.apiserver.apply.TypeResolver;
import io.kava.apiserver.auth.ServerTlsEngine;
import io.kava.apiserver.cache.WatchCache;
import io.kava.apiserver.cache.ResourceCache;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.http.ApiHandler;
import io.kava.apiserver.http.BodyDecoder;
import io.kava.apiserver.http.Discovery;
import io.kava.apiserver.http.Exchange;
import io.kava.apiserver.http.PatchHandler;
import io.kava.apiserver.http.PodStreams;
import io.kava.apiserver.proxy.NodeProxy;
import io.kava.apiserver.http.ResourceHandler;
import io.kava.apiserver.http.Responses;
import io.kava.apiserver.http.Subresources;
import io.kava.apiserver.auth.UserInfo;
import io.kava.apiserver.http.WatchHandler;
import io.kava.apiserver.openapi.OpenApiEndpoints;
import io.kava.apiserver.registry.BuiltinResources;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.apiserver.registry.crd.CrdRegistrar;
import io.kava.apiserver.wire.protobuf.ProtobufDecoder;
import io.kava.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The API server: Vert.x HTTPS (HTTP/2 via ALPN) in front of the generic REST machinery, the watch cache and
 * the store. Request handling runs on virtual threads; event loops only move bytes.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /**
   * @param serverKeyCert the serving certificate and key; null for plain HTTP (tests only)
   * @param clientTrust   how client certificates are checked during the handshake (may be null: none requested);
   *                      kava requests them and lets any through, so a bad one gets a 401 as upstream, not a TLS error
   * @param authenticator maps a request to its user (certificate, bearer token), or null when unauthenticated
   */
  public record Config(String bindAddress, int port, KeyCertOptions serverKeyCert, TrustOptions clientTrust,
                       long maxBodyBytes, int eventLoops, Function<Credentials, UserInfo> authenticator,
                       ServerServicesImpl.Options services) {
    public static final long DEFAULT_MAX_BODY = 3 * 1024 * 1024;
  }

  /** What a request authenticates with: the TLS session (client certificate) and the Authorization header. */
  public record Credentials(javax.net.ssl.SSLSession ssl, String authorization) {}

  private static final UserInfo ANONYMOUS_USER = UserInfo.anonymous();

  private final Config config;
  private final ResourceRegistry registry = new ResourceRegistry();
  private final Clock clock = Clock.systemUTC();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Vertx vertx;
  private WatchCache cache;
  private ApiHandler handler;
  private final List<HttpServer> servers = new ArrayList<>();
  private int actualPort;

  /**
   * Sets up what needs no store: Vert.x (event loops, DNS resolver, file cache) and the built-in kinds' registry, ~0.15 s
   * at start-up that a caller can spend while its store opens; {@link #start} serves them from the store. {@link
   * #close()} releases them, started or not.
   */
  public ApiServer(Config config) {
    this.config = config;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, config.eventLoops())).setPreferNativeTransport(true));
    BuiltinResources.registerAll(registry);
  }

  public ResourceRegistry registry() { return registry; }

  private KeyCertOptions nodeClientCertificate;
  private NodeProxy nodeProxy;

  /**
   * The client certificate the API server shows node streaming servers (logs, exec, attach); call before {@link
   * #start()}. Without one those subresources answer 503.
   */
  public ApiServer nodeClientCertificate(KeyCertOptions certificate) {
    this.nodeClientCertificate = certificate;
    return this;
  }

  public int port() { return actualPort; }

  private io.kava.apiserver.auth.LoopbackCredential loopback;
  private int loopbackPort;

  /**
   * Also serves plain HTTP on 127.0.0.1 (a port of its own) to the components of this process, authenticated by
   * {@code credential} alone; call before {@link #start}. See {@link io.kava.apiserver.auth.LoopbackCredential}.
   */
  public ApiServer loopback(io.kava.apiserver.auth.LoopbackCredential credential) {
    this.loopback = credential;
    return this;
  }

  /** The loopback listener's URL ({@code http://127.0.0.1:PORT}), or null without one. */
  public String loopbackUrl() { return loopback == null ? null : "http://127.0.0.1:" + loopbackPort; }

  private io.kava.apiserver.auth.ServiceAccountTokens serviceAccountTokens;

  private io.kava.apiserver.auth.BearerTokenAuthenticator tokenAuthenticator;

  /**
   * The signer of serviceaccounts/token and what TokenReview asks; call before {@link #start}. Without them those
   * answer 503.
   */
  public ApiServer tokens(io.kava.apiserver.auth.ServiceAccountTokens tokens, io.kava.apiserver.auth.BearerTokenAuthenticator authenticator) {
    this.serviceAccountTokens = tokens;
    this.tokenAuthenticator = authenticator;
    return this;
  }

  private final io.kava.apiserver.auth.CachedTokenBindings tokenBindings = new io.kava.apiserver.auth.CachedTokenBindings(
      (plural, namespace, name) -> {
        WatchCache c = this.cache;
        if (this.genericStore == null || c == null) return null;
        return registry.byPath("", "v1", plural).map(def -> c.cache(def.keyPrefix()).get(def.key(namespace, name))).orElse(null);
      });

  /**
   * Whether the account and objects a service-account token names are still current. Reads the watch cache without
   * waiting (this runs on the event loop): an object is in the cache before any token bound to it is issued.
   */
  public io.kava.apiserver.auth.TokenBindings tokenBindings() { return tokenBindings; }

  /** Serves the API from {@code store} and listens; once. */
  public ApiServer start(Store store) {
    long started = System.nanoTime();
    services = new ServerServicesImpl(config.services(), () -> genericStore);
    services.serviceAccountTokens(serviceAccountTokens);
    services.tokenAuthenticator(tokenAuthenticator);
    cache = new WatchCache(store, registry, ResourceCache.DEFAULT_HISTORY);
    cache.start();
    long cached = System.nanoTime();
    genericStore = new GenericStore(store, cache, registry, services, clock);
    genericStore.admission(new io.kava.apiserver.admission.ResourceQuotaAdmission(genericStore));
    services.loadAllocations();
    Responses responses = new Responses(clock);
    BodyDecoder decoder = new BodyDecoder(ProtobufDecoder::get);
    WatchHandler watches = new WatchHandler(vertx, genericStore, clock);
    Subresources subresources = new Subresources(genericStore, responses, decoder, clock);
    if (nodeClientCertificate != null) nodeProxy = new NodeProxy(vertx, nodeClientCertificate);
    subresources.podStreams(new PodStreams(genericStore, nodeProxy));
    ResourceHandler resources = new ResourceHandler(genericStore, decoder, responses, watches, new PatchHandler(decoder), subresources);
    OpenApiEndpoints openApi = new OpenApiEndpoints(registry);
    resources.fieldValidation(openApi.fieldValidation());
    // Custom resources: serve every CRD's versions (before listening, so a restart serves them at once) and
    // publish their schemas in /openapi/v2 and /openapi/v3.
    crds = new CrdRegistrar(genericStore, clock);
    openApi.customResourceSchemas(crds::publishedSchema);
    crds.start();
    genericStore.fieldManager(genericStore.fieldManager().withTypes(crdApplyTypes(crds).orElse(TypeResolver.BUILT_IN)));
    handler = new ApiHandler(new Discovery(registry), resources, Json.bytes(Version.document()), openApi);
    // Not ready until the objects every cluster has exist (upstream's bootstrap post-start hooks): see bootstrap().
    handler.setReady(false);
    this.openApi = openApi;
    long handled = System.nanoTime();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.bindAddress())
        .setPort(config.port())
        .setTcpNoDelay(true)
        .setReusePort(true)
        .setMaxHeaderSize(64 * 1024)
        // exec, attach and port-forward (Netty picks the client's first one in this list)
        .setWebSocketSubProtocols(PodStreams.WEBSOCKET_PROTOCOLS)
        .setMaxWebSocketFrameSize(NodeProxy.MAX_MESSAGE)
        .setMaxWebSocketMessageSize(NodeProxy.MAX_MESSAGE);
    if (config.serverKeyCert() != null) {
      options.setSsl(true).setUseAlpn(true).setKeyCertOptions(config.serverKeyCert()).setSslEngineOptions(new ServerTlsEngine());
      if (config.clientTrust() != null) {
        options.setTrustOptions(config.clientTrust());
        options.setClientAuth(ClientAuth.REQUEST);
      }
    }
    // The loopback listener first: once the public port is open a client may connect at once, and its first TLS
    // connection keeps an event loop busy building the TLS context, which a listen queued behind it would wait for.
    if (loopback != null) listenLoopback(options);
    int port = config.port();
    for (int i = 0; i < Math.max(1, config.eventLoops()); i++) {
      HttpServer server = vertx.createHttpServer(options.setPort(port));
      server.requestHandler(this::accept);
      try {
        server.listen().await();
      } catch (Exception e) {
        close();
        throw new IllegalStateException("cannot listen on " + config.bindAddress() + ":" + port + ": " + e.getMessage()
            + " (is another server running? choose another --port)", e);
      }
      if (i == 0) port = actualPort = server.actualPort();
      servers.add(server);
    }
    long listening = System.nanoTime();
    if (log.isDebugEnabled()) {
      log.debug("api server start: services and watch cache {} ms, handlers {} ms, listen {} ms",
          (cached - started) / 1_000_000, (handled - cached) / 1_000_000, (listening - handled) / 1_000_000);
    }
    return this;
  }

  private OpenApiEndpoints openApi;

  /**
   * Builds the protobuf descriptors and the OpenAPI documents ahead of the first request that needs them (each is
   * otherwise built on first use). Seconds of CPU on two cores: call it once the server is ready, so it does not compete
   * with the work that makes it ready. One platform thread, one after the other, at low priority; not a virtual thread:
   * a CPU-bound virtual thread keeps its carrier until it blocks, and the request handlers (virtual threads too) would
   * queue behind it. OpenAPI first: creates and updates check their fields against its schemas (fieldValidation).
   */
  public void warmUpInBackground() {
    Thread warmup = new Thread(() -> {
      openApi.prepare();
      try {
        ProtobufDecoder.get();
      } catch (RuntimeException | LinkageError e) {
        log.warn("building the protobuf decoder failed; requests with protobuf bodies will retry", e);
      }
    }, "kava-api-warmup");
    warmup.setDaemon(true);
    warmup.setPriority(Thread.MIN_PRIORITY);
    warmup.start();
  }

  /** Whether /readyz answers ok: the server listens and {@link #bootstrap} has run. */
  public boolean ready() { return handler != null && handler.ready(); }

  private final java.util.concurrent.CompletableFuture<Void> firstClientAnswered = new java.util.concurrent.CompletableFuture<>();

  /**
   * Completes when the first request a client sent on the serving port (not the loopback listener of in-process
   * clients) after {@link #bootstrap} has been answered: the moment a client has seen the server ready.
   */
  public java.util.concurrent.CompletionStage<Void> firstClientAnswered() { return firstClientAnswered; }

  private GenericStore genericStore;
  private ServerServicesImpl services;
  private CrdRegistrar crds;

  public GenericStore genericStore() { return genericStore; }

  /**
   * Creates the system namespaces, the system PriorityClasses and the {@code kubernetes} Service (idempotent), then
   * lets /readyz answer ok: as upstream's bootstrap post-start hooks, a client told "ready" finds {@code default}.
   */
  public void bootstrap(String advertiseAddress) {
    Bootstrap.ensure(genericStore, registry, services.firstIp(), advertiseAddress, actualPort);
    handler.setReady(true);
  }

  /** Server-side apply types of custom resources from their CRD schemas, rebuilt only when a schema changes. */
  private static TypeResolver crdApplyTypes(CrdRegistrar crds) {
    record Typed(JsonNode schema, ApplyType type) {}
    java.util.Map<String, Typed> cache = new java.util.concurrent.ConcurrentHashMap<>();
    return def -> {
      JsonNode schema = crds.publishedSchema(def.group(), def.version(), def.kind());
      if (schema == null) return null;
      String key = def.group() + "/" + def.version() + "/" + def.kind();
      Typed t = cache.get(key);
      if (t == null || t.schema() != schema) cache.put(key, t = new Typed(schema, OpenApiTypes.customResource(schema)));
      return t.type();
    };
  }

  /** The loopback listener: the HTTPS listener's options without TLS, on 127.0.0.1 whatever the bind address. */
  private void listenLoopback(HttpServerOptions https) {
    HttpServerOptions options = new HttpServerOptions(https).setSsl(false).setUseAlpn(false).setKeyCertOptions(null)
        .setTrustOptions(null).setClientAuth(ClientAuth.NONE).setHost("127.0.0.1").setPort(0);
    // Vert.x shares one socket among the servers of one host and port (one per event loop) only when the port is named
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot find a free port on 127.0.0.1 for in-process clients", e);
    }
    for (int i = 0; i < Math.max(1, config.eventLoops()); i++) {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions(options).setPort(port));
      server.requestHandler(this::acceptLoopback);
      try {
        server.listen().await();
      } catch (Exception e) {
        close();
        throw new IllegalStateException("cannot listen on 127.0.0.1 for in-process clients: " + e.getMessage(), e);
      }
      loopbackPort = server.actualPort();
      servers.add(server);
    }
  }

  /** On the event loop: the loopback token or a 401, whatever the path (health paths included). */
  private void acceptLoopback(HttpServerRequest req) {
    if (!loopback.matches(req.getHeader("Authorization"))) {
      req.response().setStatusCode(401).putHeader("Content-Type", "application/json")
          .end(Buffer.buffer(Json.bytes(Responses.status(StatusException.unauthorized()))));
      return;
    }
    accept(req, loopback.user());
  }

  /** On the event loop: authenticate, collect the body (bounded), then hand off to a virtual thread. */
  private void accept(HttpServerRequest req) {
    if (!firstClientAnswered.isDone() && ready()) req.response().endHandler(v -> firstClientAnswered.complete(null));
    UserInfo user;
    try {
      user = config.authenticator() == null ? null : config.authenticator().apply(new Credentials(req.connection().sslSession(), req.getHeader("Authorization")));
    } catch (RuntimeException e) {
      user = null;
    }
    accept(req, user == null ? ANONYMOUS_USER : user);
  }

  private void accept(HttpServerRequest req, UserInfo who) {
    String length = req.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length) > config.maxBodyBytes()) {
          tooLarge(req);
          return;
        }
      } catch (NumberFormatException ignored) {
        // Vert.x rejects malformed lengths itself.
      }
    }
    if (req.canUpgradeToWebSocket()) {
      // Hold the request's end unread: the handler decides after its checks whether to accept the upgrade.
      req.pause();
      io.vertx.core.Context context = Vertx.currentContext();
      workers.execute(() -> handler.handle(new Exchange(req, new byte[0], who, context)));
      return;
    }
    String upgrade = req.getHeader("Upgrade");
    if (upgrade != null && upgrade.regionMatches(true, 0, "SPDY/", 0, 5)) {
      io.vertx.core.Context context = Vertx.currentContext();
      workers.execute(() -> handler.handle(Exchange.spdyUpgrade(req, who, context)));
      return;
    }
    String method = req.method().name();
    if (handler.answersOnEventLoop(method, req.path())) {
      handler.handle(new Exchange(req, new byte[0], who));
      return;
    }
    if (method.equals("GET") || method.equals("HEAD") || (length != null && length.equals("0"))) {
      Exchange ex = new Exchange(req, new byte[0], who);
      // A GET the watch cache answers at once is answered here: no hand-off to a virtual thread and back.
      if (handler.answeredWithoutBlocking(ex)) return;
      workers.execute(() -> handler.handle(ex));
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] over = new boolean[1];
    req.handler(chunk -> {
      if (over[0]) return;
      if (body.length() + chunk.length() > config.maxBodyBytes()) {
        over[0] = true;
        tooLarge(req);
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (!over[0]) workers.execute(() -> handler.handle(new Exchange(req, body.getBytes(), who)));
    });
  }

  private void tooLarge(HttpServerRequest req) {
    StatusException e = StatusException.tooLarge("Request entity too large: limit is " + config.maxBodyBytes());
    req.response().setStatusCode(413).putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.bytes(Responses.status(e))));
  }

  @Override
  public void close() {
    firstClientAnswered.completeExceptionally(new IllegalStateException("the API server was closed")); // nobody waits for it now
    for (HttpServer s : servers) {
      try {
        s.close().await();
      } catch (Exception e) {
        log.debug("closing HTTP server", e);
      }
    }
    if (crds != null) crds.close();
    if (nodeProxy != null) nodeProxy.close();
    if (cache != null) cache.close();
    workers.shutdownNow();
    if (vertx != null) {
      try {
        vertx.close().await();
      } catch (Exception e) {
        log.debug("closing Vert.x", e);
      }
    }
  }
}
