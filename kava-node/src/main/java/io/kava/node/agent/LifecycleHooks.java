package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.ExecSyncResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Runs postStart and preStop handlers: exec in the container, httpGet against the pod, or sleep. */
final class LifecycleHooks {
  private final CriClient cri;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LifecycleHooks(CriClient cri) { this.cri = cri; }

  /** Runs the handler; returns null on success, else why it failed. */
  String run(LifecycleHandler h, Container c, String containerId, String podIp, Duration timeout) {
    if (h == null) return null;
    try {
      if (h.getExec() != null && h.getExec().getCommand() != null) {
        ExecSyncResponse r = cri.execSync(containerId, h.getExec().getCommand(), Math.max(1, timeout.toSeconds()));
        if (r.getExitCode() != 0) {
          return "command '" + String.join(" ", h.getExec().getCommand()) + "' exited with " + r.getExitCode() + ": "
              + r.getStdout().toString(StandardCharsets.UTF_8) + r.getStderr().toString(StandardCharsets.UTF_8);
        }
        return null;
      }
      if (h.getHttpGet() != null) return httpGet(h.getHttpGet(), c, podIp, timeout);
      if (h.getSleep() != null && h.getSleep().getSeconds() != null) {
        Thread.sleep(Math.min(timeout.toMillis(), h.getSleep().getSeconds() * 1000));
        return null;
      }
      return "handler has no exec, httpGet or sleep action";
    } catch (CriException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private String httpGet(HTTPGetAction a, Container c, String podIp, Duration timeout) throws InterruptedException {
    String host = a.getHost() == null || a.getHost().isEmpty() ? podIp : a.getHost();
    int port = resolvePort(a.getPort(), c);
    if (port <= 0) return "invalid port " + a.getPort();
    String scheme = a.getScheme() == null ? "http" : a.getScheme().toLowerCase();
    String path = a.getPath() == null ? "/" : a.getPath().startsWith("/") ? a.getPath() : "/" + a.getPath();
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(scheme + "://" + host + ":" + port + path)).timeout(timeout).GET();
    if (a.getHttpHeaders() != null) for (HTTPHeader hd : a.getHttpHeaders()) req.header(hd.getName(), hd.getValue());
    try {
      HttpResponse<Void> r = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() >= 200 && r.statusCode() < 400 ? null : "HTTP " + r.statusCode() + " from " + path;
    } catch (java.io.IOException e) {
      return "Get " + scheme + "://" + host + ":" + port + path + ": " + e.getMessage();
    }
  }

  /** A port number, or a named port of the container. */
  static int resolvePort(IntOrString p, Container c) {
    if (p == null) return -1;
    if (p.getIntVal() != null) return p.getIntVal();
    String name = p.getStrVal();
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      if (c.getPorts() != null) for (ContainerPort cp : c.getPorts()) if (name.equals(cp.getName())) return cp.getContainerPort();
      return -1;
    }
  }
}
