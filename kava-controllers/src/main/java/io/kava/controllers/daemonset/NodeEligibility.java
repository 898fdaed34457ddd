package io.kava.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Upstream's NodeShouldRunDaemonPod: whether a node should run the daemon pod (its name, nodeSelector and required
 * node affinity fit, and every NoSchedule/NoExecute taint is tolerated), and whether a pod already there may stay
 * (the same, except that only NoExecute taints evict).
 */
record NodeEligibility(boolean shouldRun, boolean shouldContinueRunning) {
  static final NodeEligibility NONE = new NodeEligibility(false, false);

  /** {@code spec} is the daemon pod's spec with the daemon tolerations already added. */
  static NodeEligibility of(PodSpec spec, Node node, boolean ownerDeleting) {
    if (ownerDeleting) return NONE;
    String name = node.getMetadata().getName();
    if (spec.getNodeName() != null && !spec.getNodeName().isEmpty() && !spec.getNodeName().equals(name)) return NONE;
    if (!fitsNodeAffinity(spec, node)) return NONE;
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    List<Toleration> tolerations = spec.getTolerations() == null ? List.of() : spec.getTolerations();
    boolean untoleratedHard = false;
    boolean untoleratedNoExecute = false;
    for (Taint t : taints) {
      if (!"NoSchedule".equals(t.getEffect()) && !"NoExecute".equals(t.getEffect())) continue;
      if (tolerated(tolerations, t)) continue;
      untoleratedHard = true;
      if ("NoExecute".equals(t.getEffect())) untoleratedNoExecute = true;
    }
    if (untoleratedHard) return new NodeEligibility(false, !untoleratedNoExecute);
    return new NodeEligibility(true, true);
  }

  /** nodeSelector labels and the required node affinity terms (ORed; an empty term matches nothing). */
  static boolean fitsNodeAffinity(PodSpec spec, Node node) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (spec.getNodeSelector() != null) {
      for (var e : spec.getNodeSelector().entrySet()) if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    }
    if (spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null) return true;
    NodeSelector required = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null) return true;
    if (required.getNodeSelectorTerms() == null) return false;
    for (NodeSelectorTerm t : required.getNodeSelectorTerms()) if (matches(t, node.getMetadata().getName(), labels)) return true;
    return false;
  }

  static boolean matches(NodeSelectorTerm t, String nodeName, Map<String, String> labels) {
    boolean any = false;
    if (t.getMatchExpressions() != null) {
      for (NodeSelectorRequirement r : t.getMatchExpressions()) {
        any = true;
        if (!matches(r, labels.get(r.getKey()), labels.containsKey(r.getKey()))) return false;
      }
    }
    if (t.getMatchFields() != null) {
      for (NodeSelectorRequirement r : t.getMatchFields()) {
        any = true;
        if (!"metadata.name".equals(r.getKey())) return false;
        if (!matches(r, nodeName, true)) return false;
      }
    }
    return any;
  }

  private static boolean matches(NodeSelectorRequirement r, String value, boolean present) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (Objects.toString(r.getOperator(), "")) {
      case "In" -> present && values.contains(value);
      case "NotIn" -> !present || !values.contains(value);
      case "Exists" -> present;
      case "DoesNotExist" -> !present;
      case "Gt", "Lt" -> {
        if (!present || values.size() != 1) yield false;
        try {
          long have = Long.parseLong(value);
          long want = Long.parseLong(values.getFirst());
          yield "Gt".equals(r.getOperator()) ? have > want : have < want;
        } catch (NumberFormatException e) {
          yield false;
        }
      }
      default -> false;
    };
  }

  static boolean tolerated(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) if (tolerates(t, taint)) return true;
    return false;
  }

  /** v1 Toleration.ToleratesTaint. */
  static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) return false;
    String key = t.getKey() == null ? "" : t.getKey();
    if (!key.isEmpty() && !key.equals(taint.getKey())) return false;
    String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
    if ("Exists".equals(op)) return true;
    if (key.isEmpty()) return false; // an empty key needs Exists
    return Objects.equals(t.getValue() == null ? "" : t.getValue(), taint.getValue() == null ? "" : taint.getValue());
  }
}
