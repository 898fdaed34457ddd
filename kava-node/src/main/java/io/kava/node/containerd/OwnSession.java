package io.kava.node.containerd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a child in a session (and process group) of its own, as k3s starts its containerd: a Ctrl-C in the terminal or
 * {@code timeout}/{@code systemd} signalling kava's process group would otherwise stop containerd at the same moment
 * as kava, before kava's shutdown has stopped it in order, and kava's supervisor would report a crash and restart it.
 * {@code setsid} (util-linux) execs the command in place when the caller is not a group leader (a JVM child never is),
 * so the child's pid stays the one the JVM waits on.
 */
final class OwnSession {
  static final List<Path> SETSID_CANDIDATES = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private OwnSession() {}

  /** {@code command} prefixed with setsid when it is installed; as it is otherwise (the child shares kava's group). */
  static List<String> command(List<String> command) {
    for (Path setsid : SETSID_CANDIDATES) {
      if (Files.isExecutable(setsid)) {
        List<String> c = new ArrayList<>(command.size() + 1);
        c.add(setsid.toString());
        c.addAll(command);
        return c;
      }
    }
    return command;
  }
}
