package io.kava.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicy;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A Job's podFailurePolicy and successPolicy (upstream's pod_failure_policy.go and success_policy.go). */
final class JobPolicies {
  private JobPolicies() {}

  /**
   * What podFailurePolicy says about a failed pod.
   *
   * @param failJobMessage set when a FailJob rule matched: the job fails with this message
   * @param countFailed    whether the failure counts toward backoffLimit (false for Ignore)
   */
  record Verdict(String failJobMessage, boolean countFailed) {
    static final Verdict COUNT = new Verdict(null, true);
  }

  /** Upstream's matchPodFailurePolicy: the first rule that matches decides; none matching counts the failure. */
  static Verdict match(PodFailurePolicy policy, Pod pod) {
    if (policy == null || policy.getRules() == null) return Verdict.COUNT;
    List<PodFailurePolicyRule> rules = policy.getRules();
    for (int i = 0; i < rules.size(); i++) {
      PodFailurePolicyRule rule = rules.get(i);
      String action = Objects.toString(rule.getAction(), "");
      if (rule.getOnExitCodes() != null) {
        ContainerStatus cs = matchExitCodes(pod, rule.getOnExitCodes());
        if (cs == null) continue;
        return switch (action) {
          case "Ignore" -> new Verdict(null, false);
          case "FailJob" -> new Verdict("Container " + cs.getName() + " for pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
              + " failed with exit code " + cs.getState().getTerminated().getExitCode() + " matching FailJob rule at index " + i, true);
          default -> Verdict.COUNT; // Count, and FailIndex (which needs backoffLimitPerIndex)
        };
      }
      if (rule.getOnPodConditions() != null && !rule.getOnPodConditions().isEmpty()) {
        PodCondition c = matchConditions(pod, rule.getOnPodConditions());
        if (c == null) continue;
        return switch (action) {
          case "Ignore" -> new Verdict(null, false);
          case "FailJob" -> new Verdict("Pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " has condition "
              + c.getType() + " matching FailJob rule at index " + i, true);
          default -> Verdict.COUNT;
        };
      }
    }
    return Verdict.COUNT;
  }

  private static ContainerStatus matchExitCodes(Pod pod, PodFailurePolicyOnExitCodesRequirement req) {
    if (pod.getStatus() == null) return null;
    List<ContainerStatus> all = new ArrayList<>();
    if (pod.getStatus().getContainerStatuses() != null) all.addAll(pod.getStatus().getContainerStatuses());
    if (pod.getStatus().getInitContainerStatuses() != null) all.addAll(pod.getStatus().getInitContainerStatuses());
    for (ContainerStatus cs : all) {
      if (cs.getState() == null || cs.getState().getTerminated() == null) continue;
      if (req.getContainerName() != null && !req.getContainerName().equals(cs.getName())) continue;
      int code = cs.getState().getTerminated().getExitCode() == null ? 0 : cs.getState().getTerminated().getExitCode();
      if (code == 0) continue;
      boolean in = req.getValues() != null && req.getValues().contains(code);
      if ("In".equals(req.getOperator()) ? in : "NotIn".equals(req.getOperator()) && !in) return cs;
    }
    return null;
  }

  private static PodCondition matchConditions(Pod pod, List<PodFailurePolicyOnPodConditionsPattern> patterns) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return null;
    for (PodFailurePolicyOnPodConditionsPattern p : patterns) {
      String status = p.getStatus() == null || p.getStatus().isEmpty() ? "True" : p.getStatus();
      for (PodCondition c : pod.getStatus().getConditions()) {
        if (Objects.equals(c.getType(), p.getType()) && Objects.equals(c.getStatus(), status)) return c;
      }
    }
    return null;
  }

  /**
   * Upstream's matchSuccessPolicy for Indexed jobs: the message of the first rule met ("Matched rules at index N"),
   * or null. A rule with succeededIndexes needs all of them (or succeededCount of them); a rule with only
   * succeededCount needs that many succeeded indexes.
   */
  static String matchSuccess(SuccessPolicy policy, int completions, CompletedIndexes succeeded) {
    if (policy == null || policy.getRules() == null) return null;
    for (int i = 0; i < policy.getRules().size(); i++) {
      SuccessPolicyRule r = policy.getRules().get(i);
      if (r.getSucceededIndexes() != null) {
        CompletedIndexes wanted = CompletedIndexes.parse(r.getSucceededIndexes(), completions);
        int have = 0;
        for (int ix : members(wanted, completions)) {
          if (succeeded.has(ix)) have++;
        }
        int need = r.getSucceededCount() == null ? wanted.total() : r.getSucceededCount();
        if (wanted.total() > 0 && have >= need) return "Matched rules at index " + i;
      } else if (r.getSucceededCount() != null && succeeded.total() >= r.getSucceededCount()) {
        return "Matched rules at index " + i;
      }
    }
    return null;
  }

  private static List<Integer> members(CompletedIndexes set, int completions) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < completions; i++) if (set.has(i)) out.add(i);
    return out;
  }
}
