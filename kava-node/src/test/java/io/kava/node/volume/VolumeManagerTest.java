package io.kava.node.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.kava.node.env.NodeAllocatable;
import io.kava.node.volume.ContainerMount.Propagation;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {
  @TempDir Path tmp;
  Path pods;
  MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  FakeVolumeSources sources = new FakeVolumeSources(clock);
  FakeMounter mounter = new FakeMounter();
  VolumeManager vm;

  @BeforeEach
  void setUp() {
    pods = tmp.resolve("pods");
    vm = new VolumeManager(pods, sources, mounter, () -> NodeAllocatable.of("2", "4Gi", "20Gi"), clock);
  }

  static final class MutableClock extends Clock {
    Instant now;
    MutableClock(Instant now) { this.now = now; }
    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  static Pod pod(List<Volume> volumes, Container... containers) {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("uid-1")
        .addToLabels("app", "web").addToLabels("tier", "front \"x\"").endMetadata()
        .withNewSpec().withServiceAccountName("robot").withContainers(containers).withVolumes(volumes).endSpec().build();
  }

  static Container container(VolumeMount... mounts) {
    return new ContainerBuilder().withName("c").withImage("busybox").withVolumeMounts(mounts).build();
  }

  static VolumeMount mount(String name, String path) { return new VolumeMountBuilder().withName(name).withMountPath(path).build(); }

  @Test
  void emptyDirOnDiskAndInMemory() throws Exception {
    Pod pod = pod(List.of(
        new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName("mem").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("64Mi")).endEmptyDir().build()),
        container(mount("scratch", "/scratch"), mount("mem", "/mem")));
    vm.setUp(pod);
    Path scratch = pods.resolve("uid-1/volumes/kubernetes.io~empty-dir/scratch");
    assertThat(scratch).isDirectory();
    assertThat(AtomicWriter.mode(scratch)).isEqualTo(0777);
    Path mem = pods.resolve("uid-1/volumes/kubernetes.io~empty-dir/mem");
    assertThat(mounter.mounted).containsEntry(mem, 64L * 1024 * 1024);
    assertThat(vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of())).containsExactly(
        new ContainerMount("/scratch", scratch.toString(), false, Propagation.PRIVATE),
        new ContainerMount("/mem", mem.toString(), false, Propagation.PRIVATE));
    vm.setUp(pod); // idempotent
    assertThat(mounter.mounted).hasSize(1);
  }

  @Test
  void memoryVolumeSizeFollowsUpstream() {
    Container limited = new ContainerBuilder().withName("c").withNewResources().addToLimits("memory", new Quantity("128Mi")).endResources().build();
    var noLimit = new io.fabric8.kubernetes.api.model.EmptyDirVolumeSourceBuilder().withMedium("Memory").build();
    var bigLimit = new io.fabric8.kubernetes.api.model.EmptyDirVolumeSourceBuilder().withMedium("Memory").withSizeLimit(new Quantity("1Gi")).build();
    assertThat(vm.memoryVolumeSize(pod(List.of(), container()), noLimit)).isEqualTo(4L << 30); // node allocatable
    assertThat(vm.memoryVolumeSize(pod(List.of(), limited), noLimit)).isEqualTo(128L << 20); // pod limit
    assertThat(vm.memoryVolumeSize(pod(List.of(), limited), bigLimit)).isEqualTo(128L << 20); // sizeLimit only when smaller
  }

  @Test
  void configMapItemsModesAndReadOnlyMount() throws Exception {
    sources.put(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("ns").endMetadata()
        .addToData("app.properties", "a=1").addToData("other", "o")
        .addToBinaryData("bin", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2})).build());
    Pod pod = pod(List.of(
        new VolumeBuilder().withName("all").withNewConfigMap().withName("cfg").withDefaultMode(0600).endConfigMap().build(),
        new VolumeBuilder().withName("some").withNewConfigMap().withName("cfg")
            .addNewItem().withKey("app.properties").withPath("conf/app.properties").withMode(0400).endItem()
            .addNewItem().withKey("bin").withPath("b").endItem().endConfigMap().build()),
        container(mount("all", "/all"), mount("some", "/some")));
    vm.setUp(pod);
    Path all = pods.resolve("uid-1/volumes/kubernetes.io~configmap/all");
    assertThat(Files.readString(all.resolve("app.properties"))).isEqualTo("a=1");
    assertThat(Files.readAllBytes(all.resolve("bin"))).containsExactly(0, 1, 2);
    assertThat(AtomicWriter.mode(all.resolve("other").toRealPath())).isEqualTo(0600);
    Path some = pods.resolve("uid-1/volumes/kubernetes.io~configmap/some");
    assertThat(Files.readString(some.resolve("conf/app.properties"))).isEqualTo("a=1");
    assertThat(AtomicWriter.mode(some.resolve("conf/app.properties").toRealPath())).isEqualTo(0400);
    assertThat(AtomicWriter.mode(some.resolve("b").toRealPath())).isEqualTo(0644);
    assertThat(Files.exists(some.resolve("other"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of()))
        .extracting(ContainerMount::readOnly).containsExactly(true, true);
    assertThat(mounter.mounted).isEmpty(); // configMaps live on disk
  }

  @Test
  void configMapMissingObjectOrKeyAndOptional() {
    Pod missing = pod(List.of(new VolumeBuilder().withName("v").withNewConfigMap().withName("nope").endConfigMap().build()), container());
    assertThatThrownBy(() -> vm.setUp(missing))
        .hasMessage("MountVolume.SetUp failed for volume \"v\" : configmap \"nope\" not found");

    sources.put(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("ns").endMetadata().addToData("a", "1").build());
    Pod missingKey = pod(List.of(new VolumeBuilder().withName("v").withNewConfigMap().withName("cfg")
        .addNewItem().withKey("zz").withPath("zz").endItem().endConfigMap().build()), container());
    missingKey.getMetadata().setUid("uid-2");
    assertThatThrownBy(() -> vm.setUp(missingKey))
        .hasMessage("MountVolume.SetUp failed for volume \"v\" : configmap references non-existent config key: zz");

    Pod optional = pod(List.of(
        new VolumeBuilder().withName("v").withNewConfigMap().withName("nope").withOptional(true).endConfigMap().build(),
        new VolumeBuilder().withName("w").withNewConfigMap().withName("cfg").withOptional(true)
            .addNewItem().withKey("zz").withPath("zz").endItem().addNewItem().withKey("a").withPath("a").endItem().endConfigMap().build()),
        container());
    optional.getMetadata().setUid("uid-3");
    vm.setUp(optional);
    Path w = pods.resolve("uid-3/volumes/kubernetes.io~configmap/w");
    assertThat(w.resolve("a")).hasContent("1");
    assertThat(Files.exists(w.resolve("zz"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(pods.resolve("uid-3/volumes/kubernetes.io~configmap/v/..data")).exists();
  }

  @Test
  void secretIsDecodedOnTmpfsWith0644() throws Exception {
    sources.put(new SecretBuilder().withNewMetadata().withName("creds").withNamespace("ns").endMetadata()
        .addToData("password", Base64.getEncoder().encodeToString("s3cret".getBytes())).build());
    Pod pod = pod(List.of(new VolumeBuilder().withName("s").withNewSecret().withSecretName("creds").endSecret().build()), container());
    vm.setUp(pod);
    Path dir = pods.resolve("uid-1/volumes/kubernetes.io~secret/s");
    assertThat(dir.resolve("password")).hasContent("s3cret");
    assertThat(AtomicWriter.mode(dir.resolve("password").toRealPath())).isEqualTo(0644);
    assertThat(mounter.mounted).containsKey(dir);

    Pod missingKey = pod(List.of(new VolumeBuilder().withName("s").withNewSecret().withSecretName("creds")
        .addNewItem().withKey("user").withPath("u").endItem().endSecret().build()), container());
    missingKey.getMetadata().setUid("uid-2");
    assertThatThrownBy(() -> vm.setUp(missingKey)).hasMessageEndingWith(": references non-existent secret key: user");
    Pod missing = pod(List.of(new VolumeBuilder().withName("s").withNewSecret().withSecretName("gone").endSecret().build()), container());
    missing.getMetadata().setUid("uid-4");
    assertThatThrownBy(() -> vm.setUp(missing)).hasMessageEndingWith(": secret \"gone\" not found");
  }

  @Test
  void downwardApiFiles() throws Exception {
    Container c = new ContainerBuilder().withName("c").withNewResources().addToLimits("memory", new Quantity("64Mi"))
        .addToRequests("cpu", new Quantity("250m")).endResources().build();
    Pod pod = pod(List.of(new VolumeBuilder().withName("info").withNewDownwardAPI()
        .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
        .addNewItem().withPath("name").withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endItem()
        .addNewItem().withPath("mem").withNewResourceFieldRef().withContainerName("c").withResource("limits.memory")
            .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endItem()
        .addNewItem().withPath("cpu").withNewResourceFieldRef().withContainerName("c").withResource("requests.cpu")
            .withDivisor(new Quantity("1m")).endResourceFieldRef().endItem()
        .addNewItem().withPath("cpulimit").withNewResourceFieldRef().withContainerName("c").withResource("limits.cpu").endResourceFieldRef().endItem()
        .endDownwardAPI().build()), c);
    vm.setUp(pod);
    Path dir = pods.resolve("uid-1/volumes/kubernetes.io~downward-api/info");
    assertThat(dir.resolve("labels")).hasContent("app=\"web\"\ntier=\"front \\\"x\\\"\"");
    assertThat(dir.resolve("name")).hasContent("web");
    assertThat(dir.resolve("mem")).hasContent("64");
    assertThat(dir.resolve("cpu")).hasContent("250");
    assertThat(dir.resolve("cpulimit")).hasContent("2"); // node allocatable when no limit

    pod.getMetadata().getLabels().put("app", "web2");
    assertThat(vm.refresh(pod)).containsExactly("info");
    assertThat(dir.resolve("labels")).hasContent("app=\"web2\"\ntier=\"front \\\"x\\\"\"");
    assertThat(vm.refresh(pod)).isEmpty();
  }

  @Test
  void projectedWithTokenRenewedAt80PercentOfItsLife() throws Exception {
    sources.put(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").withNamespace("ns").endMetadata()
        .addToData("ca.crt", "CERT").build());
    Pod pod = pod(List.of(new VolumeBuilder().withName("kube-api-access").withNewProjected().withDefaultMode(0644)
        .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3600L).endServiceAccountToken().endSource()
        .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem().endConfigMap().endSource()
        .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
        .endProjected().build()), container());
    vm.setUp(pod);
    Path dir = pods.resolve("uid-1/volumes/kubernetes.io~projected/kube-api-access");
    assertThat(dir.resolve("token")).hasContent("token-1");
    assertThat(dir.resolve("ca.crt")).hasContent("CERT");
    assertThat(dir.resolve("namespace")).hasContent("ns");
    assertThat(sources.tokenRequests).containsExactly("ns/robot [] 3600 web");

    clock.now = clock.now.plus(Duration.ofMinutes(47));
    assertThat(vm.refresh(pod)).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(2)); // 49 min > 80% of 60
    assertThat(vm.refresh(pod)).containsExactly("kube-api-access");
    assertThat(dir.resolve("token")).hasContent("token-2");
  }

  @Test
  void projectedTokenWithoutTokenRequestIsAClearError() {
    sources.tokensServed = false;
    Pod pod = pod(List.of(new VolumeBuilder().withName("t").withNewProjected()
        .addNewSource().withNewServiceAccountToken().withPath("token").endServiceAccountToken().endSource()
        .addNewSource().withNewSecret().withName("absent").endSecret().endSource()
        .endProjected().build()), container());
    assertThatThrownBy(() -> vm.setUp(pod)).hasMessage("MountVolume.SetUp failed for volume \"t\" : ["
        + "the API server does not serve serviceaccounts/token (TokenRequest), secret \"absent\" not found]");
  }

  @Test
  void configMapUpdatesReachTheVolumeOnlyWhenChanged() throws Exception {
    sources.put(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("ns").endMetadata().addToData("k", "v1").build());
    Pod pod = pod(List.of(new VolumeBuilder().withName("v").withNewConfigMap().withName("cfg").endConfigMap().build()), container());
    vm.setUp(pod);
    Path dir = pods.resolve("uid-1/volumes/kubernetes.io~configmap/v");
    Path data = Files.readSymbolicLink(dir.resolve("..data"));
    assertThat(vm.refresh(pod)).isEmpty();
    assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(data);
    sources.put(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("ns").endMetadata().addToData("k", "v2").build());
    assertThat(vm.refresh(pod)).containsExactly("v");
    assertThat(dir.resolve("k")).hasContent("v2");
    sources.configMaps.clear(); // unreadable now: the files stay
    assertThat(vm.refresh(pod)).isEmpty();
    assertThat(dir.resolve("k")).hasContent("v2");
  }

  @Test
  void hostPathWithTypeAndPropagation() throws Exception {
    Path host = tmp.resolve("host/data");
    VolumeMount m = new VolumeMountBuilder().withName("h").withMountPath("/h").withMountPropagation("HostToContainer").build();
    Pod pod = pod(List.of(new VolumeBuilder().withName("h").withNewHostPath().withPath(host.toString()).withType("DirectoryOrCreate").endHostPath().build()),
        container(m));
    vm.setUp(pod);
    assertThat(host).isDirectory();
    assertThat(vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of()))
        .containsExactly(new ContainerMount("/h", host.toString(), false, Propagation.HOST_TO_CONTAINER));
    var cri = vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of()).getFirst().toCri();
    assertThat(cri.getHostPath()).isEqualTo(host.toString());
    assertThat(cri.getContainerPath()).isEqualTo("/h");
    assertThat(cri.getPropagation()).isEqualTo(io.kava.node.cri.v1.MountPropagation.PROPAGATION_HOST_TO_CONTAINER);
    pod.getSpec().getContainers().getFirst().getVolumeMounts().getFirst().setMountPropagation("Bidirectional");
    assertThatThrownBy(() -> vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of()))
        .hasMessage("Bidirectional mount propagation is available only to privileged containers");
    Pod bad = pod(List.of(new VolumeBuilder().withName("h").withNewHostPath().withPath(tmp.resolve("nothing").toString()).withType("Directory").endHostPath().build()), container());
    bad.getMetadata().setUid("uid-9");
    assertThatThrownBy(() -> vm.setUp(bad)).hasMessage("MountVolume.SetUp failed for volume \"h\" : hostPath type check failed: "
        + tmp.resolve("nothing") + " is not a directory");
  }

  @Test
  void subPathAndSubPathExpr() throws Exception {
    VolumeMount plain = new VolumeMountBuilder().withName("d").withMountPath("/a").withSubPath("x/y").build();
    VolumeMount expr = new VolumeMountBuilder().withName("d").withMountPath("/b").withSubPathExpr("logs/$(POD_NAME)").build();
    Pod pod = pod(List.of(new VolumeBuilder().withName("d").withNewEmptyDir().endEmptyDir().build()), container(plain, expr));
    vm.setUp(pod);
    plain = pod.getSpec().getContainers().getFirst().getVolumeMounts().getFirst(); // the builder copied it
    Path dir = pods.resolve("uid-1/volumes/kubernetes.io~empty-dir/d").toRealPath();
    var mounts = vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of("POD_NAME", "web"));
    assertThat(mounts).extracting(ContainerMount::hostPath).containsExactly(dir.resolve("x/y").toString(), dir.resolve("logs/web").toString());
    assertThat(dir.resolve("logs/web")).isDirectory();
    assertThatThrownBy(() -> vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of()))
        .hasMessage("missing value for POD_NAME");
    plain.setSubPath("../escape");
    assertThatThrownBy(() -> vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of("POD_NAME", "w")))
        .hasMessage("unable to provision SubPath `../escape`: must not contain '..'");
    plain.setSubPath("link");
    Files.createSymbolicLink(dir.resolve("link"), tmp);
    assertThatThrownBy(() -> vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of("POD_NAME", "w")))
        .hasMessageContaining("not within volume path");
    plain.setSubPath("/abs");
    assertThatThrownBy(() -> vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of("POD_NAME", "w")))
        .hasMessage("error SubPath `/abs` must not be an absolute path");
    Container other = container(mount("undeclared", "/u"));
    assertThatThrownBy(() -> vm.mounts(pod, other, Map.of()))
        .hasMessage("cannot find volume \"undeclared\" to mount into container \"c\"");
  }

  @Test
  void claimsBoundToHostPathAndLocalVolumes() throws Exception {
    Path hp = Files.createDirectories(tmp.resolve("pv-hostpath"));
    Path local = Files.createDirectories(tmp.resolve("pv-local"));
    sources.put(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("ns").withUid("c1").endMetadata()
        .withNewSpec().withVolumeName("pv1").endSpec().withNewStatus().withPhase("Bound").endStatus().build());
    sources.put(new PersistentVolumeBuilder().withNewMetadata().withName("pv1").endMetadata().withNewSpec()
        .withNewHostPath().withPath(hp.toString()).endHostPath()
        .withNewClaimRef().withName("data").withNamespace("ns").withUid("c1").endClaimRef().endSpec().build());
    sources.put(new PersistentVolumeClaimBuilder().withNewMetadata().withName("fast").withNamespace("ns").withUid("c2").endMetadata()
        .withNewSpec().withVolumeName("pv2").endSpec().withNewStatus().withPhase("Bound").endStatus().build());
    sources.put(new PersistentVolumeBuilder().withNewMetadata().withName("pv2").endMetadata().withNewSpec()
        .withNewLocal().withPath(local.toString()).endLocal()
        .withNewClaimRef().withName("fast").withNamespace("ns").withUid("c2").endClaimRef().endSpec().build());
    sources.put(new PersistentVolumeClaimBuilder().withNewMetadata().withName("pending").withNamespace("ns").endMetadata()
        .withNewSpec().endSpec().withNewStatus().withPhase("Pending").endStatus().build());
    Pod pod = pod(List.of(
        new VolumeBuilder().withName("a").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().build(),
        new VolumeBuilder().withName("b").withNewPersistentVolumeClaim().withClaimName("fast").withReadOnly(true).endPersistentVolumeClaim().build()),
        container(mount("a", "/a"), mount("b", "/b")));
    vm.setUp(pod);
    assertThat(vm.mounts(pod, pod.getSpec().getContainers().getFirst(), Map.of())).containsExactly(
        new ContainerMount("/a", hp.toString(), false, Propagation.PRIVATE),
        new ContainerMount("/b", local.toString(), true, Propagation.PRIVATE));

    Pod pending = pod(List.of(
        new VolumeBuilder().withName("p").withNewPersistentVolumeClaim().withClaimName("pending").endPersistentVolumeClaim().build(),
        new VolumeBuilder().withName("q").withNewPersistentVolumeClaim().withClaimName("absent").endPersistentVolumeClaim().build()), container());
    pending.getMetadata().setUid("uid-5");
    assertThatThrownBy(() -> vm.setUp(pending)).hasMessage(
        "MountVolume.SetUp failed for volume \"p\" : PVC ns/pending has non-bound phase (\"Pending\") or empty pvc.Spec.VolumeName (\"\"); "
            + "MountVolume.SetUp failed for volume \"q\" : error processing PVC ns/absent: failed to fetch PVC from API server: persistentvolumeclaims \"absent\" not found");
  }

  @Test
  void tearDownUnmountsThenRemovesVolumesButNotHostPaths() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("keep"));
    Files.writeString(host.resolve("f"), "x");
    sources.put(new SecretBuilder().withNewMetadata().withName("s").withNamespace("ns").endMetadata().addToData("k", "dg==").build());
    Pod pod = pod(List.of(
        new VolumeBuilder().withName("m").withNewEmptyDir().withMedium("Memory").endEmptyDir().build(),
        new VolumeBuilder().withName("s").withNewSecret().withSecretName("s").endSecret().build(),
        new VolumeBuilder().withName("h").withNewHostPath().withPath(host.toString()).endHostPath().build()), container());
    vm.setUp(pod);
    assertThat(mounter.mounted).hasSize(2);
    assertThat(vm.podUidsOnDisk()).containsExactly("uid-1");
    vm.tearDown("uid-1");
    assertThat(mounter.mounted).isEmpty();
    assertThat(mounter.unmounted).hasSize(2);
    assertThat(pods.resolve("uid-1/volumes")).doesNotExist();
    assertThat(host.resolve("f")).hasContent("x");
    assertThatThrownBy(() -> vm.mounts(pod, container(mount("m", "/m")), Map.of())).hasMessageContaining("cannot find volume");
  }

  @Test
  void fsGroupOwnsVolumesAsUpstream() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "skipped: chgrp to any group needs root");
    sources.put(new SecretBuilder().withNewMetadata().withName("s").withNamespace("ns").endMetadata().addToData("k", "dg==").build());
    Pod pod = pod(List.of(
        new VolumeBuilder().withName("d").withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName("s").withNewSecret().withSecretName("s").withDefaultMode(0400).endSecret().build(),
        new VolumeBuilder().withName("t").withNewProjected().addNewSource().withNewServiceAccountToken().withPath("token").endServiceAccountToken().endSource().endProjected().build()),
        container());
    pod.getSpec().setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder().withFsGroup(2000L).build());
    vm.setUp(pod);
    Path d = pods.resolve("uid-1/volumes/kubernetes.io~empty-dir/d");
    assertThat(Files.getAttribute(d, "unix:gid")).isEqualTo(2000);
    assertThat((Integer) Files.getAttribute(d, "unix:mode") & 07777).isEqualTo(02777);
    Path secret = pods.resolve("uid-1/volumes/kubernetes.io~secret/s/k").toRealPath();
    assertThat(Files.getAttribute(secret, "unix:gid")).isEqualTo(2000);
    assertThat(AtomicWriter.mode(secret)).isEqualTo(0440);
    Path token = pods.resolve("uid-1/volumes/kubernetes.io~projected/t/token").toRealPath();
    assertThat(AtomicWriter.mode(token)).isEqualTo(0640);
    assertThat(vm.refresh(pod)).isEmpty(); // widened modes do not count as changes
  }

  @Test
  void unsupportedVolumeTypeSaysSo() {
    Pod pod = pod(List.of(new VolumeBuilder().withName("n").withNewNfs().withServer("x").withPath("/").endNfs().build()), container());
    assertThatThrownBy(() -> vm.setUp(pod)).hasMessageContaining("kava does not support this volume type");
  }
}
