package io.kava.controllers.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * What a reconcile asks of the queue when it succeeded: nothing more ({@link #DONE}), or to look at the key again
 * after a delay, for state that is expected to change without an event this controller watches (content of a
 * terminating namespace, pods finishing their grace period).
 */
public record Result(Duration requeueAfter) {
  public static final Result DONE = new Result(null);

  public static Result requeueAfter(Duration delay) { return new Result(Objects.requireNonNull(delay)); }

  public boolean requeue() { return requeueAfter != null; }
}
