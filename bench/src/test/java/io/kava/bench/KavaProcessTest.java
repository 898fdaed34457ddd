package io.kava.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KavaProcessTest {
  @Test
  void readsTheSerialCollectorsGenerations() {
    String info = """
        6369:
        DefNew     total 116160K, used 31009K [0x0000000687400000, 0x000000068f200000, 0x0000000704d50000)
         eden space 103296K,  30% used [0x0000000687400000, 0x0000000689248578, 0x000000068d8e0000)
         from space 12864K,   0% used [0x000000068d8e0000, 0x000000068d8e0000, 0x000000068e570000)
        Tenured    total 258048K, used 1166K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
         the  space 258048K,   0% used [0x0000000704d50000, 0x0000000704e73ab8, 0x0000000714950000)
         Metaspace       used 1234K, committed 1408K, reserved 1114112K
        """;
    assertThat(KavaProcess.heapInfo(info)).containsExactly((31009L + 1166L) * 1024, (116160L + 258048L) * 1024);
  }

  @Test
  void readsG1() {
    String info = """
        31072:
        garbage-first heap   total reserved 6172672K, committed 458752K, used 150448K [0x0000000687400000, 0x0000000800000000)
         region size 4096K, 11 young (45056K), 1 survivors (4096K)
        """;
    assertThat(KavaProcess.heapInfo(info)).containsExactly(150448L * 1024, 458752L * 1024);
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> KavaProcess.heapInfo("1234:\nNo such process")).isInstanceOf(IllegalStateException.class);
  }
}
