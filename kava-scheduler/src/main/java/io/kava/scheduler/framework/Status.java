package io.kava.scheduler.framework;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of running a plugin: a code, the human-readable reasons and the plugin that produced it. The code
 * drives the scheduler's flow:
 *
 * <ul>
 *   <li>{@link Code#UNSCHEDULABLE}: the pod does not fit the node now; preemption may help;</li>
 *   <li>{@link Code#UNSCHEDULABLE_AND_UNRESOLVABLE}: the node can never take the pod as it is (a selector, a taint);
 *       preemption is not tried on that node;</li>
 *   <li>{@link Code#ERROR}: an internal failure; the pod goes to backoff rather than waiting for a cluster event;</li>
 *   <li>{@link Code#SKIP}: the plugin has nothing to do for this pod (PreFilter/PreScore: its Filter/Score is skipped;
 *       Bind: the next binder decides);</li>
 *   <li>{@link Code#WAIT}: Permit only: hold the pod until allowed or timed out.</li>
 * </ul>
 *
 * Immutable. {@link #SUCCESS} is the only success value callers need.
 */
public final class Status {
  public enum Code { SUCCESS, ERROR, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, WAIT, SKIP }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), "", null);
  private static final Status SKIP = new Status(Code.SKIP, List.of(), "", null);

  private final Code code;
  private final List<String> reasons;
  private final String plugin;
  private final Throwable error;

  private Status(Code code, List<String> reasons, String plugin, Throwable error) {
    this.code = code;
    this.reasons = reasons;
    this.plugin = plugin;
    this.error = error;
  }

  public static Status unschedulable(String... reasons) { return new Status(Code.UNSCHEDULABLE, List.of(reasons), "", null); }

  public static Status unschedulable(List<String> reasons) { return new Status(Code.UNSCHEDULABLE, List.copyOf(reasons), "", null); }

  public static Status unresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), "", null);
  }

  public static Status of(Code code, List<String> reasons) { return new Status(code, List.copyOf(reasons), "", null); }

  public static Status error(String message) { return new Status(Code.ERROR, List.of(message), "", null); }

  public static Status error(Throwable t) {
    return new Status(Code.ERROR, List.of(t.getMessage() == null ? t.toString() : t.getMessage()), "", t);
  }

  public static Status skip() { return SKIP; }

  public static Status waiting(String reason) { return new Status(Code.WAIT, List.of(reason), "", null); }

  /** The same status attributed to {@code pluginName} (the framework does this; plugins need not). */
  public Status withPlugin(String pluginName) {
    if (code == Code.SUCCESS || Objects.equals(plugin, pluginName)) return this;
    return new Status(code, reasons, pluginName, error);
  }

  public Code code() { return code; }

  public List<String> reasons() { return reasons; }

  /** The plugin that returned this status ("" when unknown). */
  public String plugin() { return plugin; }

  public Throwable error() { return error; }

  public boolean isSuccess() { return code == Code.SUCCESS; }

  public boolean isSkip() { return code == Code.SKIP; }

  /** Unschedulable or UnschedulableAndUnresolvable: the pod was turned down, nothing broke. */
  public boolean isRejected() { return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE; }

  /** The reasons joined with ", " (upstream's Status.Message). */
  public String message() { return String.join(", ", reasons); }

  @Override
  public boolean equals(Object o) {
    return o instanceof Status s && s.code == code && s.reasons.equals(reasons) && s.plugin.equals(plugin);
  }

  @Override
  public int hashCode() { return Objects.hash(code, reasons, plugin); }

  @Override
  public String toString() { return code + (reasons.isEmpty() ? "" : " " + reasons) + (plugin.isEmpty() ? "" : " (" + plugin + ")"); }
}
