package io.kava.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UidsTest {
  @Test
  void randomVersion4UuidsAcrossBufferRefills() {
    Uids uids = new Uids();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) { // about four refills of the buffer
      String s = uids.next();
      UUID u = UUID.fromString(s);
      assertThat(u.version()).isEqualTo(4);
      assertThat(u.variant()).isEqualTo(2);
      assertThat(u.toString()).isEqualTo(s);
      seen.add(s);
    }
    assertThat(seen).hasSize(1000);
  }
}
