package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.E2E.ok;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.node.server.NodeStreamingServer;
import io.kava.testing.KavaCluster;
import io.kava.testing.Poll;
import io.kava.testing.Kubectl;
import io.kava.testing.TestContainerd;
import io.kava.testing.TestContainerd.ContainerSpec;
import io.kava.testing.e2e.E2E;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A kava cluster and a node whose pod worker is the test itself: the node's streaming server over a containerd of
 * the test's own (TestContainerd), registered as a Node whose kubelet endpoint is that server. Pods are created in
 * the API, their containers started through CRI and their status written by {@link #runPod}, so the streaming path
 * (API server proxy → node → containerd) is tested on its own. {@link #start} skips the suite, saying why, without
 * containerd or kubectl 1.33.
 */
final class StreamingNodeFixture implements AutoCloseable {
  static final String NS = "default";

  final String node;
  final KavaCluster cluster;
  final TestContainerd containerd;
  final NodeStreamingServer server;
  /** kubectl 1.33 against the cluster. */
  final Kubectl k;

  private StreamingNodeFixture(String node, KavaCluster cluster, TestContainerd containerd, NodeStreamingServer server) {
    this.node = node;
    this.cluster = cluster;
    this.containerd = containerd;
    this.server = server;
    this.k = cluster.kubectl("1.33");
  }

  static StreamingNodeFixture start(String node, String suite) throws Exception {
    String why = TestContainerd.unavailable();
    assumeTrue(why == null, () -> "skipping the " + suite + " e2e tests: " + why);
    Kubectl probe = Kubectl.of("1.33", Path.of("/nonexistent"));
    assumeTrue(probe.available(), "kubectl 1.33 is not installed at " + probe.binary() + "; skipping");
    KavaCluster cluster = KavaCluster.start();
    TestContainerd containerd = null;
    NodeStreamingServer server = null;
    try {
      containerd = TestContainerd.start();
      server = new NodeStreamingServer(cluster.server().nodeStreamingConfig(node, List.of("127.0.0.1"), "127.0.0.1", 0), containerd.cri()).start();
      StreamingNodeFixture f = new StreamingNodeFixture(node, cluster, containerd, server);
      ok(f.k.runWithInput("apiVersion: v1\nkind: Node\nmetadata: {name: " + node + "}\n", "create", "-f", "-"));
      ok(f.k.run("patch", "node", node, "--subresource=status", "--type=merge", "-p",
          "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"},{\"type\":\"Hostname\",\"address\":\"" + node + "\"}],"
              + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + server.port() + "}}}}"));
      // pods are admitted once the service account controller made the namespace's default account (as upstream's
      // e2e framework waits for it); a test that creates its first pod sooner is refused with a 403
      Poll.until(() -> f.k.run("get", "serviceaccount", "default", "-n", NS).ok(), () -> "no default service account in " + NS);
      return f;
    } catch (Exception | Error e) {
      if (server != null) server.close();
      if (containerd != null) containerd.close();
      cluster.close();
      throw e;
    }
  }

  Kubectl kubectl(String version) { return E2E.kubectl(cluster, version); }

  /** Creates the pod in the API (bound to the node), runs its containers and reports them running; the sandbox id. */
  String runPod(String name, ContainerSpec... containers) {
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec:\n  nodeName: " + node + "\n  containers:\n");
    for (ContainerSpec c : containers) {
      yaml.append("  - name: ").append(c.name()).append("\n    image: busybox\n");
      if (c.stdin()) yaml.append("    stdin: true\n");
      if (c.tty()) yaml.append("    tty: true\n");
    }
    ok(k.runWithInput(yaml.toString(), "create", "-f", "-"));
    String uid = ok(k.run("get", "pod", name, "-o", "jsonpath={.metadata.uid}")).out();
    String sandbox = containerd.runPod(NS, name, uid, List.of(containers));
    List<String> statuses = new ArrayList<>();
    for (ContainerSpec c : containers) statuses.add(runningStatus(c.name(), 0, null));
    setStatus(name, statuses);
    return sandbox;
  }

  /** A running container's status as JSON; {@code lastTerminated} is the JSON of its last state, or null. */
  static String runningStatus(String name, int restarts, String lastTerminated) {
    return "{\"name\":\"" + name + "\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":true,\"started\":true,\"restartCount\":" + restarts
        + ",\"state\":{\"running\":{\"startedAt\":\"" + Instant.now().toString().replaceAll("\\.\\d+", "") + "\"}}"
        + (lastTerminated == null ? "" : ",\"lastState\":{\"terminated\":" + lastTerminated + "}") + "}";
  }

  void setStatus(String pod, List<String> containerStatuses) {
    ok(k.run("patch", "pod", pod, "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"phase\":\"Running\",\"containerStatuses\":[" + String.join(",", containerStatuses) + "]}}"));
  }

  @Override
  public void close() {
    server.close();
    containerd.close();
    cluster.close();
  }
}
