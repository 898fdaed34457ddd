package io.kava.scheduler.framework;

/**
 * A change in the cluster that may make unschedulable pods schedulable. {@code actions} is a bit set of the
 * ACTION constants; an event matches a registration when the kinds are equal and the action sets intersect.
 */
public record ClusterEvent(Kind kind, int actions, String label) {
  public enum Kind { POD, NODE, NAMESPACE, WILDCARD }

  public static final int ADD = 1;
  public static final int DELETE = 1 << 1;
  public static final int UPDATE_NODE_ALLOCATABLE = 1 << 2;
  public static final int UPDATE_NODE_LABEL = 1 << 3;
  public static final int UPDATE_NODE_TAINT = 1 << 4;
  public static final int UPDATE_NODE_CONDITION = 1 << 5;
  public static final int UPDATE_POD_LABEL = 1 << 6;
  public static final int UPDATE_POD_SCALE_DOWN = 1 << 7;
  public static final int UPDATE_OTHER = 1 << 8;
  public static final int UPDATE = UPDATE_NODE_ALLOCATABLE | UPDATE_NODE_LABEL | UPDATE_NODE_TAINT | UPDATE_NODE_CONDITION
      | UPDATE_POD_LABEL | UPDATE_POD_SCALE_DOWN | UPDATE_OTHER;
  public static final int ALL = ADD | DELETE | UPDATE;

  public static final ClusterEvent ASSIGNED_POD_ADD = new ClusterEvent(Kind.POD, ADD, "AssignedPodAdd");
  public static final ClusterEvent ASSIGNED_POD_DELETE = new ClusterEvent(Kind.POD, DELETE, "AssignedPodDelete");
  public static final ClusterEvent NODE_ADD = new ClusterEvent(Kind.NODE, ADD, "NodeAdd");
  public static final ClusterEvent NODE_DELETE = new ClusterEvent(Kind.NODE, DELETE, "NodeDelete");
  /** Pods that waited this long in the unschedulable pool are retried whatever happened (upstream: 5 minutes). */
  public static final ClusterEvent UNSCHEDULABLE_TIMEOUT = new ClusterEvent(Kind.WILDCARD, ALL, "UnschedulableTimeout");

  public static ClusterEvent of(Kind r, int actions) { return new ClusterEvent(r, actions, r + "/" + actions); }

  public boolean matches(ClusterEvent registered) {
    if (kind == Kind.WILDCARD || registered.kind == Kind.WILDCARD) return true;
    return kind == registered.kind && (actions & registered.actions) != 0;
  }
}
