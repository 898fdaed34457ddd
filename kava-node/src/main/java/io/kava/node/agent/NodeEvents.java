package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.kava.client.EventRecorder;
import java.util.ArrayList;
import java.util.List;

/**
 * The Events the kubelet records about its Node: "Starting kubelet." when it starts, then one "Node NAME status is
 * now: REASON" per condition that changed (all of them at registration), as upstream's node status setters do.
 * Upstream refers to the node with its name as uid; so does this.
 */
final class NodeEvents {
  private final PodEvents.Sink sink;
  private final ObjectReference node;

  NodeEvents(PodEvents.Sink sink, String nodeName) {
    this.sink = sink;
    this.node = new ObjectReferenceBuilder().withKind("Node").withName(nodeName).withUid(nodeName).build();
  }

  void starting() { sink.event(node, EventRecorder.NORMAL, "Starting", "Starting kubelet."); }

  void allocatableEnforced() { sink.event(node, EventRecorder.NORMAL, "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods"); }

  /** Records the transitions from {@code before} (null: the node was just registered) to {@code now}. */
  void conditionsChanged(NodeConditions before, NodeConditions now) {
    for (String reason : transitions(before, now)) sink.event(node, EventRecorder.NORMAL, reason, "Node " + node.getName() + " status is now: " + reason);
  }

  /** The event reasons for what changed, in upstream's order: memory, disk, PID, then readiness. */
  static List<String> transitions(NodeConditions before, NodeConditions now) {
    List<String> out = new ArrayList<>();
    if (before == null || before.memoryPressure() != now.memoryPressure()) {
      out.add(now.memoryPressure() ? "NodeHasInsufficientMemory" : "NodeHasSufficientMemory");
    }
    if (before == null || before.diskPressure() != now.diskPressure()) out.add(now.diskPressure() ? "NodeHasDiskPressure" : "NodeHasNoDiskPressure");
    if (before == null || before.pidPressure() != now.pidPressure()) out.add(now.pidPressure() ? "NodeHasInsufficientPID" : "NodeHasSufficientPID");
    if (before == null || before.ready() != now.ready()) out.add(now.ready() ? "NodeReady" : "NodeNotReady");
    return out;
  }
}
