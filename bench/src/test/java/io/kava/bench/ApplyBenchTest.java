package io.kava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ApplyBenchTest {
  @Test
  void theManifestHasOneDocumentPerObjectWithDistinctNames() {
    String m = ApplyBench.manifest(50);
    String[] docs = m.split("(?m)^---$");
    assertThat(docs).hasSize(50);
    assertThat(Arrays.stream(docs).map(d -> d.replaceAll("(?s).*metadata: \\{name: ([^,}]+).*", "$1")).distinct()).hasSize(50);
    assertThat(Arrays.stream(docs).filter(d -> d.contains("kind: Deployment"))).hasSize(12);
  }
}
