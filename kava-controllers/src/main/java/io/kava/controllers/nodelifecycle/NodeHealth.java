package io.kava.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.kava.api.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the node lifecycle controller wants of a Node (upstream's monitorNodeHealth and the taint-by-condition
 * passes, minus the I/O): its conditions turned Unknown when the kubelet stopped reporting, and the taints that go
 * with its Ready condition and spec.unschedulable.
 */
final class NodeHealth {
  static final String READY = "Ready";
  /** The conditions a kubelet reports and that turn Unknown with it (upstream's nodeConditionsToUpdate). */
  static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
  static final String STOPPED_REASON = "NodeStatusUnknown";
  static final String STOPPED_MESSAGE = "Kubelet stopped posting node status.";
  static final String NEVER_REASON = "NodeStatusNeverUpdated";
  static final String NEVER_MESSAGE = "Kubelet never posted node status.";
  /** The taint keys this controller owns: others' taints are never touched. */
  static final Set<String> MANAGED = Set.of(Taints.NOT_READY, Taints.UNREACHABLE, Taints.UNSCHEDULABLE);

  private NodeHealth() {}

  static NodeCondition condition(Node n, String type) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    for (NodeCondition c : n.getStatus().getConditions()) if (type.equals(c.getType())) return c;
    return null;
  }

  static String readyStatus(Node n) {
    NodeCondition c = condition(n, READY);
    return c == null ? null : c.getStatus();
  }

  /**
   * The conditions after the kubelet was found silent: every kubelet condition Unknown (added if missing), with
   * upstream's reasons; the rest as they were. Null when they already say so.
   */
  static List<NodeCondition> silentConditions(Node n, Instant now) {
    List<NodeCondition> in = n.getStatus() == null || n.getStatus().getConditions() == null ? List.of() : n.getStatus().getConditions();
    List<NodeCondition> out = new ArrayList<>();
    boolean changed = false;
    String ts = Timestamps.formatTime(now);
    for (String type : KUBELET_CONDITIONS) {
      NodeCondition c = null;
      for (NodeCondition x : in) if (type.equals(x.getType())) c = x;
      if (c == null) {
        NodeCondition fresh = new NodeCondition();
        fresh.setType(type);
        fresh.setStatus("Unknown");
        fresh.setReason(NEVER_REASON);
        fresh.setMessage(NEVER_MESSAGE);
        fresh.setLastHeartbeatTime(ts);
        fresh.setLastTransitionTime(ts);
        out.add(fresh);
        changed = true;
      } else if (!"Unknown".equals(c.getStatus())) {
        // lastHeartbeatTime stays: it says when the kubelet was last heard from.
        out.add(new NodeCondition(c.getLastHeartbeatTime(), ts, STOPPED_MESSAGE, STOPPED_REASON, "Unknown", type));
        changed = true;
      } else {
        out.add(c);
      }
    }
    for (NodeCondition x : in) if (!KUBELET_CONDITIONS.contains(x.getType())) out.add(x);
    return changed ? out : null;
  }

  /**
   * The node's taints with the managed ones made to match its Ready condition and spec.unschedulable: Ready False →
   * not-ready, Unknown → unreachable (NoSchedule and NoExecute); unschedulable → unschedulable:NoSchedule. Taints kept
   * keep their timeAdded; new NoExecute ones get {@code now}. Null when nothing changes.
   */
  static List<Taint> desiredTaints(Node n, Instant now) {
    List<Taint> current = n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
    String ready = readyStatus(n);
    List<String[]> want = new ArrayList<>(); // key, effect
    if ("False".equals(ready)) {
      want.add(new String[] {Taints.NOT_READY, Taints.NO_SCHEDULE});
      want.add(new String[] {Taints.NOT_READY, Taints.NO_EXECUTE});
    } else if ("Unknown".equals(ready)) {
      want.add(new String[] {Taints.UNREACHABLE, Taints.NO_SCHEDULE});
      want.add(new String[] {Taints.UNREACHABLE, Taints.NO_EXECUTE});
    }
    if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) want.add(new String[] {Taints.UNSCHEDULABLE, Taints.NO_SCHEDULE});
    List<Taint> out = new ArrayList<>();
    boolean changed = false;
    for (Taint t : current) {
      if (!MANAGED.contains(t.getKey())) {
        out.add(t);
        continue;
      }
      boolean wanted = want.stream().anyMatch(w -> w[0].equals(t.getKey()) && w[1].equals(t.getEffect()));
      if (wanted) out.add(t);
      else changed = true;
    }
    for (String[] w : want) {
      boolean have = current.stream().anyMatch(t -> w[0].equals(t.getKey()) && w[1].equals(t.getEffect()));
      if (have) continue;
      Taint t = new Taint();
      t.setKey(w[0]);
      t.setEffect(w[1]);
      if (w[1].equals(Taints.NO_EXECUTE)) t.setTimeAdded(Timestamps.formatTime(now));
      out.add(t);
      changed = true;
    }
    return changed ? out : null;
  }

  /** The heartbeat a kubelet leaves: its Lease's version (each renewal writes a new one) and its Ready condition's lastHeartbeatTime. */
  record Heartbeat(String leaseVersion, String readyHeartbeat) {}

  static Heartbeat heartbeat(Node n, String leaseVersion) {
    NodeCondition c = condition(n, READY);
    return new Heartbeat(leaseVersion, c == null ? null : c.getLastHeartbeatTime());
  }
}
