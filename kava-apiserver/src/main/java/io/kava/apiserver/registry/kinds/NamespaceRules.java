package io.kava.apiserver.registry.kinds;

import io.kava.apiserver.registry.ObjectHook;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Namespace lifecycle: Active at creation; a delete marks it Terminating and waits until the namespace controller
 * has emptied it and removed the "kubernetes" entry of spec.finalizers (through /finalize).
 */
public final class NamespaceRules {
  private NamespaceRules() {}

  public static final Set<String> FIELDS = Set.of("status.phase");

  public static Map<String, String> fields(JsonNode ns) {
    return Map.of("status.phase", ns.path("status").path("phase").asString(""));
  }

  public static final ObjectHook MARKED_FOR_DELETION = (ctx, ns, old) -> ns.withObject("status").put("phase", "Terminating");

  public static boolean finalizationPending(JsonNode ns) {
    JsonNode fin = ns.path("spec").path("finalizers");
    return fin.isArray() && !fin.isEmpty();
  }
}
