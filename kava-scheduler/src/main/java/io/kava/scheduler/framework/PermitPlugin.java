package io.kava.scheduler.framework;

import java.time.Duration;

/**
 * The last say before binding: Success, Unschedulable (the pod is unreserved and retried), or Wait with a timeout
 * (binding waits until a plugin calls {@link WaitingPods#allow} or {@link WaitingPods#reject}; at the timeout the
 * pod is rejected).
 */
public interface PermitPlugin extends Plugin {
  record Result(Status status, Duration timeout) {
    public static final Result ALLOW = new Result(Status.SUCCESS, Duration.ZERO);
  }

  Result permit(CycleState state, PodInfo pod, String nodeName);
}
