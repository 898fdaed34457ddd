package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.node.ContainerdNodeFixture.get;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.ok;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.poll;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * mountPropagation on a hostPath volume, as upstream's mount propagation e2e test checks it: the hostPath lies under
 * the node's data dir (the kubelet's test uses its root dir), which the node makes a shared mount. A mount made on the
 * host after the containers started reaches a HostToContainer container but not a None one; a mount made inside a
 * privileged Bidirectional container reaches the host (and the HostToContainer container); Bidirectional without
 * privileged is refused by validation.
 */
@Tag("e2e")
class MountPropagationE2ETest {
  static ContainerdNodeFixture f;
  static Kubectl k;
  static Path hostDir;

  @BeforeAll
  static void start() throws Exception {
    f = ContainerdNodeFixture.start();
    k = f.kubectl("1.33");
    hostDir = f.cluster.dataDir().resolve("propagation");
  }

  @AfterAll
  static void stop() {
    if (hostDir != null) {
      unmount(hostDir.resolve("from-host"));
      unmount(hostDir.resolve("from-container"));
    }
    if (f != null) f.close();
  }

  static String pod(String name, String propagation, boolean privileged) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          terminationGracePeriodSeconds: 1
          volumes:
          - name: host
            hostPath: {path: %s, type: DirectoryOrCreate}
          containers:
          - name: main
            image: %s
            command: ["sh", "-c", "exec sleep 3600"]
            securityContext: {privileged: %s}
            volumeMounts:
            - name: host
              mountPath: /mnt/host
              %s
        """.formatted(name, hostDir, f.image, privileged, propagation == null ? "" : "mountPropagation: " + propagation);
  }

  static void host(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  static void unmount(Path p) {
    try {
      if (Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + p + " ")) new ProcessBuilder("umount", "-l", p.toString()).start().waitFor();
    } catch (IOException | InterruptedException e) {
      // the cluster's clean-up unmounts whatever is left under its data dir
    }
  }

  static String mountinfo() {
    try {
      return Files.readString(Path.of("/proc/self/mountinfo"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void hostMountsReachHostToContainerAndBidirectionalMountsReachTheHost() throws Exception {
    for (String[] p : new String[][] {{"to-container", "HostToContainer", "false"}, {"private", null, "false"}, {"both-ways", "Bidirectional", "true"}}) {
      ok(k.runWithInput(pod(p[0], p[1], Boolean.parseBoolean(p[2])), "apply", "-f", "-"));
    }
    for (String name : new String[] {"to-container", "private", "both-ways"}) {
      poll(() -> get(k, name, "{.status.phase}").equals("Running"), yaml(k, name));
    }

    // host -> containers: a tmpfs mounted on the host under the hostPath after the containers started
    Path fromHost = hostDir.resolve("from-host");
    Files.createDirectories(fromHost);
    host("mount", "-t", "tmpfs", "tmpfs", fromHost.toString());
    Files.writeString(fromHost.resolve("hello"), "made on the host\n");
    poll(() -> k.run("exec", "to-container", "--", "cat", "/mnt/host/from-host/hello").out().equals("made on the host\n"),
        () -> k.run("exec", "to-container", "--", "cat", "/mnt/host/from-host/hello").toString());
    assertThat(k.run("exec", "both-ways", "--", "cat", "/mnt/host/from-host/hello").out()).isEqualTo("made on the host\n");
    // None: the directory is there (it is the same file system) but the mount on it is not
    Kubectl.Result none = k.run("exec", "private", "--", "ls", "-A", "/mnt/host/from-host");
    assertThat(none.exitCode()).as(none.toString()).isZero();
    assertThat(none.out()).isEmpty();

    // container -> host: a tmpfs mounted inside the privileged Bidirectional container
    ok(k.run("exec", "both-ways", "--", "sh", "-c",
        "mkdir -p /mnt/host/from-container && mount -t tmpfs tmpfs /mnt/host/from-container && echo made in the container > /mnt/host/from-container/hello"));
    Path fromContainer = hostDir.resolve("from-container");
    poll(() -> mountinfo().contains(" " + fromContainer + " "), () -> "no mount at " + fromContainer + " on the host:\n" + mountinfo());
    assertThat(fromContainer.resolve("hello")).hasContent("made in the container");
    // ... and on to the HostToContainer container, through the host
    poll(() -> k.run("exec", "to-container", "--", "cat", "/mnt/host/from-container/hello").out().equals("made in the container\n"),
        () -> k.run("exec", "to-container", "--", "cat", "/mnt/host/from-container/hello").toString());

    unmount(fromContainer);
    unmount(fromHost);
    ok(k.run("delete", "pod", "to-container", "private", "both-ways", "--wait=true"));
  }

  @Test
  void bidirectionalWithoutPrivilegedIsRefused() {
    Kubectl.Result r = k.runWithInput(pod("not-privileged", "Bidirectional", false), "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.err()).contains("is invalid")
        .contains("spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers");
    Kubectl.Result bogus = k.runWithInput(pod("bogus", "Sideways", false), "apply", "-f", "-");
    assertThat(bogus.exitCode()).as(bogus.toString()).isNotZero();
    assertThat(bogus.err()).contains("spec.containers[0].volumeMounts.mountPropagation: Unsupported value: \"Sideways\"");
  }
}
