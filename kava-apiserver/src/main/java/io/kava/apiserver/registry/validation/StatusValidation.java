package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.IpValidation;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Validation of subresource writes: pods/binding, pods/status, namespaces/status, namespaces/finalize. */
final class StatusValidation {
  private StatusValidation() {}

  /** The node a binding names must be a valid node name. */
  static List<FieldError> podBinding(JsonNode pod, JsonNode old) {
    String node = Tree.str(Tree.get(pod, "spec"), "nodeName");
    List<FieldError> errs = new ArrayList<>();
    if (node.isEmpty()) errs.add(Errs.required(FieldPath.of("target", "name"), ""));
    for (String msg : node.isEmpty() ? List.<String>of() : NameValidation.isDNS1123Subdomain(node)) {
      errs.add(Errs.invalid(FieldPath.of("target", "name"), node, msg));
    }
    return errs;
  }

  private static final Set<String> SYSTEM_CONDITIONS = Set.of("PodScheduled", "Ready", "Initialized");

  /** ValidatePodStatusUpdate's main rules. */
  static List<FieldError> podStatus(JsonNode pod, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode status = Tree.get(pod, "status");
    JsonNode oldStatus = Tree.get(old, "status");
    List<JsonNode> conditions = Tree.list(status, "conditions");
    for (int i = 0; i < conditions.size(); i++) {
      String type = Tree.str(conditions.get(i), "type");
      if (SYSTEM_CONDITIONS.contains(type)) continue;
      // upstream builds this path from "metadata"
      for (String msg : NameValidation.isQualifiedName(type)) {
        errs.add(Errs.invalid(FieldPath.of("metadata", "conditions").index(i).child("Type"), type, msg));
      }
    }
    if (!Tree.str(Tree.get(pod, "spec"), "nodeName").equals(Tree.str(Tree.get(old, "spec"), "nodeName"))) {
      errs.add(Errs.forbidden(FieldPath.of("status", "nodeName"), "may not be changed directly"));
    }
    String nominated = Tree.str(status, "nominatedNodeName");
    if (!nominated.isEmpty() && !nominated.equals(Tree.str(oldStatus, "nominatedNodeName"))) {
      for (String msg : NameValidation.isDNS1123Subdomain(nominated)) {
        errs.add(Errs.invalid(FieldPath.of("status", "nominatedNodeName"), nominated, msg));
      }
    }
    String qos = Tree.strOrNull(status, "qosClass");
    if (!Objects.equals(qos, Tree.strOrNull(oldStatus, "qosClass"))) errs.add(Errs.immutable(FieldPath.of("status", "qosClass"), qos));
    String restart = Tree.str(Tree.get(old, "spec"), "restartPolicy");
    errs.addAll(stateTransitions(Tree.list(status, "containerStatuses"), Tree.list(oldStatus, "containerStatuses"),
        FieldPath.of("status", "containerStatuses"), restart));
    errs.addAll(stateTransitions(Tree.list(status, "ephemeralContainerStatuses"), Tree.list(oldStatus, "ephemeralContainerStatuses"),
        FieldPath.of("status", "ephemeralContainerStatuses"), "Never"));
    List<JsonNode> podIPs = Tree.list(status, "podIPs");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < podIPs.size(); i++) {
      String ip = Tree.str(podIPs.get(i), "ip");
      errs.addAll(IpValidation.isValidIPForLegacyField(FieldPath.of("status", "podIPs").index(i), ip, false, null));
      if (!seen.add(ip)) errs.add(Errs.duplicate(FieldPath.of("status", "podIPs").index(i), GoValue.json(podIPs.get(i))));
    }
    List<JsonNode> hostIPs = Tree.list(status, "hostIPs");
    if (!hostIPs.isEmpty() && !Tree.str(status, "hostIP").equals(Tree.str(hostIPs.get(0), "ip"))) {
      errs.add(Errs.invalid(FieldPath.of("status", "hostIPs").index(0).child("ip"), Tree.str(hostIPs.get(0), "ip"), "must be equal to `hostIP`"));
    }
    return errs;
  }

  /** ValidateContainerStateTransition: a terminated container may not run again unless its restart policy allows it. */
  private static List<FieldError> stateTransitions(List<JsonNode> now, List<JsonNode> before, FieldPath p, String restartPolicy) {
    List<FieldError> errs = new ArrayList<>();
    if (restartPolicy.equals("Always")) return errs;
    for (int i = 0; i < before.size(); i++) {
      JsonNode terminated = Tree.at(before.get(i), "state", "terminated");
      if (terminated == null) continue;
      if (Tree.num(terminated, "exitCode", 0) != 0 && restartPolicy.equals("OnFailure")) continue;
      String name = Tree.str(before.get(i), "name");
      for (JsonNode n : now) {
        if (name.equals(Tree.str(n, "name")) && Tree.at(n, "state", "terminated") == null) {
          errs.add(Errs.forbidden(p.index(i).child("state"), "may not be transitioned to non-terminated state"));
        }
      }
    }
    return errs;
  }

  /** ValidateNamespaceStatusUpdate. */
  static List<FieldError> namespaceStatus(JsonNode ns, JsonNode old) {
    String phase = Tree.str(Tree.get(ns, "status"), "phase");
    boolean deleting = Tree.has(Tree.get(ns, "metadata"), "deletionTimestamp");
    if (!deleting && !phase.equals("Active")) {
      return List.of(Errs.invalid(FieldPath.of("status", "Phase"), phase, "may only be 'Active' if `deletionTimestamp` is empty"));
    }
    if (deleting && !phase.equals("Terminating")) {
      return List.of(Errs.invalid(FieldPath.of("status", "Phase"), phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
    }
    return List.of();
  }

  /** ValidateNamespaceFinalizeUpdate. */
  static List<FieldError> namespaceFinalize(JsonNode ns, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    List<String> finalizers = Tree.strings(Tree.get(ns, "spec"), "finalizers");
    for (int i = 0; i < finalizers.size(); i++) {
      errs.addAll(CoreValidation.finalizerName(finalizers.get(i), FieldPath.of("spec", "finalizers").index(i)));
    }
    return errs;
  }
}
