package io.kava.testing.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.kava.node.env.NodeAllocatable;
import io.kava.node.objects.ReferencedObjects;
import io.kava.node.volume.ApiVolumeSources;
import io.kava.node.volume.Mounter;
import io.kava.node.volume.VolumeException;
import io.kava.node.volume.VolumeManager;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's volume manager reading a real kava API server through {@link ApiVolumeSources}: configMap and secret
 * volumes written from objects kubectl created, a kubectl patch reaching the files on refresh, and the upstream
 * wording for a missing ConfigMap, and pod-bound TokenRequests.
 */
@Tag("e2e")
class VolumeSourcesE2ETest {
  static KavaCluster cluster;
  static KubernetesClient client;
  @TempDir Path pods;

  /** Tmpfs needs root; this test is about API reads, so mounts are only recorded. */
  static final Mounter NO_MOUNTS = new Mounter() {
    @Override public void mountTmpfs(Path target, long sizeBytes) { }
    @Override public void unmount(Path target) { }
    @Override public List<Path> mountPointsUnder(Path dir) { return List.of(); }
  };

  @BeforeAll
  static void start() throws Exception {
    cluster = KavaCluster.start();
    Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
    config.setClientKeyAlgo("EC");
    client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new Vertx5HttpClientFactory()).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  static Kubectl.Result ok(Kubectl.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void configMapAndSecretVolumesFollowTheApi() throws Exception {
    Kubectl k = cluster.kubectl("1.33");
    assumeTrue(k.available(), "kubectl 1.33 is not installed at " + k.binary() + "; skipping");
    ok(k.run("create", "namespace", "vol"));
    ok(k.run("create", "configmap", "cfg", "-n", "vol", "--from-literal=k=v1"));
    ok(k.run("create", "secret", "generic", "sec", "-n", "vol", "--from-literal=pw=s3cret"));

    VolumeManager vm = new VolumeManager(pods, new ApiVolumeSources(client), NO_MOUNTS,
        () -> NodeAllocatable.of("2", "2Gi", "10Gi"), Clock.systemUTC());
    Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("vol").withUid("u-1").endMetadata()
        .withNewSpec().withContainers(new ContainerBuilder().withName("c").build())
        .withVolumes(new VolumeBuilder().withName("config").withNewConfigMap().withName("cfg").endConfigMap().build(),
            new VolumeBuilder().withName("creds").withNewSecret().withSecretName("sec").endSecret().build())
        .endSpec().build();
    vm.setUp(pod);
    Path config = pods.resolve("u-1/volumes/kubernetes.io~configmap/config");
    assertThat(config.resolve("k")).hasContent("v1");
    assertThat(pods.resolve("u-1/volumes/kubernetes.io~secret/creds/pw")).hasContent("s3cret");
    assertThat(Files.isSymbolicLink(config.resolve("..data"))).isTrue();

    assertThat(vm.refresh(pod)).isEmpty();
    ok(k.run("patch", "configmap", "cfg", "-n", "vol", "-p", "{\"data\":{\"k\":\"v2\"}}"));
    assertThat(vm.refresh(pod)).containsExactly("config");
    assertThat(config.resolve("k")).hasContent("v2");

    Pod missing = new PodBuilder(pod).editMetadata().withUid("u-2").endMetadata().editSpec()
        .withVolumes(new VolumeBuilder().withName("config").withNewConfigMap().withName("absent").endConfigMap().build()).endSpec().build();
    assertThatThrownBy(() -> vm.setUp(missing))
        .hasMessage("MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found");
  }

  /**
   * The node's watched ConfigMaps and Secrets against a real API server: a registered pod's objects come from one
   * watch each, an edit names the pod that refers to it (the node refreshes it then), and the watches stop with the
   * last pod.
   */
  @Test
  void watchedObjectsFollowTheApiAndNameThePodsToRefresh() throws Exception {
    Kubectl k = cluster.kubectl("1.33");
    assumeTrue(k.available(), "kubectl 1.33 is not installed at " + k.binary() + "; skipping");
    ok(k.run("create", "namespace", "watched"));
    ok(k.run("create", "configmap", "cfg", "-n", "watched", "--from-literal=k=v1"));
    ok(k.run("create", "secret", "generic", "sec", "-n", "watched", "--from-literal=pw=one"));
    try (ReferencedObjects objects = ReferencedObjects.watching(client)) {
      java.util.Set<String> refreshed = java.util.concurrent.ConcurrentHashMap.newKeySet();
      objects.onChange(refreshed::addAll);
      VolumeManager vm = new VolumeManager(pods, objects.volumeSources(new ApiVolumeSources(client)), NO_MOUNTS,
          () -> NodeAllocatable.of("2", "2Gi", "10Gi"), Clock.systemUTC());
      Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("watched").withUid("w-1").endMetadata()
          .withNewSpec().withContainers(new ContainerBuilder().withName("c").build())
          .withVolumes(new VolumeBuilder().withName("config").withNewConfigMap().withName("cfg").endConfigMap().build(),
              new VolumeBuilder().withName("creds").withNewSecret().withSecretName("sec").endSecret().build())
          .endSpec().build();
      objects.register(pod);
      assertThat(objects.watched()).isEqualTo(2);
      vm.setUp(pod);
      Path config = pods.resolve("w-1/volumes/kubernetes.io~configmap/config");
      assertThat(config.resolve("k")).hasContent("v1");

      ok(k.run("patch", "configmap", "cfg", "-n", "watched", "-p", "{\"data\":{\"k\":\"v2\"}}"));
      ok(k.run("patch", "secret", "sec", "-n", "watched", "-p", "{\"data\":{\"pw\":\"dHdv\"}}"));
      io.kava.testing.Poll.until(java.time.Duration.ofSeconds(60), () -> refreshed.contains("w-1")
          && objects.configMap("watched", "cfg").map(c -> c.getData().get("k")).orElse("").equals("v2")
          && objects.secret("watched", "sec").map(s -> s.getData().get("pw")).orElse("").equals("dHdv"), () -> "no watch event for w-1");
      assertThat(vm.refresh(pod)).containsExactlyInAnyOrder("config", "creds");
      assertThat(config.resolve("k")).hasContent("v2");
      assertThat(pods.resolve("w-1/volumes/kubernetes.io~secret/creds/pw")).hasContent("two");

      objects.unregister("w-1");
      assertThat(objects.watched()).isZero();
    }
  }

  @Test
  void podBoundTokenRequestsNameAnExistingPod() {
    ApiVolumeSources sources = new ApiVolumeSources(client);
    long end = System.nanoTime() + 60_000_000_000L; // the service account controller creates "default"
    while (client.serviceAccounts().inNamespace("default").withName("default").get() == null) {
      assertThat(System.nanoTime() - end).as("default service account within 60 s").isNegative();
      Thread.onSpinWait();
    }
    assertThatThrownBy(() -> sources.requestToken("default", "default", List.of(), 3600, "p", "uid"))
        .isInstanceOf(VolumeException.class)
        .hasMessageContaining("pods \"p\" not found");
    Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("tok").endMetadata()
        .withNewSpec().withContainers(new ContainerBuilder().withName("c").withImage("busybox").build()).endSpec().build()).create();
    var token = sources.requestToken("default", "default", List.of(), 3600, "tok", pod.getMetadata().getUid());
    assertThat(token.token()).isNotEmpty();
    assertThat(token.expiration()).isAfter(java.time.Instant.now().plusSeconds(3500));
    assertThatThrownBy(() -> sources.requestToken("default", "default", List.of(), 3600, "tok", "another-uid"))
        .hasMessageContaining("the UID in the bound object reference (another-uid) does not match the UID in record");
    assertThatThrownBy(() -> sources.requestToken("default", "nobody", List.of(), 3600, "p", "uid"))
        .hasMessage("serviceaccounts \"nobody\" not found");
  }
}
