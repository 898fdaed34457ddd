package io.kava.cli;

import io.kava.apiserver.ApiServer;
import io.kava.apiserver.ServerServicesImpl;
import io.fabric8.kubernetes.client.Config;
import io.kava.apiserver.auth.ClientCertAuthenticator;
import io.kava.apiserver.auth.LoopbackCredential;
import io.kava.apiserver.auth.Pki;
import io.kava.apiserver.auth.BearerTokenAuthenticator;
import io.kava.apiserver.auth.ServiceAccountTokens;
import io.kava.apiserver.auth.TokenAuthenticator;
import io.kava.apiserver.auth.UserInfo;
import io.kava.controllers.ControllerSettings;
import io.kava.controllers.KavaControllers;
import io.kava.controllers.runtime.ControllerManager;
import io.kava.node.agent.NodeAgent;
import io.kava.node.containerd.RuntimeUnavailableException;
import io.kava.node.sim.SimNodes;
import io.kava.scheduler.KavaScheduler;
import io.kava.store.Store;
import io.kava.store.compaction.AutoCompactor;
import io.kava.store.memory.MemoryStore;
import io.kava.store.sqlite.SqliteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole kava cluster in this JVM: store, API server and (later) controllers, scheduler and node agent. Used by
 * {@code kava server} and by tests that embed a cluster.
 */
