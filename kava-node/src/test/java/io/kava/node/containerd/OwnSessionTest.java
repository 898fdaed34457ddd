package io.kava.node.containerd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OwnSessionTest {
  @Test
  void theChildLeadsASessionOfItsOwnUnderThePidTheJvmWaitsOn() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
    assumeTrue(OwnSession.SETSID_CANDIDATES.stream().anyMatch(Files::isExecutable), "setsid (util-linux) is not installed");
    Process p = new ProcessBuilder(OwnSession.command(List.of("sleep", "30"))).start();
    try {
      String[] child = statFields(p.pid());
      String[] self = statFields(ProcessHandle.current().pid());
      assertEquals("sleep", child[1].replaceAll("[()]", ""), "setsid execs the command in place");
      assertEquals(Long.toString(p.pid()), child[5], "the child is its session's leader");
      assertNotEquals(self[4], child[4], "not in kava's process group");
    } finally {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  // /proc/PID/stat: pid (comm) state ppid pgrp session ...; waits until setsid has exec'd the command
  private static String[] statFields(long pid) throws Exception {
    for (int i = 0; i < 200; i++) {
      String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
      if (!f[1].equals("(setsid)")) return f;
      Thread.sleep(10);
    }
    throw new AssertionError("setsid did not exec its command");
  }
}
