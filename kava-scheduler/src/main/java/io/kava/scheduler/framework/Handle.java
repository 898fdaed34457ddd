package io.kava.scheduler.framework;

import io.kava.api.selector.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a plugin may use besides its arguments: the cycle's snapshot, listers, the framework itself and the API. */
public interface Handle {
  /** The current cycle's snapshot (replaced between cycles; do not keep it across cycles). */
  Snapshot snapshot();

  /** The framework that runs this plugin, for plugins that run other plugins (preemption runs the filters). */
  Framework framework();

  /** The labels of namespace {@code ns} (empty when unknown). */
  Map<String, String> namespaceLabels(String ns);

  /** The names of the namespaces whose labels {@code selector} selects. */
  Set<String> namespacesMatching(LabelSelector selector);

  /** Pending pods nominated to run on {@code nodeName} (after preempting others there). */
  List<PodInfo> nominatedPods(String nodeName);

  /** API calls that plugins (preemption) make. */
  PodActions pods();

  WaitingPods waitingPods();

  /** API actions on pods, performed over HTTP by the scheduler. */
  interface PodActions {
    /** POSTs a Binding of {@code pod} to {@code nodeName} (pods/binding). */
    void bind(PodInfo pod, String nodeName) throws Exception;

    /** Deletes {@code victim} (graceful) to make room for {@code preemptor} on {@code nodeName}; records an event. */
    void preempt(PodInfo victim, PodInfo preemptor, String nodeName) throws Exception;

    /** Clears status.nominatedNodeName of a pending pod that lost its nomination. */
    void clearNominatedNodeName(PodInfo pod) throws Exception;
  }
}
