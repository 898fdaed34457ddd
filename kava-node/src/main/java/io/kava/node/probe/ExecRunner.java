package io.kava.node.probe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Runs a command in a container and waits for it; the node agent implements it with CRI {@code ExecSync}. */
@FunctionalInterface
public interface ExecRunner {
  /**
   * @return the exit code and the combined stdout/stderr
   * @throws TimeoutException when the command did not finish within {@code timeout}
   * @throws Exception when the command could not be run at all
   */
  Result exec(String containerId, List<String> command, Duration timeout) throws Exception;

  /** Exit code and output of a finished command. */
  record Result(int exitCode, String output) {}
}
