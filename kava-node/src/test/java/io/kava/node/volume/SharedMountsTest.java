package io.kava.node.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SharedMountsTest {
  static final String PRIVATE_ROOT = """
      22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
      23 22 0:21 / /tmp rw,relatime shared:5 - tmpfs tmpfs rw
      24 22 0:22 / /var/lib rw,relatime master:7 - ext4 /dev/sdb rw
      """;

  @Test
  void theMountHoldingThePathDecides() {
    assertThat(SharedMounts.isShared(PRIVATE_ROOT, Path.of("/srv/kava"))).as("on private /").isFalse();
    assertThat(SharedMounts.isShared(PRIVATE_ROOT, Path.of("/tmp/kava-1"))).as("on shared /tmp").isTrue();
    assertThat(SharedMounts.isShared(PRIVATE_ROOT, Path.of("/var/lib/kava"))).as("a slave is not shared").isFalse();
    assertThat(SharedMounts.isShared(PRIVATE_ROOT, Path.of("/tmpfoo"))).as("a name prefix is not a parent").isFalse();
  }

  @Test
  void aLaterMountOnTheSamePointHidesTheEarlierOne() {
    String bound = PRIVATE_ROOT + "30 22 8:1 /srv/kava /srv/kava rw,relatime shared:9 - ext4 /dev/sda1 rw\n";
    assertThat(SharedMounts.isShared(bound, Path.of("/srv/kava/pods/x"))).isTrue();
    String again = bound + "31 30 8:1 /srv/kava /srv/kava rw,relatime - ext4 /dev/sda1 rw\n";
    assertThat(SharedMounts.isShared(again, Path.of("/srv/kava"))).isFalse();
  }
}
