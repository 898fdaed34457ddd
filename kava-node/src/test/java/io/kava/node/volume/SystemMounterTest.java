package io.kava.node.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SystemMounterTest {
  @Test
  void findsMountPointsBelowADirDeepestFirst() {
    String info = """
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        30 22 0:40 / /data/pods/u1/volumes/kubernetes.io~secret/s rw - tmpfs tmpfs rw
        31 22 0:41 / /data/pods/u1/volumes/kubernetes.io~empty-dir/with\\040space rw - tmpfs tmpfs rw
        32 22 0:42 / /data/pods/u1 rw - tmpfs tmpfs rw
        33 22 0:43 / /data/pods/u10/volumes/x rw - tmpfs tmpfs rw
        """;
    assertThat(SystemMounter.mountPointsUnder(info, Path.of("/data/pods/u1"))).containsExactly(
        Path.of("/data/pods/u1/volumes/kubernetes.io~secret/s"),
        Path.of("/data/pods/u1/volumes/kubernetes.io~empty-dir/with space"),
        Path.of("/data/pods/u1"));
  }
}
