package io.kava.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {
  @Test
  void nearestRankOnOneToHundred() {
    Samples s = new Samples();
    for (int i = 100; i >= 1; i--) s.add(i); // unsorted on purpose
    assertThat(s.percentile(50)).isEqualTo(50);
    assertThat(s.percentile(99)).isEqualTo(99);
    assertThat(s.percentile(99.5)).isEqualTo(100);
    assertThat(s.percentile(100)).isEqualTo(100);
    assertThat(s.percentile(1)).isEqualTo(1);
    assertThat(s.percentile(0)).isEqualTo(1);
    assertThat(s.mean()).isEqualTo(50.5);
  }

  @Test
  void smallSets() {
    Samples s = new Samples();
    assertThat(s.percentile(50)).isNaN();
    s.add(7);
    assertThat(s.percentile(1)).isEqualTo(7);
    assertThat(s.percentile(99)).isEqualTo(7);
    s.add(3);
    // two samples: p50 is the lower one (rank ceil(0.5*2)=1), p51 the upper one
    assertThat(s.percentile(50)).isEqualTo(3);
    assertThat(s.percentile(51)).isEqualTo(7);
  }

  @Test
  void p99OfThousandIgnoresTheTenWorst() {
    Samples s = new Samples(4);
    for (int i = 0; i < 990; i++) s.add(1_000_000); // 1 ms
    for (int i = 0; i < 10; i++) s.add(900_000_000); // 900 ms outliers
    assertThat(s.percentileMillis(99)).isEqualTo(1.0);
    assertThat(s.percentileMillis(99.1)).isEqualTo(900.0);
    assertThat(s.max()).isEqualTo(900_000_000);
  }

  @Test
  void mergeKeepsEverySample() {
    Samples a = new Samples();
    Samples b = new Samples();
    for (int i = 1; i <= 50; i++) a.add(i);
    for (int i = 51; i <= 100; i++) b.add(i);
    Samples all = Samples.merge(List.of(b, a));
    assertThat(all.size()).isEqualTo(100);
    assertThat(all.percentile(90)).isEqualTo(90);
  }

  @Test
  void rejectsOutOfRange() {
    assertThatThrownBy(() -> new Samples().percentile(101)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Samples().percentile(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
