package io.kava.apiserver.http;

import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.proxy.NodeProxy;
import io.kava.apiserver.proxy.NodeTarget;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.apiserver.auth.UserInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The pods/log, pods/exec, pods/attach and pods/portforward subresources: checks the request against the pod as
 * upstream's pod REST storage does (which container, is it there, has the pod a node), then proxies to the streaming
 * server of the pod's node ({@link NodeProxy}). Exec and attach are WebSocket sessions ({@code v5.channel.k8s.io}, the
 * default from kubectl 1.30, or {@code v4.channel.k8s.io}) or SPDY/3.1 sessions of {@code v4.channel.k8s.io} (kubectl
 * 1.29 and older), which the API server bridges to the node's v5. Port-forward ({@code portforward.k8s.io}) is served
 * over SPDY/3.1, raw after an upgrade or tunnelled in a WebSocket ({@code SPDY/3.1+portforward.k8s.io}, kubectl 1.31+).
 */
public final class PodStreams {
  /** The WebSocket subprotocols relayed, in kava's order of preference. */
  public static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
  /** The SPDY protocol of exec and attach (kubectl 1.29 and older also offer v3, v2 and v1, which kava does not speak). */
  static final String SPDY_EXEC_PROTOCOL = "v4.channel.k8s.io";
  static final String PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
  /** kubectl 1.31+ port-forward: SPDY frames tunnelled in WebSocket binary messages. */
  static final String PORT_FORWARD_TUNNEL_PROTOCOL = "SPDY/3.1+" + PORT_FORWARD_PROTOCOL;
  /** Every WebSocket subprotocol the API server accepts (Netty picks the client's first one in this list). */
  public static final List<String> WEBSOCKET_PROTOCOLS = List.of(PROTOCOLS.get(0), PROTOCOLS.get(1), PORT_FORWARD_TUNNEL_PROTOCOL);
  /** The label simulated nodes carry: they run no processes, so there is nothing to stream. */
  static final String SIM_NODE_LABEL = "kava.io/sim-node";
  static final int DEFAULT_NODE_PORT = 10250;
  private static final Set<String> LOG_PARAMS = Set.of("follow", "previous", "tailLines", "sinceSeconds", "sinceTime", "timestamps", "limitBytes");
  private static final Set<String> STREAM_PARAMS = Set.of("command", "stdin", "stdout", "stderr", "tty");

  private final GenericStore store;
  private final ResourceRegistry registry;
  private final NodeProxy proxy;

  /** @param proxy null when the API server has no client certificate for nodes (streams then answer 503) */
  public PodStreams(GenericStore store, NodeProxy proxy) {
    this.store = store;
    this.registry = store.registry();
    this.proxy = proxy;
  }

  public static boolean handles(ResourceDefinition def, String sub) {
    return def.group().isEmpty() && def.plural().equals("pods") && Set.of("log", "exec", "attach", "portforward").contains(sub);
  }

  public void serve(Exchange ex, RequestInfo ri, ResourceDefinition pods, String ns, String name, String sub) {
    switch (sub) {
      case "log" -> {
        if (!ri.verb().equals("get")) throw StatusException.methodNotSupported("", "pods/log", ri.verb());
        logs(ex, pods, ns, name);
      }
      case "exec", "attach" -> stream(ex, pods, ns, name, sub);
      case "portforward" -> portForward(ex, pods, ns, name);
      default -> throw new StatusException(404, "NotFound", "the server could not find the requested resource");
    }
  }

  // ----------------------------------------------------------------------------------------------------- logs

  private void logs(Exchange ex, ResourceDefinition pods, String ns, String name) {
    validateLogOptions(ex);
    JsonNode pod = store.get(pods, ns, name, null).object();
    String container = container(pod, name, ex.param("container"));
    String nodeName = pod.path("spec").path("nodeName").asString("");
    if (nodeName.isEmpty()) {
      // Upstream answers an unscheduled pod's log request with nothing at all.
      ex.respond(200, "text/plain", new byte[0]);
      return;
    }
    checkLogStatus(pod, name, container, ex.flag("previous"));
    NodeTarget target = target(nodeName);
    proxy().pipe(ex, target, "/containerLogs/" + ns + "/" + name + "/" + container + query(ex, LOG_PARAMS));
  }

