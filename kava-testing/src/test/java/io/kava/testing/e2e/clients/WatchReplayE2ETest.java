package io.kava.testing.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A watch without a resourceVersion starts with an ADDED event for every object there is, however many: upstream
 * replays the whole state before the live events. Far more than one HTTP/2 flow-control window (64 KiB) of objects
 * here, read through kubectl (HTTP/2, as client-go): a server that counted the replay against its slow-watcher limit
 * would cut the watch after the first few dozen objects.
 */
@Tag("e2e")
class WatchReplayE2ETest {
  static final int OBJECTS = 300;
  static KavaCluster cluster;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33"})
  void watchWithoutResourceVersionReplaysEveryObject(String version) throws IOException {
    Kubectl k = cluster.kubectl(version);
    assumeTrue(k.available(), "kubectl " + version + " is not installed at " + k.binary() + "; skipping");
    // The first requests after start-up can time out in their TLS handshake on a loaded machine.
    Poll.until(() -> k.run("get", "namespaces").ok(), () -> k.run("get", "namespaces").toString());
    String ns = "replay-" + version.replace('.', '-');
    StringBuilder yaml = new StringBuilder();
    yaml.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(ns).append('\n');
    String payload = "x".repeat(1000);
    for (int i = 0; i < OBJECTS; i++) {
      yaml.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-").append(i).append("\n  namespace: ").append(ns)
          .append("\ndata:\n  payload: ").append(payload).append('\n');
    }
    Path manifest = Files.createTempFile("kava-replay-", ".yaml");
    Files.writeString(manifest, yaml);
    Kubectl.Result applied = k.runWithTimeout(null, 180, "create", "-f", manifest.toString());
    Files.delete(manifest);
    assertThat(applied.exitCode()).as(applied.toString()).isZero();

    // The server ends the watch after timeoutSeconds; kubectl prints every event it got until then.
    Kubectl.Result watched = k.runWithTimeout(null, 60, "get", "--raw",
        "/api/v1/namespaces/" + ns + "/configmaps?watch=true&timeoutSeconds=5");
    assertThat(watched.exitCode()).as(watched.err()).isZero();
    // (the root-ca-cert-publisher's kube-root-ca.crt is in the namespace as well: count ours)
    long added = watched.out().lines().filter(l -> l.startsWith("{\"type\":\"ADDED\"") && l.contains("\"name\":\"cm-")).count();
    assertThat(added).as("ADDED events of a watch without resourceVersion over " + OBJECTS + " ConfigMaps").isEqualTo(OBJECTS);
  }
}
