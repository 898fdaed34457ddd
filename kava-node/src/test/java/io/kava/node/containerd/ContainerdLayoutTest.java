package io.kava.node.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ContainerdLayoutTest {
  @Test
  void theSocketsStayInTheDataDirWhenTheyFit() {
    ContainerdLayout l = ContainerdLayout.under(Path.of("/var/lib/kava"));
    assertThat(l.socket()).isEqualTo(Path.of("/var/lib/kava/containerd/containerd.sock"));
    assertThat(l.socketDir()).isEqualTo(l.dir());
    assertThat(l.endpoint()).isEqualTo("unix:///var/lib/kava/containerd/containerd.sock");
  }

  @Test
  void aDataDirTooLongForContainerdsSocketsPutsThemUnderRunKava() {
    Path fits = Path.of("/" + "d".repeat(ContainerdLayout.MAX_SOCKET_PATH - "/containerd/containerd.sock.ttrpc".length() - 1));
    assertThat(ContainerdLayout.under(fits).socketDir()).isEqualTo(ContainerdLayout.under(fits).dir());

    Path tooLong = Path.of(fits + "x");
    ContainerdLayout l = ContainerdLayout.under(tooLong);
    assertThat(l.socket()).isEqualTo(Path.of("/run/kava", l.instanceId(), "containerd.sock"));
    assertThat((l.socket() + ".ttrpc").length()).isLessThanOrEqualTo(ContainerdLayout.MAX_SOCKET_PATH);
    assertThat(ContainerdLayout.under(Path.of(tooLong + "y")).socket()).as("another data dir, another directory").isNotEqualTo(l.socket());
    assertThat(l.root().startsWith(tooLong)).as("everything else stays in the data dir").isTrue();
  }
}
