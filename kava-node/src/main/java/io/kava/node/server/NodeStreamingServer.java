package io.kava.node.server;

import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.AttachRequest;
import io.kava.node.cri.v1.ExecRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's streaming server, the part of the kubelet's API the API server proxies to: container logs, exec,
 * attach and port-forward (one WebSocket per forwarded connection, bridged to the runtime's SPDY port-forward). HTTPS; every client must present a certificate signed by the cluster CA (the API server does). Exec and
 * attach are WebSocket ({@code v5.channel.k8s.io} or {@code v4.channel.k8s.io}) sessions bridged to the CRI runtime's
 * streaming server over SPDY. Containers are found through CRI by their pod's namespace and name.
 *
 * <p>The node agent starts one with the node's {@link CriClient} and reports {@link #port()} in the Node's
 * {@code status.daemonEndpoints.kubeletEndpoint.Port} — the API server connects to that port at the Node's
 * InternalIP.
 */
public final class NodeStreamingServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeStreamingServer.class);

  /** The kubelet's port; report the port actually bound ({@link #port()}) in the Node's daemonEndpoints. */
  public static final int DEFAULT_PORT = 10250;
  /** How long connecting to the runtime's streaming server may take. */
  static final Duration RUNTIME_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** Largest WebSocket message accepted (kubectl sends stdin in messages of up to 32 KiB). */
  static final int MAX_MESSAGE = 1024 * 1024;

  /**
   * @param serving   the node's serving certificate and key (the API server does not verify it, as upstream without
   *                  --kubelet-certificate-authority)
   * @param clientCas the CA(s) whose client certificates are accepted: the cluster CA from the node's kubeconfig
   * @param tlsEngine Vert.x's TLS engine options for the listener, or null for Vert.x's default
   */
  public record Config(String bindAddress, int port, KeyCertOptions serving, TrustOptions clientCas, SSLEngineOptions tlsEngine) {
    public static Config of(KeyCertOptions serving, TrustOptions clientCas) {
      return new Config("0.0.0.0", DEFAULT_PORT, serving, clientCas, null);
    }

    public Config withBindAddress(String a) { return new Config(a, port, serving, clientCas, tlsEngine); }

    public Config withPort(int p) { return new Config(bindAddress, p, serving, clientCas, tlsEngine); }

    public Config withTlsEngine(SSLEngineOptions e) { return new Config(bindAddress, port, serving, clientCas, e); }
  }

  private final Config config;
  private final CriClient cri;
  private final ContainerFinder finder;
  private final Clock clock = Clock.systemUTC();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private Vertx vertx;
  private HttpServer server;

  public NodeStreamingServer(Config config, CriClient cri) {
    this.config = config;
    this.cri = cri;
    this.finder = new ContainerFinder(cri);
  }

  public NodeStreamingServer start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.bindAddress())
        .setPort(config.port())
        .setSsl(true)
        .setKeyCertOptions(config.serving())
        .setTrustOptions(config.clientCas())
        .setClientAuth(ClientAuth.REQUIRED)
        .setWebSocketSubProtocols(List.of(RemoteCommandSession.V5, RemoteCommandSession.V4))
        .setMaxWebSocketFrameSize(MAX_MESSAGE)
        .setMaxWebSocketMessageSize(MAX_MESSAGE);
    if (config.tlsEngine() != null) options.setSslEngineOptions(config.tlsEngine());
    server = vertx.createHttpServer(options)
        .requestHandler(req -> workers.execute(() -> handle(req)))
        // exec and attach: decided on a worker; the handshake waits until the runtime's session is open
        .webSocketHandshakeHandler(hs -> {
          Context loop = Vertx.currentContext();
          workers.execute(() -> webSocket(hs, loop));
        });
    try {
      server.listen().await();
    } catch (Exception e) {
      close();
      throw new IllegalStateException("the node streaming server cannot listen on " + config.bindAddress() + ":" + config.port()
          + ": " + e.getMessage() + " (choose another port)", e);
    }
    log.info("node streaming server on {}:{}", config.bindAddress(), server.actualPort());
    return this;
  }

  /** The port bound: report it as the Node's {@code status.daemonEndpoints.kubeletEndpoint.Port}. */
  public int port() { return server.actualPort(); }

  private void handle(HttpServerRequest req) {
    try {
      String[] parts = req.path().split("/");
      // "", kind, namespace, pod, container
      String kind = parts.length > 1 ? parts[1] : "";
      if (kind.equals("healthz")) {
        req.response().putHeader("Content-Type", "text/plain").end("ok");
        return;
      }
      if (parts.length != 5 || parts[2].isEmpty() || parts[3].isEmpty() || parts[4].isEmpty()) {
        if (kind.equals("portForward")) throw new NodeError(400, "BadRequest", "port forwarding needs a WebSocket upgrade (" + RemoteCommandSession.V4 + ")");
        throw new NodeError(404, "NotFound", "the server could not find the requested resource");
      }
      String ns = parts[2];
      String pod = parts[3];
      String container = parts[4];
      switch (kind) {
        case "containerLogs" -> logs(req, ns, pod, container);
        case "exec", "attach" -> stream(req, kind, ns, pod, container);
        default -> throw new NodeError(404, "NotFound", "the server could not find the requested resource");
      }
    } catch (NodeError e) {
      answer(req, e);
    } catch (CriException e) {
      answer(req, new NodeError(500, "InternalError", "the container runtime failed: " + e.getMessage()));
    } catch (RuntimeException e) {
      log.warn("node streaming request {} failed", req.path(), e);
      answer(req, new NodeError(500, "InternalError", String.valueOf(e.getMessage())));
    }
  }

  // ------------------------------------------------------------------------------------------------------ logs

  private void logs(HttpServerRequest req, String ns, String pod, String container) {
    LogOptions opts;
    try {
      opts = LogOptions.fromQuery(req::getParam, clock);
    } catch (IllegalArgumentException e) {
      throw new NodeError(400, "BadRequest", e.getMessage());
    }
    List<ContainerFinder.Instance> instances = finder.instances(ns, pod, container);
    if (instances.isEmpty()) throw new NodeError(400, "BadRequest", "container \"" + container + "\" in pod \"" + pod + "\" is not available");
    ContainerFinder.Instance chosen;
    if (opts.previous()) {
      if (instances.size() < 2) throw new NodeError(400, "BadRequest", "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found");
      chosen = instances.get(1);
    } else {
      chosen = instances.get(0);
    }
    String logPath = finder.logPath(chosen.id());
    HttpServerResponse res = req.response();
    res.setChunked(true).putHeader("Content-Type", "text/plain");
    AtomicBoolean gone = new AtomicBoolean();
    res.closeHandler(v -> gone.set(true));
    res.exceptionHandler(e -> gone.set(true));
    LogFileReader.Sink sink = new LogFileReader.Sink() {
      @Override public boolean write(byte[] bytes) {
        if (gone.get()) return false;
        Future<Void> f = res.write(Buffer.buffer(bytes));
        if (res.writeQueueFull()) {
          try {
            f.await();
          } catch (Exception e) {
            gone.set(true);
          }
        }
        return !gone.get();
      }

      @Override public boolean closed() { return gone.get(); }
    };
    LogFileReader.Follow follow = new LogFileReader.Follow() {
      ContainerFinder.Instance current = chosen;

      @Override public boolean running() { return finder.isRunning(current.id()); }

      @Override public Path next() {
        // A restarted container writes to a new file: continue with the instance created after this one.
        for (ContainerFinder.Instance i : finder.instances(ns, pod, container)) {
          if (i.createdAt() > current.createdAt()) {
            current = i;
            String p = finder.logPath(i.id());
            return p.isEmpty() ? null : Path.of(p);
          }
        }
        return null;
      }
    };
    try {
      if (!logPath.isEmpty() && Files.exists(Path.of(logPath))) {
        new LogFileReader(opts, sink).read(Path.of(logPath), opts.previous() ? null : follow);
      }
    } catch (java.io.IOException e) {
      log.debug("reading {} failed", logPath, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!gone.get()) res.end();
    }
  }

  // ------------------------------------------------------------------------------------------- exec and attach

  /** Exec and attach without a WebSocket upgrade: refused with what to do instead. */
  private void stream(HttpServerRequest req, String kind, String ns, String pod, String container) {
    String upgrade = req.getHeader("Upgrade");
    if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).startsWith("spdy")) {
      throw new NodeError(400, "BadRequest", "this node streams " + kind + " over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io) only, not SPDY");
    }
    throw new NodeError(400, "BadRequest", "Upgrade request required");
  }

  /**
   * An exec or attach WebSocket. The runtime's session is opened first; a failure after the subprotocol was agreed is
   * reported as the kubelet does once streaming has begun: a metav1.Status on the error channel, then close.
   */
  private void webSocket(ServerWebSocketHandshake hs, Context loop) {
    String[] parts = hs.path().split("/");
    if (parts.length == 4 && parts[1].equals("portForward")) {
      portForward(hs, loop, parts[2], parts[3]);
      return;
    }
    if (parts.length != 5 || !(parts[1].equals("exec") || parts[1].equals("attach"))) {
      hs.reject(404);
      return;
    }
    List<String> offered = new ArrayList<>();
    for (String h : hs.headers().getAll("Sec-WebSocket-Protocol")) for (String p : h.split(",")) offered.add(p.trim());
    if (!offered.contains(RemoteCommandSession.V5) && !offered.contains(RemoteCommandSession.V4)) {
      hs.reject(400);
      return;
    }
    QueryStringDecoder q = new QueryStringDecoder(hs.uri());
    SpdyClient runtime = null;
    RemoteCommandSession.Streams streams = null;
    NodeError failure = null;
    try {
      List<String> command = q.parameters().getOrDefault("command", List.of());
      boolean tty = flag(q, "tty");
      streams = new RemoteCommandSession.Streams(flag(q, "stdin"), flag(q, "stdout"), flag(q, "stderr") && !tty, tty);
      runtime = open(parts[1], parts[2], parts[3], parts[4], command, streams);
    } catch (NodeError e) {
      failure = e;
    } catch (CriException e) {
      failure = new NodeError(500, "InternalError", "the container runtime failed: " + e.getMessage());
    } catch (RuntimeException e) {
      log.warn("{} failed", hs.path(), e);
      failure = new NodeError(500, "InternalError", String.valueOf(e.getMessage()));
    }
    ServerWebSocket ws;
    try {
      ws = acceptPaused(hs, loop).await();
    } catch (Exception e) {
      if (runtime != null) runtime.close();
      log.debug("WebSocket upgrade failed", e);
      return;
    }
    if (failure != null) {
      ws.writeBinaryMessage(Buffer.buffer(new byte[] {RemoteCommandSession.ERROR}).appendString(statusJson(failure)));
      ws.close();
      return;
    }
    WebSocketClientSide client = new WebSocketClientSide(ws);
    RemoteCommandSession session;
    try {
      session = RemoteCommandSession.open(runtime, streams, client, RemoteCommandSession.V5.equals(ws.subProtocol()));
    } catch (java.io.IOException e) {
      runtime.close();
      ws.writeBinaryMessage(Buffer.buffer(new byte[] {RemoteCommandSession.ERROR})
          .appendString(statusJson(new NodeError(500, "InternalError", "cannot open the runtime's streams: " + e.getMessage()))));
      ws.close();
      return;
    }
    ws.binaryMessageHandler(b -> session.fromClient(b.getBytes()));
    ws.closeHandler(v -> session.close());
    ws.exceptionHandler(e -> session.close());
    if (ws.isClosed()) session.close(); // closed before the close handler was there to hear it
    ws.resume();
    session.pump();
  }

  // ---------------------------------------------------------------------------------------------- port-forward

  /**
   * One forwarded connection ({@code /portForward/NS/POD?port=P}, subprotocol {@code v4.channel.k8s.io}): the runtime's
   * port-forward streams are opened first; a failure is reported on the error channel (as the kubelet does once
   * streaming has begun), then the WebSocket closes.
   */
  private void portForward(ServerWebSocketHandshake hs, Context loop, String ns, String pod) {
    List<String> offered = new ArrayList<>();
    for (String h : hs.headers().getAll("Sec-WebSocket-Protocol")) for (String p : h.split(",")) offered.add(p.trim());
    if (!offered.contains(RemoteCommandSession.V4)) {
      hs.reject(400);
      return;
    }
    QueryStringDecoder q = new QueryStringDecoder(hs.uri());
    List<String> ports = q.parameters().getOrDefault("port", List.of());
    int port = ports.size() == 1 ? parsePort(ports.get(0)) : -1;
    SpdyClient runtime = null;
    String failure = null;
    try {
      if (port < 0) throw new NodeError(400, "BadRequest", "exactly one port between 1 and 65535 must be given: " + ports);
      String sandbox = finder.readySandbox(ns, pod);
      if (sandbox == null) throw new NodeError(404, "NotFound", "pod " + ns + "/" + pod + " has no running sandbox on this node");
      String url = cri.portForward(sandbox, List.of(port));
      try {
        runtime = SpdyClient.connect(URI.create(url), PortForwardSession.PROTOCOL, RUNTIME_CONNECT_TIMEOUT);
      } catch (SpdyClient.UpgradeException e) {
        throw new NodeError(500, "InternalError", "the runtime's streaming server refused the port-forward: " + e.body.strip());
      } catch (java.io.IOException e) {
        throw new NodeError(500, "InternalError", "cannot reach the runtime's streaming server: " + e.getMessage());
      }
    } catch (NodeError e) {
      failure = e.getMessage();
    } catch (CriException e) {
      failure = "the container runtime failed: " + e.getMessage();
    } catch (RuntimeException e) {
      log.warn("{} failed", hs.path(), e);
      failure = String.valueOf(e.getMessage());
    }
    ServerWebSocket ws;
    try {
      ws = acceptPaused(hs, loop).await();
    } catch (Exception e) {
      if (runtime != null) runtime.close();
      log.debug("WebSocket upgrade failed", e);
      return;
    }
    if (failure != null) {
      int p = Math.max(port, 0);
      ws.writeBinaryMessage(Buffer.buffer(PortForwardSession.portPrefix(PortForwardSession.DATA, p)));
      ws.writeBinaryMessage(Buffer.buffer(PortForwardSession.portPrefix(PortForwardSession.ERROR, p)));
      ws.writeBinaryMessage(Buffer.buffer(new byte[] {PortForwardSession.ERROR}).appendString(failure));
      ws.close();
      return;
    }
    PortForwardSession session;
    try {
      session = PortForwardSession.open(runtime, port, new WebSocketClientSide(ws));
    } catch (java.io.IOException e) {
      runtime.close();
      ws.writeBinaryMessage(Buffer.buffer(PortForwardSession.portPrefix(PortForwardSession.DATA, port)));
      ws.writeBinaryMessage(Buffer.buffer(PortForwardSession.portPrefix(PortForwardSession.ERROR, port)));
      ws.writeBinaryMessage(Buffer.buffer(new byte[] {PortForwardSession.ERROR}).appendString("cannot open the runtime's port-forward streams: " + e.getMessage()));
      ws.close();
      return;
    }
    ws.binaryMessageHandler(b -> session.fromClient(b.getBytes()));
    ws.closeHandler(v -> session.close());
    ws.exceptionHandler(e -> session.close());
    if (ws.isClosed()) session.close();
    ws.resume();
    session.pump();
  }

  private static int parsePort(String s) {
    try {
      int p = Integer.parseInt(s.trim());
      return p >= 1 && p <= 65535 ? p : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Accepts the handshake on its connection's event loop and pauses the WebSocket in that same event-loop task. Vert.x
   * hands a message that arrives while a WebSocket has no handler and is not paused to no one, and a client sends
   * as soon as it has read the 101 (kubectl: stdin, its terminal size): accepting on a worker and pausing afterwards
   * loses whatever the event loop read in between. Handlers can then be set from any thread before resuming.
   */
  static Future<ServerWebSocket> acceptPaused(ServerWebSocketHandshake hs, Context loop) {
    Promise<ServerWebSocket> accepted = Promise.promise();
    loop.runOnContext(v -> {
      Future<ServerWebSocket> f;
      try {
        f = hs.accept(); // on the event loop the upgrade completes inline: no frame is read before the pause below
      } catch (RuntimeException e) {
        accepted.fail(e);
        return;
      }
      if (f.succeeded()) {
        f.result().pause();
        accepted.complete(f.result());
      } else {
        f.onComplete(ar -> {
          if (ar.succeeded()) ar.result().pause();
          accepted.handle(ar);
        });
      }
    });
    return accepted.future();
  }

  /** Checks the request, finds the running container and opens the runtime's streaming session for it. */
  private SpdyClient open(String kind, String ns, String pod, String container, List<String> command, RemoteCommandSession.Streams streams) {
    if (kind.equals("exec") && command.isEmpty()) throw new NodeError(400, "BadRequest", "you must specify at least 1 command");
    if (!streams.stdin() && !streams.stdout() && !streams.stderr()) {
      throw new NodeError(400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr");
    }
    ContainerFinder.Instance target = finder.running(ns, pod, container);
    if (target == null) throw new NodeError(404, "NotFound", "container not found (\"" + container + "\")");
    String url = kind.equals("exec")
        ? cri.exec(ExecRequest.newBuilder().setContainerId(target.id()).addAllCmd(command).setTty(streams.tty())
            .setStdin(streams.stdin()).setStdout(streams.stdout()).setStderr(streams.stderr()).build())
        : cri.attach(AttachRequest.newBuilder().setContainerId(target.id()).setTty(streams.tty())
            .setStdin(streams.stdin()).setStdout(streams.stdout()).setStderr(streams.stderr()).build());
    try {
      return SpdyClient.connect(URI.create(url), RemoteCommandSession.V4, RUNTIME_CONNECT_TIMEOUT);
    } catch (SpdyClient.UpgradeException e) {
      throw new NodeError(500, "InternalError", "the runtime's streaming server refused the " + kind + ": " + e.body.strip());
    } catch (java.io.IOException e) {
      throw new NodeError(500, "InternalError", "cannot reach the runtime's streaming server: " + e.getMessage());
    }
  }

  private static boolean flag(QueryStringDecoder q, String name) {
    List<String> v = q.parameters().get(name);
    return v != null && !v.isEmpty() && (v.get(0).isEmpty() || v.get(0).equalsIgnoreCase("true") || v.get(0).equals("1"));
  }

  /** A client WebSocket as the session sees it; sends wait only when the connection's write queue is full. */
  private record WebSocketClientSide(ServerWebSocket ws) implements RemoteCommandSession.ClientSide {
    @Override public void send(byte[] message) {
      Future<Void> f = ws.writeBinaryMessage(Buffer.buffer(message));
      if (ws.writeQueueFull()) {
        try {
          f.await();
        } catch (Exception ignored) {
          // closed; the close handler ends the session
        }
      }
    }

    @Override public void close() { if (!ws.isClosed()) ws.close(); }

    @Override public void pause() { ws.pause(); }

    @Override public void resume() { ws.resume(); }
  }

  // ------------------------------------------------------------------------------------------------- errors

  /** An error answered as a metav1.Status, which the API server passes on to the client. */
  static final class NodeError extends RuntimeException {
    final int code;
    final String reason;

    NodeError(int code, String reason, String message) {
      super(message);
      this.code = code;
      this.reason = reason;
    }
  }

  static String statusJson(NodeError e) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":" + jsonString(e.getMessage())
        + ",\"reason\":\"" + e.reason + "\",\"code\":" + e.code + "}";
  }

  private static void answer(HttpServerRequest req, NodeError e) {
    String body = statusJson(e);
    try {
      req.response().setStatusCode(e.code).putHeader("Content-Type", "application/json").end(body);
    } catch (IllegalStateException ignored) {
      // already answered
    }
  }

  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : String.valueOf(s).toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.close().await();
      } catch (Exception e) {
        log.debug("closing the node streaming server", e);
      }
    }
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