  private static void validateLogOptions(Exchange ex) {
    String tail = ex.param("tailLines");
    String since = ex.param("sinceSeconds");
    String limit = ex.param("limitBytes");
    List<String> errs = new ArrayList<>();
    if (tail != null && number(tail, "tailLines") < 0) errs.add("tailLines: Invalid value: " + tail + ": must be greater than or equal to 0");
    if (since != null && number(since, "sinceSeconds") < 1) errs.add("sinceSeconds: Invalid value: " + since + ": must be greater than 0");
    if (limit != null && number(limit, "limitBytes") < 1) errs.add("limitBytes: Invalid value: " + limit + ": must be greater than 0");
    if (since != null && ex.param("sinceTime") != null) errs.add("at most one of `sinceTime` or `sinceSeconds` may be specified");
    if (!errs.isEmpty()) {
      throw new StatusException(422, "Invalid", "PodLogOptions \"\" is invalid: " + (errs.size() == 1 ? errs.get(0) : errs.toString()));
    }
  }

  private static long number(String v, String name) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("couldn't parse " + name + ": \"" + v + "\" is not an integer");
    }
  }

  /** What the kubelet checks before it opens a log: the container must have started (or have a terminated past). */
  private static void checkLogStatus(JsonNode pod, String podName, String container, boolean previous) {
    JsonNode status = containerStatus(pod, container);
    String quoted = "container \"" + container + "\" in pod \"" + podName + "\"";
    JsonNode last = status == null ? null : status.path("lastState").path("terminated");
    boolean hasLast = last != null && last.isObject();
    if (previous) {
      if (!hasLast) throw StatusException.badRequest("previous terminated " + quoted + " not found");
      return;
    }
    if (status == null) throw StatusException.badRequest(quoted + " is waiting to start: ContainerCreating");
    JsonNode state = status.path("state");
    if (state.path("running").isObject() || state.path("terminated").isObject()) return;
    JsonNode waiting = state.path("waiting");
    if (waiting.isObject() && !hasLast) {
      throw StatusException.badRequest(quoted + " is waiting to start: " + waiting.path("reason").asString("ContainerCreating"));
    }
  }

  // ------------------------------------------------------------------------------------------ exec and attach

  /** The query of an exec or attach request, from a plain request or a WebSocket handshake. */
  private record StreamParams(java.util.function.Function<String, List<String>> all) {
    String one(String n) {
      List<String> v = all.apply(n);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    boolean flag(String n) {
      String v = one(n);
      return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
    }
  }

  /** Upstream's checks of an exec or attach; returns the container and the pod's node. */
  private String[] check(ResourceDefinition pods, String ns, String name, String sub, StreamParams p) {
    JsonNode pod = store.get(pods, ns, name, null).object();
    String container = container(pod, name, p.one("container"));
    if (sub.equals("exec") && p.one("command") == null) throw StatusException.badRequest("you must specify at least 1 command");
    if (!p.flag("stdin") && !p.flag("stdout") && !p.flag("stderr")) {
      throw StatusException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
    }
    String nodeName = pod.path("spec").path("nodeName").asString("");
    if (nodeName.isEmpty()) throw StatusException.badRequest("pod " + name + " does not have a host assigned");
    String phase = pod.path("status").path("phase").asString("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      throw StatusException.badRequest("cannot " + sub + " into a container in a completed pod; current phase is " + phase);
    }
    JsonNode status = containerStatus(pod, container);
    if (status != null && !status.path("state").path("running").isObject()) {
      throw StatusException.badRequest("container not found (\"" + container + "\")");
    }
    return new String[] {container, nodeName};
  }

  /**
   * An exec or attach. A WebSocket or SPDY upgrade is checked, then relayed to the node: the client's upgrade is
   * accepted only once the node accepted its own, so every refusal is a plain HTTP {@code Status}. Runs on a worker
   * thread.
   */
  private void stream(Exchange ex, ResourceDefinition pods, String ns, String name, String sub) {
    if (ex.webSocketRequested()) {
      relayWebSocket(ex, pods, ns, name, sub);
      return;
    }
    StreamParams params = new StreamParams(n -> ex.params().getAll(n));
    String[] checked = check(pods, ns, name, sub, params);
    if (!ex.spdyRequested()) throw StatusException.badRequest("Upgrade request required");
    requireStreamProtocol(ex, SPDY_EXEC_PROTOCOL);
    NodeTarget target = target(checked[1]);
    String uri = "/" + sub + "/" + ns + "/" + name + "/" + checked[0] + query(ex, STREAM_PARAMS);
    proxy().relaySpdyExec(() -> ex.acceptSpdy(SPDY_EXEC_PROTOCOL), target, uri,
        params.flag("stdin"), params.flag("stdout"), params.flag("stderr"), params.flag("tty"));
  }

  /** The SPDY handshake of an upgrade request; see {@link #negotiateSpdy}. */
  private static void requireStreamProtocol(Exchange ex, String protocol) {
    negotiateSpdy(ex.request().headers().getAll("X-Stream-Protocol-Version"), protocol);
  }

  /**
   * The SPDY handshake, as upstream's httpstream.Handshake words it: the client lists the protocols it speaks in
   * {@code X-Stream-Protocol-Version} headers (one per header, or comma-separated), and the server takes the first it
   * speaks. kava speaks only {@code v4.channel.k8s.io} for exec and attach: a client offering only the old
   * remotecommand v1–v3 protocols (very old clients) gets a 400 Status saying so,
   * before any upgrade, which kubectl prints as the error.
   *
   * @return {@code protocol}, when the client offers it
   */
  static String negotiateSpdy(List<String> headers, String protocol) {
    List<String> offered = new ArrayList<>();
    for (String h : headers) for (String p : h.split(",")) if (!p.isBlank()) offered.add(p.trim());
    if (offered.isEmpty()) throw StatusException.badRequest("unable to upgrade: X-Stream-Protocol-Version is required");
    if (offered.contains(protocol)) return protocol;
    String msg = "unable to upgrade: unable to negotiate protocol: client supports [" + String.join(" ", offered) + "], server accepts ["
        + protocol + "]";
    if (protocol.equals(SPDY_EXEC_PROTOCOL)) {
      msg += ": kava streams exec and attach over remotecommand v4 (v4.channel.k8s.io) or newer, not the v1-v3 protocols of very "
          + "old clients; use a newer kubectl or client";
    }
    throw StatusException.badRequest(msg);
  }

  private void relayWebSocket(Exchange ex, ResourceDefinition pods, String ns, String name, String sub) {
    String[] checked = check(pods, ns, name, sub, new StreamParams(n -> ex.params().getAll(n)));
    List<String> offered = offeredWebSocketProtocols(ex);
    String protocol = offered.stream().filter(PROTOCOLS::contains).findFirst().orElseThrow(() -> StatusException.badRequest(
        "none of the offered WebSocket subprotocols " + offered + " is supported; use one of " + PROTOCOLS));
    NodeTarget target = target(checked[1]);
    String uri = "/" + sub + "/" + ns + "/" + name + "/" + checked[0] + query(ex, STREAM_PARAMS);
    proxy().relay(ex::acceptWebSocket, target, uri, protocol);
  }

  private static List<String> offeredWebSocketProtocols(Exchange ex) {
    List<String> offered = new ArrayList<>();
    for (String h : ex.request().headers().getAll("Sec-WebSocket-Protocol")) for (String p : h.split(",")) offered.add(p.trim());
    return offered;
  }

  // ----------------------------------------------------------------------------------------------- port-forward

  /**
   * A port-forward session: the pod must exist and have a node, as upstream checks; each forwarded connection then
   * opens its own WebSocket to the node, whose refusals (a closed port) reach the client on that connection's error
   * stream, where kubectl prints them.
   */
  private void portForward(Exchange ex, ResourceDefinition pods, String ns, String name) {
    JsonNode pod = store.get(pods, ns, name, null).object();
    String nodeName = pod.path("spec").path("nodeName").asString("");
    if (nodeName.isEmpty()) throw StatusException.badRequest("pod " + name + " does not have a host assigned");
    String phase = pod.path("status").path("phase").asString("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      throw StatusException.badRequest("cannot port-forward to a completed pod; current phase is " + phase);
    }
    String uri = "/portForward/" + ns + "/" + name;
    if (ex.webSocketRequested()) {
      List<String> offered = offeredWebSocketProtocols(ex);
      if (!offered.contains(PORT_FORWARD_TUNNEL_PROTOCOL)) {
        throw StatusException.badRequest("none of the offered WebSocket subprotocols " + offered + " is supported for port forwarding; use "
            + PORT_FORWARD_TUNNEL_PROTOCOL);
      }
      NodeTarget target = target(nodeName);
      proxy().portForwardTunnel(ex::acceptWebSocket, target, uri);
      return;
    }
    if (!ex.spdyRequested()) throw StatusException.badRequest("Upgrade request required");
    requireStreamProtocol(ex, PORT_FORWARD_PROTOCOL);
    NodeTarget target = target(nodeName);
    proxy().portForwardSpdy(() -> ex.acceptSpdy(PORT_FORWARD_PROTOCOL), target, uri);
  }

  // ------------------------------------------------------------------------------------------------- shared

  /** The container the request names, or the pod's only container; upstream's messages otherwise. */
  static String container(JsonNode pod, String podName, String requested) {
    List<String> containers = names(pod.path("spec").path("containers"));
    List<String> inits = names(pod.path("spec").path("initContainers"));
    List<String> ephemeral = names(pod.path("spec").path("ephemeralContainers"));
    if (requested == null || requested.isEmpty()) {
      if (containers.size() == 1) return containers.get(0);
      if (containers.isEmpty()) throw StatusException.badRequest("a container name must be specified for pod " + podName);
      String msg = "a container name must be specified for pod " + podName + ", choose one of: [" + String.join(" ", containers) + "]";
      if (!inits.isEmpty()) msg += " or one of the init containers: [" + String.join(" ", inits) + "]";
      throw StatusException.badRequest(msg);
    }
    if (!containers.contains(requested) && !inits.contains(requested) && !ephemeral.contains(requested)) {
      throw StatusException.badRequest("container " + requested + " is not valid for pod " + podName);
    }
    return requested;
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : list) out.add(c.path("name").asString(""));
    return out;
  }

  private static JsonNode containerStatus(JsonNode pod, String container) {
    for (String field : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
      for (JsonNode s : pod.path("status").path(field)) if (container.equals(s.path("name").asString(""))) return s;
    }
    return null;
  }

  /** The node's streaming server: its InternalIP (else ExternalIP, else Hostname) and kubelet endpoint port. */
  private NodeTarget target(String nodeName) {
    ResourceDefinition nodes = registry.byPath("", "v1", "nodes").orElseThrow();
    JsonNode node = store.get(nodes, null, nodeName, null).object();
    if ("true".equals(node.path("metadata").path("labels").path(SIM_NODE_LABEL).asString(""))) {
      throw StatusException.badRequest("node " + nodeName + " is simulated and runs no containers: logs, exec and attach are not available there");
    }
    String host = null;
    for (String type : List.of("InternalIP", "ExternalIP", "Hostname")) {
      for (JsonNode a : node.path("status").path("addresses")) {
        if (host == null && type.equals(a.path("type").asString(""))) host = a.path("address").asString("");
      }
    }
    if (host == null || host.isEmpty()) throw new StatusException(503, "ServiceUnavailable", "node " + nodeName + " reports no address");
    int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
    return new NodeTarget(nodeName, host, port > 0 ? port : DEFAULT_NODE_PORT);
  }

  private NodeProxy proxy() {
    if (proxy == null) throw new StatusException(503, "ServiceUnavailable", "this API server has no client certificate for nodes");
    return proxy;
  }

  /** The request's parameters that the node understands, re-encoded. */
  private static String query(Exchange ex, Set<String> allowed) {
    Map<String, List<String>> params = new java.util.LinkedHashMap<>();
    for (String n : ex.params().names()) params.put(n, ex.params().getAll(n));
    return query(params, allowed);
  }

  private static String query(Map<String, List<String>> params, Set<String> allowed) {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (!allowed.contains(e.getKey())) continue;
      for (String v : e.getValue()) {
        q.append(q.isEmpty() ? '?' : '&').append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    }
    return q.toString();
  }
}
