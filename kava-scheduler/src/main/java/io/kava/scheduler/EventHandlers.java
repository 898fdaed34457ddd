package io.kava.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kava.client.TrimmedItemStore;
import io.kava.scheduler.cache.SchedulerCache;
import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Resource;
import io.kava.scheduler.queue.SchedulingQueue;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns informer events into cache updates, queue entries and cluster events: bound pods go to the cache (and may
 * unblock others), pending pods of this scheduler go to the queue, node changes that matter for scheduling become
 * events for the plugins that registered them. Pods that finished (Succeeded/Failed) free their node as if deleted.
 */
final class EventHandlers {
  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final PriorityResolver priorities;
  private final String schedulerName;

  EventHandlers(SchedulerCache cache, SchedulingQueue queue, PriorityResolver priorities, String schedulerName) {
    this.cache = cache;
    this.queue = queue;
    this.priorities = priorities;
    this.schedulerName = schedulerName;
  }

  /**
   * What the scheduler's pod informer keeps of a pod: all but managedFields and the container statuses, which no
   * plugin reads (the scheduler holds every pod of the cluster; these are most of a running pod's status).
   */
  static void trim(Pod p) {
    TrimmedItemStore.dropManagedFields(p);
    if (p.getStatus() != null) {
      p.getStatus().setContainerStatuses(null);
      p.getStatus().setInitContainerStatuses(null);
      p.getStatus().setEphemeralContainerStatuses(null);
    }
  }

  static boolean assigned(Pod p) { return p.getSpec() != null && p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty(); }

  static boolean terminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  boolean responsible(Pod p) {
    String n = p.getSpec() == null ? null : p.getSpec().getSchedulerName();
    return n == null || n.isEmpty() || n.equals(schedulerName);
  }

  private PodInfo info(Pod p) { return PodInfo.of(p, priorities.priorityOf(p)); }

  ResourceEventHandler<Pod> pods() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        if (assigned(pod)) {
          if (terminal(pod)) return;
          PodInfo pi = info(pod);
          queue.removeNominated(pi);
          cache.addPod(pi);
          queue.assignedPodAdded(pi);
        } else if (responsible(pod) && !terminal(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
          queue.add(info(pod));
        }
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) return; // resync
        boolean wasAssigned = assigned(old);
        if (assigned(pod)) {
          PodInfo pi = info(pod);
          if (!wasAssigned) {
            queue.delete(info(old));
            queue.removeNominated(pi);
            if (!terminal(pod)) {
              cache.addPod(pi);
              queue.assignedPodAdded(pi);
            }
            return;
          }
          if (terminal(pod)) {
            if (!terminal(old)) {
              cache.removePod(pi);
              queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE);
            }
            return;
          }
          PodInfo oldInfo = info(old);
          cache.updatePod(pi);
          int actions = 0;
          if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) actions |= ClusterEvent.UPDATE_POD_LABEL;
          if (scaledDown(oldInfo.requests(), pi.requests())) actions |= ClusterEvent.UPDATE_POD_SCALE_DOWN;
          if (actions != 0) queue.moveAllToActiveOrBackoff(ClusterEvent.of(ClusterEvent.Kind.POD, actions));
          return;
        }
        if (!responsible(pod)) return;
        if (terminal(pod) || pod.getMetadata().getDeletionTimestamp() != null) queue.delete(info(pod));
        else queue.update(info(old), info(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        PodInfo pi = info(pod);
        if (assigned(pod)) {
          cache.removePod(pi);
          queue.moveAllToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_DELETE);
        } else {
          queue.delete(pi);
        }
      }
    };
  }

  ResourceEventHandler<Node> nodes() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        cache.addNode(node);
        queue.moveAllToActiveOrBackoff(ClusterEvent.NODE_ADD);
      }

      @Override
      public void onUpdate(Node old, Node node) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), node.getMetadata().getResourceVersion())) return;
        int actions = changes(old, node);
        cache.updateNode(node);
        if (actions == 0) return; // a heartbeat: nothing that could unblock a pod
        queue.moveAllToActiveOrBackoff(ClusterEvent.of(ClusterEvent.Kind.NODE, actions));
      }

      @Override
      public void onDelete(Node node, boolean finalStateUnknown) {
        cache.removeNode(node);
      }
    };
  }

  /** Which scheduling-relevant properties of a node changed (ClusterEvent action bits). */
  static int changes(Node a, Node b) {
    int actions = 0;
    var sa = a.getStatus();
    var sb = b.getStatus();
    if (!Objects.equals(sa == null ? null : sa.getAllocatable(), sb == null ? null : sb.getAllocatable())) actions |= ClusterEvent.UPDATE_NODE_ALLOCATABLE;
    if (!Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())) actions |= ClusterEvent.UPDATE_NODE_LABEL;
    var pa = a.getSpec();
    var pb = b.getSpec();
    if (!Objects.equals(pa == null ? null : pa.getTaints(), pb == null ? null : pb.getTaints())
        || !Objects.equals(pa == null ? null : pa.getUnschedulable(), pb == null ? null : pb.getUnschedulable())) {
      actions |= ClusterEvent.UPDATE_NODE_TAINT;
    }
    if (!conditionStatuses(a).equals(conditionStatuses(b))) actions |= ClusterEvent.UPDATE_NODE_CONDITION;
    return actions;
  }

  private static Map<String, String> conditionStatuses(Node n) {
    Map<String, String> m = new HashMap<>();
    if (n.getStatus() != null && n.getStatus().getConditions() != null) {
      for (NodeCondition c : n.getStatus().getConditions()) m.put(c.getType(), c.getStatus());
    }
    return m;
  }

  private static boolean scaledDown(Resource a, Resource b) {
    return b.milliCpu < a.milliCpu || b.memory < a.memory || b.ephemeralStorage < a.ephemeralStorage;
  }
}
