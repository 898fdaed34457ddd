package io.kava.apiserver.registry.defaults;

import io.kava.apiserver.registry.ObjectHook;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What kube-apiserver's default admission plugins add to a pod on create (not defaulting: these run once, on the
 * main resource's create, after defaulting). Call {@link #apply} (or use {@link #ON_CREATE}) from the pod's
 * create path; updates must not re-apply them.
 */
public final class PodAdmissionDefaults {
  private PodAdmissionDefaults() {}

  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  /** The DefaultTolerationSeconds plugin's default for both taints. */
  public static final int DEFAULT_TOLERATION_SECONDS = 300;

  /** DefaultTolerationSeconds on a pod being created. */
  public static final ObjectHook ON_CREATE = (ctx, pod, old) -> {
    if (old == null && (ctx == null || ctx.subresource() == null || ctx.subresource().isEmpty())) apply(pod);
  };

  /** Runs every pod-create admission default kava applies (today: {@link #defaultTolerationSeconds}). */
  public static void apply(ObjectNode pod) { defaultTolerationSeconds(pod); }

  /**
   * DefaultTolerationSeconds: unless the pod already tolerates them (a toleration with that key, or an empty key,
   * and effect NoExecute or empty), add {@code node.kubernetes.io/not-ready} and {@code node.kubernetes.io/unreachable}
   * NoExecute tolerations for 300 s.
   */
  public static void defaultTolerationSeconds(ObjectNode pod) {
    ObjectNode spec = D.objOrCreate(pod, "spec");
    boolean notReady = false;
    boolean unreachable = false;
    for (ObjectNode t : D.objs(spec, "tolerations")) {
      String key = D.str(t, "key");
      String effect = D.str(t, "effect");
      boolean noExecute = effect.isEmpty() || effect.equals("NoExecute");
      if ((key.equals(NOT_READY) || key.isEmpty()) && noExecute) notReady = true;
      if ((key.equals(UNREACHABLE) || key.isEmpty()) && noExecute) unreachable = true;
    }
    if (notReady && unreachable) return;
    ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode a ? a : spec.putArray("tolerations");
    if (!notReady) tolerations.add(toleration(NOT_READY));
    if (!unreachable) tolerations.add(toleration(UNREACHABLE));
  }

  private static ObjectNode toleration(String key) {
    ObjectNode t = D.F.objectNode();
    t.put("key", key);
    t.put("operator", "Exists");
    t.put("effect", "NoExecute");
    t.put("tolerationSeconds", DEFAULT_TOLERATION_SECONDS);
    return t;
  }

  /**
   * The Priority plugin's outcome once the lead has resolved the class: {@code priority} from the named (or global
   * default) PriorityClass, 0 when there is none, and {@code preemptionPolicy} from the class (PreemptLowerPriority
   * when there is none). Pass {@code classValue == null} when no class applies.
   */
  public static void priority(ObjectNode pod, Integer classValue, String classPreemptionPolicy) {
    ObjectNode spec = D.objOrCreate(pod, "spec");
    spec.put("priority", classValue == null ? 0 : classValue);
    if (D.isNil(spec, "preemptionPolicy")) {
      spec.put("preemptionPolicy", classPreemptionPolicy == null ? "PreemptLowerPriority" : classPreemptionPolicy);
    }
  }
}
