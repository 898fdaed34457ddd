package io.kava.controllers.namespace;

import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The five status conditions upstream's namespace controller keeps on a terminating namespace, with its reasons and
 * messages (what {@code kubectl get ns -o yaml} and {@code describe} show while a namespace is stuck). Each is
 * "True" when something is wrong or left, "False" when that step is done; lastTransitionTime moves only when the
 * status flips.
 */
final class NamespaceConditions {
  private NamespaceConditions() {}

  static final String DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure";
  static final String GROUP_VERSION_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure";
  static final String CONTENT_FAILURE = "NamespaceDeletionContentFailure";
  static final String CONTENT_REMAINING = "NamespaceContentRemaining";
  static final String FINALIZERS_REMAINING = "NamespaceFinalizersRemaining";

  private record Condition(String type, boolean status, String reason, String message) {}

  /** The conditions for {@code outcome}, merged into {@code existing} (a status.conditions array or missing). */
  static ArrayNode merge(JsonNode existing, DeletionOutcome outcome, Instant now) {
    List<Condition> wanted = List.of(
        outcome.discoveryFailures().isEmpty()
            ? new Condition(DISCOVERY_FAILURE, false, "ResourcesDiscovered", "All resources successfully discovered")
            : new Condition(DISCOVERY_FAILURE, true, "DiscoveryFailed", "Discovery failed for some groups, "
                + outcome.discoveryFailures().size() + " failing: " + DeletionOutcome.describe(outcome.discoveryFailures())),
        new Condition(GROUP_VERSION_PARSING_FAILURE, false, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
        outcome.deletionFailures().isEmpty()
            ? new Condition(CONTENT_FAILURE, false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization")
            : new Condition(CONTENT_FAILURE, true, "ContentDeletionFailed", "Failed to delete all resource types, "
                + outcome.deletionFailures().size() + " remaining: " + DeletionOutcome.describe(outcome.deletionFailures())),
        outcome.remaining().isEmpty()
            ? new Condition(CONTENT_REMAINING, false, "ContentRemoved", "All content successfully removed")
            : new Condition(CONTENT_REMAINING, true, "SomeResourcesRemain", "Some resources are remaining: "
                + join(outcome.remaining(), "%s has %d resource instances")),
        outcome.finalizersRemaining().isEmpty()
            ? new Condition(FINALIZERS_REMAINING, false, "ContentHasNoFinalizers", "All content-preserving finalizers finished")
            : new Condition(FINALIZERS_REMAINING, true, "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: "
                + join(outcome.finalizersRemaining(), "%s in %d resource instances")));

    ArrayNode out = Json.NODES.arrayNode();
    List<String> ours = new ArrayList<>();
    for (Condition c : wanted) {
      ours.add(c.type);
      JsonNode old = find(existing, c.type);
      String status = c.status ? "True" : "False";
      ObjectNode n = out.addObject();
      n.put("type", c.type);
      n.put("status", status);
      boolean flipped = old == null || !status.equals(old.path("status").asString(""));
      n.put("lastTransitionTime", flipped ? Timestamps.formatTime(now) : old.path("lastTransitionTime").asString(Timestamps.formatTime(now)));
      n.put("reason", c.reason);
      n.put("message", c.message);
    }
    // Conditions someone else set stay.
    if (existing != null && existing.isArray()) {
      for (JsonNode c : existing) if (!ours.contains(c.path("type").asString(""))) out.add(c.deepCopy());
    }
    return out;
  }

  private static String join(Map<String, Integer> counts, String format) {
    StringBuilder b = new StringBuilder();
    counts.forEach((k, n) -> b.append(b.isEmpty() ? "" : ", ").append(String.format(format, k, n)));
    return b.toString();
  }

  private static JsonNode find(JsonNode conditions, String type) {
    if (conditions == null || !conditions.isArray()) return null;
    for (JsonNode c : conditions) if (type.equals(c.path("type").asString(""))) return c;
    return null;
  }
}
