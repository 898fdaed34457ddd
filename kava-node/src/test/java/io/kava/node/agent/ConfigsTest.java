package io.kava.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kava.node.cgroups.QosClass;
import io.kava.node.cri.v1.ContainerConfig;
import io.kava.node.cri.v1.NamespaceMode;
import io.kava.node.cri.v1.PodSandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigsTest {
  static Pod web() {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u1").addToLabels("app", "web").endMetadata()
        .withNewSpec()
        .addNewContainer().withName("c").withImage("reg:5000/busybox:1").withCommand("httpd").withArgs("-f", "-p", "8080").withWorkingDir("/srv")
        .addNewPort().withContainerPort(8080).withHostPort(18080).endPort()
        .withNewResources().withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("64Mi")))
        .withLimits(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("128Mi"))).endResources()
        .withNewSecurityContext().withRunAsUser(1000L).withReadOnlyRootFilesystem(true).withNewCapabilities().withAdd("NET_ADMIN").withDrop("ALL")
        .endCapabilities().endSecurityContext()
        .endContainer()
        .withNewSecurityContext().withRunAsGroup(3000L).endSecurityContext()
        .endSpec().build();
  }

  @Test
  void theSandboxHasClusterDnsHostPortsHostnameAndTheKubeletLogLayout() {
    Pod p = web();
    Path logs = SandboxConfigs.logDirectory(Path.of("/data/pods"), p);
    assertThat(logs.toString()).isEqualTo("/data/pods/shop_web_u1");
    PodSandboxConfig c = SandboxConfigs.build(p, 0, "n1", logs, "/kava-x/podu1", SandboxConfigs.Dns.defaults());
    assertThat(c.getHostname()).isEqualTo("web");
    assertThat(c.getDnsConfig().getServersList()).containsExactly("10.96.0.10");
    assertThat(c.getDnsConfig().getSearchesList()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local");
    assertThat(c.getDnsConfig().getOptionsList()).containsExactly("ndots:5");
    assertThat(c.getPortMappingsList()).hasSize(1);
    assertThat(c.getPortMappings(0).getHostPort()).isEqualTo(18080);
    assertThat(c.getLabelsMap()).containsEntry(CriLabels.POD_UID, "u1").containsEntry(CriLabels.NODE, "n1").containsEntry("app", "web");
    assertThat(c.getLinux().getCgroupParent()).isEqualTo("/kava-x/podu1");
    assertThat(c.getLinux().getSecurityContext().getNamespaceOptions().getPid()).isEqualTo(NamespaceMode.CONTAINER);
  }

  @Test
  void aPrivilegedContainerMakesThePrivilegedSandboxTheRuntimeRequires() {
    Pod p = web();
    assertThat(SandboxConfigs.build(p, 0, "n1", Path.of("/l"), "/x", SandboxConfigs.Dns.defaults()).getLinux().getSecurityContext().getPrivileged())
        .isFalse();
    p.getSpec().setInitContainers(List.of(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("setup")
        .withNewSecurityContext().withPrivileged(true).endSecurityContext().build()));
    assertThat(SandboxConfigs.build(p, 0, "n1", Path.of("/l"), "/x", SandboxConfigs.Dns.defaults()).getLinux().getSecurityContext().getPrivileged())
        .isTrue();
  }

  @Test
  void hostNetworkFallsBackToTheHostsResolvConf() {
    Pod p = web();
    p.getSpec().setHostNetwork(true);
    PodSandboxConfig c = SandboxConfigs.build(p, 0, "n1", Path.of("/l"), "/x", new SandboxConfigs.Dns("10.96.0.10", "cluster.local", List.of("1.1.1.1"), List.of("corp")));
    assertThat(c.getDnsConfig().getServersList()).containsExactly("1.1.1.1");
    assertThat(c.getLinux().getSecurityContext().getNamespaceOptions().getNetwork()).isEqualTo(NamespaceMode.NODE);
  }

  @Test
  void theContainerGetsItsCommandResourcesAndSecurityContext() throws Exception {
    Pod p = web();
    ContainerConfig c = ContainerConfigs.build(p, p.getSpec().getContainers().get(0), false, 2, "n1", "sha256:img",
        ContainerInputs.LITERAL.prepare(p, p.getSpec().getContainers().get(0), "10.0.0.2", "127.0.0.1"), 8L << 30);
    assertThat(c.getCommandList()).containsExactly("httpd");
    assertThat(c.getArgsList()).containsExactly("-f", "-p", "8080");
    assertThat(c.getWorkingDir()).isEqualTo("/srv");
    assertThat(c.getLogPath()).isEqualTo("c/2.log");
    assertThat(c.getMetadata().getAttempt()).isEqualTo(2);
    var r = c.getLinux().getResources();
    assertThat(r.getCpuShares()).isEqualTo(256);
    assertThat(r.getCpuQuota()).isEqualTo(50_000);
    assertThat(r.getCpuPeriod()).isEqualTo(100_000);
    assertThat(r.getMemoryLimitInBytes()).isEqualTo(128L << 20);
    assertThat(r.getOomScoreAdj()).isBetween(2L, 999L);
    var sc = c.getLinux().getSecurityContext();
    assertThat(sc.getRunAsUser().getValue()).isEqualTo(1000);
    assertThat(sc.getRunAsGroup().getValue()).isEqualTo(3000);
    assertThat(sc.getReadonlyRootfs()).isTrue();
    assertThat(sc.getCapabilities().getAddCapabilitiesList()).containsExactly("NET_ADMIN");
    assertThat(sc.getCapabilities().getDropCapabilitiesList()).containsExactly("ALL");
  }

  @Test
  void qosClassesFollowRequestsAndLimits() {
    assertThat(QosClass.of(web())).isEqualTo(QosClass.BURSTABLE);
    Pod g = web();
    g.getSpec().getContainers().get(0).getResources().setRequests(g.getSpec().getContainers().get(0).getResources().getLimits());
    assertThat(QosClass.of(g)).isEqualTo(QosClass.GUARANTEED);
    Pod b = web();
    b.getSpec().getContainers().get(0).setResources(null);
    assertThat(QosClass.of(b)).isEqualTo(QosClass.BEST_EFFORT);
    assertThat(ContainerConfigs.oomScoreAdj(QosClass.GUARANTEED, 0, 0)).isEqualTo(-997);
    assertThat(ContainerConfigs.oomScoreAdj(QosClass.BEST_EFFORT, 0, 0)).isEqualTo(1000);
  }

  @Test
  void crashBackoffDoublesFromTenSecondsToFiveMinutes() {
    Backoff b = Backoff.crashLoop();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(b.inBackoffSince("k", t, t)).isFalse(); // the first failure restarts at once
    b.next("k", t);
    assertThat(b.inBackoffSince("k", t, t.plusSeconds(9))).isTrue();
    assertThat(b.inBackoffSince("k", t, t.plusSeconds(10))).isFalse();
    for (int i = 0; i < 10; i++) b.next("k", t.plusSeconds(i));
    assertThat(b.delay("k")).isEqualTo(Duration.ofMinutes(5));
    b.next("k", t.plusSeconds(3600)); // untouched for long: starts over
    assertThat(b.delay("k")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void pullPolicyDefaultsAndRegistryCredentials() {
    assertThat(ImageManager.defaultPolicy("busybox")).isEqualTo("Always");
    assertThat(ImageManager.defaultPolicy("busybox:latest")).isEqualTo("Always");
    assertThat(ImageManager.defaultPolicy("127.0.0.1:5000/busybox")).isEqualTo("Always");
    assertThat(ImageManager.defaultPolicy("127.0.0.1:5000/busybox:1")).isEqualTo("IfNotPresent");
    assertThat(ImageManager.registryOf("nginx")).isEqualTo("docker.io");
    assertThat(ImageManager.registryOf("someuser/app:1")).isEqualTo("docker.io");
    assertThat(ImageManager.registryOf("127.0.0.1:5000/app:1")).isEqualTo("127.0.0.1:5000");
    String cfg = "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}";
    Secret s = new SecretBuilder().withType("kubernetes.io/dockerconfigjson")
        .withData(Map.of(".dockerconfigjson", Base64.getEncoder().encodeToString(cfg.getBytes(StandardCharsets.UTF_8)))).build();
    var auth = ImageManager.authFrom(s, "127.0.0.1:5000");
    assertThat(auth.getUsername()).isEqualTo("alice");
    assertThat(auth.getPassword()).isEqualTo("s3cret");
    assertThat(ImageManager.authFrom(s, "docker.io")).isNull();
  }

  @Test
  void criLogTailJoinsPartialLines(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("0.log");
    Files.writeString(f, "2026-01-01T00:00:00.1Z stdout F one\n2026-01-01T00:00:00.2Z stderr P tw\n2026-01-01T00:00:00.3Z stderr F o\n"
        + "2026-01-01T00:00:00.4Z stdout F three\n");
    assertThat(CriLogs.tail(f, 2, 100)).isEqualTo("two\nthree");
  }

  @Test
  void meminfoIsReadInBytes() {
    assertThat(HostInfo.parseMeminfo(List.of("MemTotal:       24683704 kB", "MemAvailable:   23224304 kB"), "MemAvailable:")).isEqualTo(23224304L * 1024);
    assertThat(NodeConditions.evaluate(50L << 20, 0.5, 10, 1000, null).memoryPressure()).isTrue();
    assertThat(NodeConditions.evaluate(1L << 30, 0.05, 10, 1000, null).diskPressure()).isTrue();
    assertThat(NodeConditions.evaluate(1L << 30, 0.5, 950, 1000, "down").ready()).isFalse();
  }
}
