package io.kava.node.probe;

import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.ExecSyncResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** {@link ExecRunner} through CRI {@code ExecSync}: stdout and stderr concatenated, as the kubelet's prober shows them. */
public final class CriExecRunner implements ExecRunner {
  private final CriClient cri;

  public CriExecRunner(CriClient cri) {
    this.cri = cri;
  }

  @Override
  public Result exec(String containerId, List<String> command, Duration timeout) throws TimeoutException {
    ExecSyncResponse r;
    try {
      r = cri.execSync(containerId, command, Math.max(1, timeout.toSeconds()));
    } catch (CriException e) {
      // containerd answers a command that outlives its timeout with "timeout Ns exceeded" (or the call's deadline)
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (e.isDeadlineExceeded() || m.contains("timeout") && m.contains("exceeded")) {
        throw new TimeoutException(e.getMessage());
      }
      throw e;
    }
    return new Result(r.getExitCode(), r.getStdout().toStringUtf8() + r.getStderr().toStringUtf8());
  }
}
