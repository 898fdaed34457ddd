package io.kava.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a pod fit no node: each node's rejecting status, the plugins that rejected it (they decide which cluster
 * events retry the pod) and the PreFilter/PostFilter messages. {@link #message} renders upstream's FitError text,
 * the one users see in {@code kubectl describe pod}:
 *
 * <pre>0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.</pre>
 */
public final class Diagnosis {
  public final Map<String, Status> nodeStatuses = new HashMap<>();
  public final Set<String> unschedulablePlugins = new HashSet<>();
  public String preFilterMessage = "";
  public String postFilterMessage = "";
  /** PreFilter plugins that limited the pod to some nodes (reported for the other nodes). */
  public final java.util.List<String> narrowedBy = new java.util.ArrayList<>();

  /** "0/N nodes are available: ..." for a cluster of {@code numAllNodes} nodes. */
  public String message(int numAllNodes) {
    StringBuilder sb = new StringBuilder("0/").append(numAllNodes).append(" nodes are available:");
    if (!preFilterMessage.isEmpty()) {
      sb.append(' ').append(preFilterMessage).append('.');
    } else {
      String histogram = histogram(nodeStatuses);
      if (!histogram.isEmpty()) sb.append(' ').append(histogram).append('.');
    }
    if (!postFilterMessage.isEmpty()) {
      sb.append(' ').append(postFilterMessage);
      if (!postFilterMessage.endsWith(".")) sb.append('.');
    }
    return sb.toString();
  }

  /** "1 Insufficient cpu, 2 node(s) ...": each reason with the number of nodes reporting it, sorted as text. */
  public static String histogram(Map<String, Status> statuses) {
    Map<String, Integer> counts = new HashMap<>();
    for (Status s : statuses.values()) for (String r : s.reasons()) counts.merge(r, 1, Integer::sum);
    List<String> parts = new ArrayList<>(counts.size());
    counts.forEach((reason, n) -> parts.add(n + " " + reason));
    Collections.sort(parts);
    return String.join(", ", parts);
  }
}
