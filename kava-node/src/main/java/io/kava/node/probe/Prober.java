package io.kava.node.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.kava.api.time.GoDurations;
import io.kava.node.grpc.GrpcChannel;
import io.kava.node.grpc.GrpcCode;
import io.kava.node.grpc.GrpcException;
import io.kava.node.grpc.health.v1.HealthCheckRequest;
import io.kava.node.grpc.health.v1.HealthCheckResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Runs one probe as the kubelet's prober: exec through an {@link ExecRunner} (exit code 0 is success), tcpSocket
 * (a connection is success), httpGet (status 200–399 is success; {@link HttpProbe}). Host defaults to the pod IP;
 * a named port is looked up in the container's ports; grpc (gRPC's health protocol, {@code grpc.health.v1.Health/Check}
 * on the pod IP: SERVING is success). Messages are the kubelet's.
 */
public final class Prober {
  private final ExecRunner exec;

  public Prober(ExecRunner exec) {
    this.exec = exec;
  }

  /**
   * Runs {@code probe} for a container.
   *
   * @param podIp the pod's IP, the default host of tcpSocket and httpGet probes
   */
  public ProbeOutcome probe(Probe probe, Container container, String containerId, String podIp) {
    Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() <= 0 ? 1 : probe.getTimeoutSeconds());
    try {
      if (probe.getExec() != null) return exec(probe.getExec().getCommand(), containerId, timeout);
      if (probe.getTcpSocket() != null) {
        String host = hostOr(probe.getTcpSocket().getHost(), podIp);
        return tcp(host, port(probe.getTcpSocket().getPort(), container), timeout);
      }
      if (probe.getHttpGet() != null) {
        var g = probe.getHttpGet();
        String scheme = g.getScheme() == null || g.getScheme().isEmpty() ? "HTTP" : g.getScheme();
        String path = g.getPath() == null || g.getPath().isEmpty() ? "/" : g.getPath().startsWith("/") ? g.getPath() : "/" + g.getPath();
        List<String[]> headers = new ArrayList<>();
        if (g.getHttpHeaders() != null) for (HTTPHeader h : g.getHttpHeaders()) headers.add(new String[] {h.getName(), h.getValue()});
        return HttpProbe.get(scheme.equalsIgnoreCase("HTTPS"), hostOr(g.getHost(), podIp), port(g.getPort(), container), path, headers, timeout);
      }
      if (probe.getGrpc() != null) {
        Integer port = probe.getGrpc().getPort();
        if (port == null || port <= 0 || port >= 65536) throw new IllegalArgumentException("invalid port number: " + port);
        return grpc(podIp, port, probe.getGrpc().getService(), timeout);
      }
      return ProbeOutcome.unknown("missing probe handler");
    } catch (IllegalArgumentException e) {
      return ProbeOutcome.unknown(e.getMessage());
    }
  }

  private ProbeOutcome exec(List<String> command, String containerId, Duration timeout) {
    try {
      ExecRunner.Result r = exec.exec(containerId, command == null ? List.of() : command, timeout);
      if (r.exitCode() == 0) return ProbeOutcome.success(r.output());
      return ProbeOutcome.failure(r.output() == null || r.output().isEmpty()
          ? "command " + quote(command) + " exited with " + r.exitCode() : r.output());
    } catch (TimeoutException e) {
      return ProbeOutcome.failure("command " + quote(command) + " timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeOutcome.unknown("interrupted");
    } catch (Exception e) {
      return ProbeOutcome.unknown(e.getMessage());
    }
  }

  static ProbeOutcome tcp(String host, int port, Duration timeout) {
    String addr = HttpProbe.hostPort(host, port);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return ProbeOutcome.success("");
    } catch (SocketTimeoutException e) {
      return ProbeOutcome.failure("dial tcp " + addr + ": i/o timeout");
    } catch (ConnectException e) {
      return ProbeOutcome.failure("dial tcp " + addr + ": connect: connection refused");
    } catch (IOException e) {
      return ProbeOutcome.failure("dial tcp " + addr + ": " + e.getMessage());
    }
  }

  /**
   * The kubelet's gRPC probe: a plain-text HTTP/2 connection to {@code host:port} and one Health/Check call for {@code
   * service} (empty: the server as a whole), both within {@code timeout}.
   */
  static ProbeOutcome grpc(String host, int port, String service, Duration timeout) {
    long start = System.nanoTime();
    try (GrpcChannel channel = GrpcChannel.tcp(host, port, HttpProbe.USER_AGENT)) {
      // The kubelet dials with grpc-go's WithBlock: a refused connection is tried again (after grpc-go's backoff of 1 s,
      // then 1.6 times longer) until the probe's timeout, which is then what it reports.
      Duration backoff = Duration.ofSeconds(1);
      while (true) {
        try {
          channel.connect(remaining(start, timeout));
          break;
        } catch (GrpcException e) {
          boolean retry = e.code() != GrpcCode.DEADLINE_EXCEEDED && remaining(start, timeout).toMillis() > 1;
          if (retry && !sleep(min(backoff, remaining(start, timeout)))) {
            return ProbeOutcome.failure("error: failed to connect service at \"" + channel.target() + "\": " + e.description());
          }
          if (retry && remaining(start, timeout).toMillis() > 1) {
            backoff = Duration.ofMillis((long) (backoff.toMillis() * 1.6));
            continue;
          }
          return ProbeOutcome.failure("timeout: failed to connect service \"" + channel.target() + "\" within " + GoDurations.format(timeout)
              + ": context deadline exceeded");
        }
      }
      HealthCheckResponse r;
      try {
        r = channel.call("grpc.health.v1.Health", "Check", HealthCheckRequest.newBuilder().setService(service == null ? "" : service).build(),
            HealthCheckResponse.parser(), remaining(start, timeout));
      } catch (GrpcException e) {
        return switch (e.code()) {
          case UNIMPLEMENTED -> ProbeOutcome.failure("this server does not implement the grpc health protocol (grpc.health.v1.Health): " + e.description());
          case DEADLINE_EXCEEDED -> ProbeOutcome.failure("timeout: health rpc did not complete within " + GoDurations.format(timeout));
          default -> ProbeOutcome.failure("error: health rpc probe failed: " + e.getMessage());
        };
      }
      if (r.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
        return ProbeOutcome.failure("service unhealthy (responded with \"" + r.getStatus().name() + "\")");
      }
      return ProbeOutcome.success("service healthy");
    }
  }

  /** Resolves an int or named port (upstream's findPortByName). */
  static int port(IntOrString port, Container container) {
    if (port == null) throw new IllegalArgumentException("missing port");
    int n;
    if (port.getIntVal() != null) {
      n = port.getIntVal();
    } else {
      String name = port.getStrVal();
      n = -1;
      if (container.getPorts() != null) {
        for (ContainerPort p : container.getPorts()) if (name.equals(p.getName())) n = p.getContainerPort();
      }
      if (n < 0) {
        try {
          n = Integer.parseInt(name);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("couldn't find port " + name + " in container " + container.getName());
        }
      }
    }
    if (n <= 0 || n >= 65536) throw new IllegalArgumentException("invalid port number: " + n);
    return n;
  }

  /** What is left of {@code timeout} since {@code start} (System.nanoTime), at least a millisecond. */
  private static Duration remaining(long start, Duration timeout) {
    Duration left = timeout.minusNanos(System.nanoTime() - start);
    return left.toMillis() < 1 ? Duration.ofMillis(1) : left;
  }

  private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }

  /** Sleeps; false when interrupted (the probe is being stopped). */
  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String hostOr(String host, String podIp) {
    return host == null || host.isEmpty() ? podIp : host;
  }

  private static String quote(List<String> command) {
    return "'" + String.join(" ", command == null ? List.of() : command) + "'";
  }
}
