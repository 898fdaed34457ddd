package io.kava.node.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kava.node.env.NodeAllocatable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real tmpfs mounts (needs root, as the node agent does): memory emptyDir and secret volumes, then teardown. */
class SystemMounterRealTest {
  @TempDir Path dir;

  @Test
  void memoryVolumesAreTmpfsAndTearDownUnmountsThem() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "skipped: mounting tmpfs needs root");
    SystemMounter mounter = new SystemMounter();
    FakeVolumeSources sources = new FakeVolumeSources(Clock.systemUTC());
    sources.put(new SecretBuilder().withNewMetadata().withName("s").withNamespace("ns").endMetadata().addToData("k", "dg==").build());
    VolumeManager vm = new VolumeManager(dir.resolve("pods"), sources, mounter, () -> NodeAllocatable.of("1", "1Gi", "1Gi"), Clock.systemUTC());
    var pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1").endMetadata().withNewSpec()
        .withContainers(new ContainerBuilder().withName("c").build())
        .addNewVolume().withName("mem").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("2Mi")).endEmptyDir().endVolume()
        .addNewVolume().withName("sec").withNewSecret().withSecretName("s").endSecret().endVolume()
        .endSpec().build();
    try {
      vm.setUp(pod);
      Path mem = dir.resolve("pods/u1/volumes/kubernetes.io~empty-dir/mem");
      Path sec = dir.resolve("pods/u1/volumes/kubernetes.io~secret/sec");
      String info = Files.readString(Path.of("/proc/self/mountinfo"));
      assertThat(info).contains(" " + mem + " ").contains("size=2048k");
      assertThat(info).contains(" " + sec + " ");
      assertThat(sec.resolve("k")).hasContent("v");
      assertThat(mounter.mountPointsUnder(dir.resolve("pods/u1"))).containsExactlyInAnyOrder(mem, sec);
      vm.setUp(pod); // idempotent: no second mount
      assertThat(mounter.mountPointsUnder(dir.resolve("pods/u1"))).hasSize(2);
    } finally {
      vm.tearDown("u1");
    }
    assertThat(mounter.mountPointsUnder(dir)).isEmpty();
    assertThat(dir.resolve("pods/u1/volumes")).doesNotExist();
  }
}
