package io.kava.node.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.kava.node.agent.ContainerInputs;
import io.kava.node.env.EnvResolver;
import io.kava.node.env.EnvSources;
import io.kava.node.env.NodeAllocatable;
import io.kava.node.probe.ExecRunner;
import io.kava.node.probe.ProbeClock;
import io.kava.node.probe.ProbeManager;
import io.kava.node.probe.Prober;
import io.kava.node.volume.Mounter;
import io.kava.node.volume.VolumeManager;
import io.kava.node.volume.VolumeSources;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeContainerInputsTest {
  @TempDir Path pods;
  final Map<String, ConfigMap> configMaps = new HashMap<>();
  final List<String> warnings = new ArrayList<>();

  final VolumeSources volumeSources = new VolumeSources() {
    @Override public Optional<ConfigMap> configMap(String ns, String name) { return Optional.ofNullable(configMaps.get(name)); }
    @Override public Optional<Secret> secret(String ns, String name) { return Optional.empty(); }
    @Override public Optional<PersistentVolumeClaim> persistentVolumeClaim(String ns, String name) { return Optional.empty(); }
    @Override public Optional<PersistentVolume> persistentVolume(String name) { return Optional.empty(); }
    @Override public ServiceAccountToken requestToken(String ns, String sa, List<String> a, long e, String p, String u) { throw new AssertionError(); }
  };
  final EnvSources envSources = new EnvSources() {
    @Override public Optional<ConfigMap> configMap(String ns, String name) { return Optional.ofNullable(configMaps.get(name)); }
    @Override public Optional<Secret> secret(String ns, String name) { return Optional.empty(); }
    @Override public List<Service> services(String ns) { return List.of(); }
  };
  final Mounter noMounts = new Mounter() {
    @Override public void mountTmpfs(Path target, long sizeBytes) { }
    @Override public void unmount(Path target) { }
    @Override public List<Path> mountPointsUnder(Path dir) { return List.of(); }
  };

  NodeContainerInputs inputs() {
    var node = (java.util.function.Supplier<NodeAllocatable>) () -> NodeAllocatable.of("2", "2Gi", "10Gi");
    return new NodeContainerInputs(new VolumeManager(pods, volumeSources, noMounts, node, Clock.systemUTC()),
        new EnvResolver(envSources, node), () -> List.of("192.168.0.2"), NodeContainerInputs::podIpsFromStatus,
        (pod, w) -> warnings.add(w));
  }

  @Test
  void envAndMountsAsCriMessages() throws Exception {
    configMaps.put("cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata().addToData("k", "v").addToData("bad key", "x").build());
    Container c = new ContainerBuilder().withName("app")
        .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("HOST").withNewValueFrom().withNewFieldRef().withFieldPath("status.hostIP").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
        .addNewEnvFrom().withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
        .addNewVolumeMount().withName("cfg").withMountPath("/etc/cfg").endVolumeMount()
        .addNewVolumeMount().withName("logs").withMountPath("/logs").withSubPathExpr("$(POD)").endVolumeMount()
        .build();
    Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("u1").endMetadata()
        .withNewSpec().withContainers(c)
        .addNewVolume().withName("cfg").withNewConfigMap().withName("cfg").endConfigMap().endVolume()
        .addNewVolume().withName("logs").withNewEmptyDir().endEmptyDir().endVolume().endSpec()
        .withNewStatus().addNewPodIP("10.244.0.9").endStatus().build();
    NodeContainerInputs in = inputs();
    in.setUpPod(pod);
    var env = in.env(pod, c);
    assertThat(env).extracting(kv -> kv.getKey() + "=" + kv.getValue().toStringUtf8())
        .contains("IP=10.244.0.9", "HOST=192.168.0.2", "POD=web", "k=v");
    assertThat(warnings).singleElement().asString().contains("Keys [bad key]");
    var mounts = in.mounts(pod, c);
    assertThat(mounts).extracting(m -> m.getContainerPath() + " ro=" + m.getReadonly())
        .containsExactly("/etc/cfg ro=true", "/logs ro=false");
    assertThat(mounts.get(1).getHostPath()).endsWith("kubernetes.io~empty-dir/logs/web");
    in.tearDownPod("u1");
    assertThat(pods.resolve("u1/volumes")).doesNotExist();
  }

  @Test
  void failuresAreConfigErrors() {
    Container c = new ContainerBuilder().withName("app").addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef()
        .withName("gone").withKey("k").endConfigMapKeyRef().endValueFrom().endEnv().build();
    Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("u2").endMetadata()
        .withNewSpec().withContainers(c).addNewVolume().withName("v").withNewConfigMap().withName("gone").endConfigMap().endVolume().endSpec().build();
    NodeContainerInputs in = inputs();
    assertThatThrownBy(() -> in.setUpPod(pod)).isInstanceOf(ContainerInputs.ConfigError.class)
        .hasMessage("MountVolume.SetUp failed for volume \"v\" : configmap \"gone\" not found");
    assertThatThrownBy(() -> in.env(pod, c)).isInstanceOf(ContainerInputs.ConfigError.class).hasMessage("configmap \"gone\" not found");
  }

  @Test
  void probeStatesFollowTheProbeManager() {
    ProbeClock clock = new ProbeClock() {
      @Override public Instant now() { return Instant.EPOCH; }
      @Override public Cancellable schedule(Duration delay, Runnable task) { return () -> { }; }
    };
    ProbeManager manager = new ProbeManager(new Prober((ExecRunner) (id, cmd, t) -> new ExecRunner.Result(0, "")), clock, (id, k, r, o) -> { });
    ProbeStates states = new ProbeStates(manager);
    Container plain = new ContainerBuilder().withName("a").build();
    Container probed = new ContainerBuilder().withName("b").withNewReadinessProbe().withNewExec().withCommand("true").endExec().endReadinessProbe()
        .withNewStartupProbe().withNewExec().withCommand("true").endExec().endStartupProbe().build();
    manager.addContainer("u", plain, "a1", Instant.EPOCH, "10.0.0.1");
    manager.addContainer("u", probed, "b1", Instant.EPOCH, "10.0.0.1");
    assertThat(states.started("u", "a", "a1")).isTrue();
    assertThat(states.ready("u", "a", "a1")).isTrue();
    assertThat(states.started("u", "b", "b1")).isFalse();
    assertThat(states.ready("u", "b", "b1")).isFalse();
  }
}