public final class KavaServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KavaServer.class);

  public enum StoreKind { SQLITE, MEMORY }

  /**
   * @param port 0 picks a free port (tests)
   */
  public record Options(Path dataDir, String bindAddress, int port, StoreKind store, String serviceCidr,
                        int nodePortFirst, int nodePortLast, String advertiseAddress, List<String> extraSans, int eventLoops) {
    public static Options defaults(Path dataDir) {
      return new Options(dataDir, "127.0.0.1", 6443, StoreKind.SQLITE, "10.96.0.0/12", 30000, 32767, null, List.of(),
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public Options withPort(int p) { return new Options(dataDir, bindAddress, p, store, serviceCidr, nodePortFirst, nodePortLast, advertiseAddress, extraSans, eventLoops); }

    public Options withStore(StoreKind s) { return new Options(dataDir, bindAddress, port, s, serviceCidr, nodePortFirst, nodePortLast, advertiseAddress, extraSans, eventLoops); }
  }

  private final Options options;
  // Volatile: a signal during start-up closes them from the shutdown hook's thread while start() still runs.
  private volatile Store store;
  private volatile AutoCompactor compactor;
  private volatile ApiServer api;
  private Pki pki;
  private volatile io.kava.client.SharedLeadership leadership;
  private volatile io.kava.client.SharedInformers sharedInformers;
  private volatile ControllerManager controllers;
  private volatile KavaScheduler scheduler;
  private volatile SimNodes simNodes;
  private SimNodes.Options simNodeOptions = SimNodes.Options.defaults();
  private ControllerSettings controllerSettings = ControllerSettings.DEFAULTS;
  private NodeAgent.Options nodeOptions;
  private volatile NodeAgent nodeAgent;
  private volatile boolean closing;

  public KavaServer(Options options) { this.options = options; }

  private java.time.Duration firstClientWait = java.time.Duration.ZERO;

  /**
   * How long the controllers, the scheduler and the nodes may wait, once the API server is ready, for it to have
   * answered its first client (call before start; zero, the default, starts them at once). Their start-up (informers
   * listing everything, containerd starting) takes both CPUs of a small machine for a few hundred milliseconds, and the
   * client waiting for the server meanwhile waited for them too (ADR 0013). Upstream's controller manager and
   * scheduler likewise start once the API server answers them.
   */
  public KavaServer componentsAfterFirstClient(java.time.Duration maxWait) {
    this.firstClientWait = maxWait;
    return this;
  }

  private Runnable apiReady = () -> {};

  /**
   * Runs on the starting thread once the API server answers ready, before the controllers, the scheduler and the
   * nodes start (call before start): the moment to tell a user the cluster can be used.
   */
  public KavaServer onApiReady(Runnable r) {
    this.apiReady = r;
    return this;
  }

  /** Simulated nodes to run (call before start); by default none, unless the kube-system/kava-sim-nodes ConfigMap asks. */
  public KavaServer simNodes(SimNodes.Options o) {
    this.simNodeOptions = o;
    return this;
  }

  /** Controller tunables (call before start); upstream's kube-controller-manager flags. */
  public KavaServer controllerSettings(ControllerSettings s) {
    this.controllerSettings = s;
    return this;
  }

  /** A real node (containerd through CRI) in this process; null (the default) runs none. Call before start. */
  public KavaServer node(NodeAgent.Options o) {
    this.nodeOptions = o;
    return this;
  }

  /** The node agent, or null when this server runs no real node. */
  public NodeAgent nodeAgent() { return nodeAgent; }

  private volatile io.kava.node.server.NodeStreamingServer nodeStreams;

  /**
   * The local node's streaming server (logs, exec, attach) on its address and the port its Node reports
   * (by default {@link io.kava.node.server.NodeStreamingServer#DEFAULT_PORT}, as the kubelet). Without it the node still runs pods; those
   * requests then fail with the reason.
   */
  private io.kava.node.server.NodeStreamingServer startNodeStreams(NodeAgent agent) {
    NodeAgent.Options o = agent.options();
    try {
      io.kava.node.server.NodeStreamingServer server = new io.kava.node.server.NodeStreamingServer(
          nodeStreamingConfig(o.nodeName(), List.of(o.nodeIp()), o.nodeIp(), o.streamingPort()), agent.cri()).start();
      agent.streamingPort(server.port());
      return server;
    } catch (RuntimeException e) {
      log.warn("kubectl logs/exec/attach will not reach node {}: {}", o.nodeName(), e.getMessage());
      return null;
    }
  }

  public KavaServer start() {
    StartupTimer timer = new StartupTimer();
    try {
      // What a node needs from this machine is checked first: the error says what to install, before anything says ready.
      if (nodeOptions != null) NodeAgent.checkPrerequisites(nodeOptions);
      Files.createDirectories(options.dataDir());
      int port = options.port() == 0 ? FreePort.find(options.bindAddress()) : options.port();
      String advertise = options.advertiseAddress() != null ? options.advertiseAddress()
          : options.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : options.bindAddress();
      // Opening the store (SQLite's native library, its connections, the schema) and loading or making the
      // certificates do not depend on each other: the store opens on a thread of its own meanwhile.
      java.util.concurrent.FutureTask<Store> opening = new java.util.concurrent.FutureTask<>(this::openStore);
      Thread.ofPlatform().name("kava-store-open").daemon().start(opening);
      try {
        pki = Pki.ensure(Pki.Options.defaults(options.dataDir()).withBindAddress(options.bindAddress()).withPort(port)
            .withServiceCidr(options.serviceCidr()).withExtraSans(options.extraSans()).withAdvertiseHost(advertise));
      } catch (IOException | RuntimeException e) {
        try {
          store = awaitStore(opening); // so that close() closes it
        } catch (IOException | RuntimeException alsoFailed) {
          e.addSuppressed(alsoFailed);
        }
        throw e;
      }
      timer.step("certificates");
      ServerServicesImpl.Options services = new ServerServicesImpl.Options(options.serviceCidr(), options.nodePortFirst(), options.nodePortLast());
      ApiServer.Config config = new ApiServer.Config(options.bindAddress(), port, pki.vertxKeyCertOptions(),
          pki.vertxRequestClientCertTrustOptions(), ApiServer.Config.DEFAULT_MAX_BODY, options.eventLoops(), authenticator(), services);
      // What the API server needs no store for (Vert.x, the registry) is set up while the store thread still opens it.
      api = new ApiServer(config);
      timer.step("api server set-up");
      store = awaitStore(opening);
      // As kube-apiserver does with etcd: every 5 minutes, compact history older than 5 minutes.
      compactor = AutoCompactor.kubernetesDefault(store).start();
      timer.step("store");
      loopback = LoopbackCredential.generate();
      api.nodeClientCertificate(NodeCertificates.apiServerClient(pki)).tokens(serviceAccountTokens, bearerTokens).loopback(loopback)
          .start(store);
      timer.step("api server");
      api.bootstrap(advertise);
      timer.step("bootstrap objects");
      apiReady.run();
      if (!firstClientWait.isZero()) {
        try {
          api.firstClientAnswered().toCompletableFuture().get(firstClientWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException noClientYet) {
          // start them anyway
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RuntimeUnavailableException("interrupted while starting");
        }
        timer.step("first client answered");
      }
      checkNotClosing();
      // One election for the whole control plane of this process (ADR 0008): the controllers, the scheduler and the
      // simulated nodes run while this server holds kube-system/kava-control-plane.
      java.util.function.Supplier<io.fabric8.kubernetes.client.Config> clientConfig =
          () -> io.kava.client.ClientConfigs.prepare(inProcessConfig());
      // And one pod informer for them all: each pod is decoded and cached once, not once per component.
      sharedInformers = new io.kava.client.SharedInformers(clientConfig);
      leadership = io.kava.client.SharedLeadership.start(clientConfig, io.kava.client.SharedLeadership.controlPlane(System.getenv().getOrDefault("HOSTNAME", "kava") + "_" + java.util.UUID.randomUUID()));
      // A client of our own API like any other; start() returns at once, connecting happens in the background.
      // The root-ca-cert-publisher publishes the CA the API server's certificate chains to (upstream: --root-ca-file).
      ControllerSettings settings = controllerSettings.rootCaPem() != null ? controllerSettings
          : controllerSettings.withRootCaPem(Files.readString(pki.caCertFile()));
      // The token controller signs Secrets' legacy tokens with the API server's key, as upstream's holds it.
      ServiceAccountTokens signer = serviceAccountTokens;
      if (settings.legacyTokenSigner() == null) {
        settings = settings.withLegacyTokenSigner((ns, name, uid, secret) -> signer.issueLegacy(new ServiceAccountTokens.Account(ns, name, uid), secret));
      }
      // Over the loopback listener (plain HTTP on 127.0.0.1, a random token): no TLS between two parts of one JVM.
      controllers = KavaControllers.manager(inProcessConfig(), settings, leadership, sharedInformers).start();
      timer.step("controllers");
      checkNotClosing();
      // The scheduler and the simulated nodes are API clients as well, started in the background the same way.
      scheduler = KavaScheduler.builder(inProcessConfig()).leadership(leadership).sharedInformers(sharedInformers).build().start();
      simNodes = SimNodes.start(inProcessConfig(), simNodeOptions, leadership, sharedInformers);
      timer.step("scheduler and simulated nodes");
      checkNotClosing();
      if (nodeOptions != null) {
        // Held before it starts its containerd: a close meanwhile stops that start.
        nodeAgent = NodeAgent.create(inProcessConfig(), nodeOptions);
        checkNotClosing();
        // Fails here, with what to install, when containers cannot run on this machine.
        nodeAgent.start();
        nodeStreams = startNodeStreams(nodeAgent);
        checkNotClosing();
        timer.step("node agent");
      }
      // The OpenAPI documents and protobuf descriptors (built on first use otherwise) once everything above has
      // started: seconds of CPU that would compete with it on a small machine.
      api.warmUpInBackground();
      timer.log();
      return this;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private Store openStore() throws IOException {
    return switch (options.store()) {
      case SQLITE -> {
        Path db = options.dataDir().resolve("db");
        Files.createDirectories(db);
        yield new SqliteStore(db.resolve("state.db"));
      }
      case MEMORY -> new MemoryStore();
    };
  }

  /** The store {@code opening} opened, or its failure as it was thrown. */
  private static Store awaitStore(java.util.concurrent.FutureTask<Store> opening) throws IOException {
    try {
      return opening.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the store", e);
    } catch (java.util.concurrent.ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  private ServiceAccountTokens serviceAccountTokens;
  private BearerTokenAuthenticator bearerTokens;

  private Function<ApiServer.Credentials, UserInfo> authenticator() throws IOException {
    ClientCertAuthenticator certs = pki.clientCertAuthenticator();
    Path tokensFile = options.dataDir().resolve("tokens.csv");
    TokenAuthenticator tokens = Files.exists(tokensFile) ? TokenAuthenticator.fromCsv(tokensFile) : null;
    serviceAccountTokens = ServiceAccountTokens.ensure(pki.pkiDir());
    // A token of a deleted account (or pod, secret, node it is bound to) stops working; until the API server runs,
    // no object exists.
    bearerTokens = new BearerTokenAuthenticator(serviceAccountTokens, tokens, (token, now) -> {
      ApiServer server = api;
      return server == null ? "the API server is not running" : server.tokenBindings().invalidReason(token, now);
    }, java.time.Clock.systemUTC());
    BearerTokenAuthenticator bearer = bearerTokens;
    // Upstream's order: a client certificate first, then a bearer token (service-account JWTs, then the token file).
    // A credential that fails is a 401.
    return req -> {
      SSLSession ssl = req.ssl();
      if (ssl != null) {
        // A session without a client certificate never gets one: getPeerCertificates throws, and that exception (a
        // stack trace per request) is taken once per session. Certificates are checked on every request (expiry).
        if (ssl.getValue(NO_CLIENT_CERTIFICATE) == null) {
          try {
            Optional<UserInfo> u = certs.authenticate(ssl.getPeerCertificates());
            if (u.isPresent()) return u.get();
          } catch (SSLPeerUnverifiedException e) {
            ssl.putValue(NO_CLIENT_CERTIFICATE, Boolean.TRUE); // try a token
          }
        }
      }
      return bearer.authenticateHeader(req.authorization()).orElse(null);
    };
  }

  /** Set (to true) on an SSLSession whose peer sent no certificate. */
  private static final String NO_CLIENT_CERTIFICATE = "io.kava.no-client-certificate";

  public Path kubeconfig() { return pki.kubeconfigFile(); }

  private LoopbackCredential loopback;

  /**
   * A new client configuration for a component of this process: the API server's loopback listener and its token
   * (kept in memory only). Each component gets its own, as each adjusts it.
   */
  public Config inProcessConfig() {
    return io.kava.client.ClientConfigs.loopback(api.loopbackUrl(), loopback.token());
  }

  public int port() { return api.port(); }

  public String url() { return pki.serverUrl(); }

  public Pki pki() { return pki; }

  /**
   * How a node agent in this process starts its streaming server (logs, exec, attach): a serving certificate from the
   * cluster CA for the node's addresses, and the cluster CA as the only issuer of accepted client certificates. The
   * node reports {@code NodeStreamingServer.port()} in its Node's daemonEndpoints.
   */
  public io.kava.node.server.NodeStreamingServer.Config nodeStreamingConfig(String nodeName, List<String> addresses, String bindAddress, int port) {
    return NodeCertificates.streamingServer(pki, nodeName, addresses).withBindAddress(bindAddress).withPort(port);
  }

  public ApiServer api() { return api; }

  /**
   * Throws when {@link #close} has run meanwhile (a signal during start-up): start() stops there, and its own close
   * takes what was made after close passed by.
   */
  private synchronized void checkNotClosing() {
    if (closing) throw new RuntimeUnavailableException("kava was stopped while it started");
  }

  @Override
  public synchronized void close() {
    closing = true;
    if (nodeStreams != null) {
      nodeStreams.close();
      nodeStreams = null;
    }
    if (nodeAgent != null) {
      nodeAgent.close();
      nodeAgent = null;
    }
    if (simNodes != null) {
      simNodes.close();
      simNodes = null;
    }
    if (scheduler != null) {
      scheduler.close();
      scheduler = null;
    }
    if (controllers != null) {
      controllers.close();
      controllers = null;
    }
    if (leadership != null) {
      leadership.close(); // releases the lease: another server sharing the store takes over at once
      leadership = null;
    }
    if (sharedInformers != null) {
      sharedInformers.close();
      sharedInformers = null;
    }
    if (api != null) {
      api.close();
      api = null;
    }
    if (compactor != null) {
      compactor.close();
      compactor = null;
    }
    if (store != null) {
      try {
        store.close();
      } catch (RuntimeException e) {
        log.warn("closing the store", e);
      }
      store = null;
    }
  }
}
