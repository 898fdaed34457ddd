package io.kava.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

class NamespaceConditionsTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  static DeletionOutcome outcome(TreeMap<String, Integer> remaining, TreeMap<String, Integer> finalizers) {
    return new DeletionOutcome(new TreeMap<>(), new TreeMap<>(), remaining, finalizers, 0);
  }

  static JsonNode find(ArrayNode conditions, String type) {
    for (JsonNode c : conditions) if (c.path("type").asString().equals(type)) return c;
    throw new AssertionError("no condition " + type + " in " + conditions);
  }

  @Test
  void allClearGivesUpstreamsFiveFalseConditions() {
    ArrayNode c = NamespaceConditions.merge(null, outcome(new TreeMap<>(), new TreeMap<>()), T0);
    assertThat(c).hasSize(5);
    assertThat(c).allSatisfy(n -> assertThat(n.path("status").asString()).isEqualTo("False"));
    assertThat(find(c, "NamespaceContentRemaining").path("reason").asString()).isEqualTo("ContentRemoved");
    assertThat(find(c, "NamespaceFinalizersRemaining").path("message").asString()).isEqualTo("All content-preserving finalizers finished");
    assertThat(find(c, "NamespaceDeletionDiscoveryFailure").path("message").asString()).isEqualTo("All resources successfully discovered");
  }

  @Test
  void remainingContentAndFinalizersAreCountedInUpstreamsWords() {
    TreeMap<String, Integer> remaining = new TreeMap<>();
    remaining.put("configmaps.", 2);
    remaining.put("deployments.apps", 1);
    TreeMap<String, Integer> fins = new TreeMap<>();
    fins.put("example.com/hold", 2);
    ArrayNode c = NamespaceConditions.merge(null, outcome(remaining, fins), T0);
    JsonNode content = find(c, "NamespaceContentRemaining");
    assertThat(content.path("status").asString()).isEqualTo("True");
    assertThat(content.path("reason").asString()).isEqualTo("SomeResourcesRemain");
    assertThat(content.path("message").asString())
        .isEqualTo("Some resources are remaining: configmaps. has 2 resource instances, deployments.apps has 1 resource instances");
    assertThat(find(c, "NamespaceFinalizersRemaining").path("message").asString())
        .isEqualTo("Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances");
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    TreeMap<String, Integer> remaining = new TreeMap<>();
    remaining.put("configmaps.", 1);
    ArrayNode first = NamespaceConditions.merge(null, outcome(remaining, new TreeMap<>()), T0);
    ArrayNode same = NamespaceConditions.merge(first, outcome(remaining, new TreeMap<>()), T0.plus(Duration.ofMinutes(1)));
    assertThat(same).isEqualTo(first);
    ArrayNode cleared = NamespaceConditions.merge(same, outcome(new TreeMap<>(), new TreeMap<>()), T0.plus(Duration.ofMinutes(2)));
    assertThat(find(cleared, "NamespaceContentRemaining").path("lastTransitionTime").asString()).isEqualTo("2025-01-01T00:02:00Z");
    assertThat(find(cleared, "NamespaceFinalizersRemaining").path("lastTransitionTime").asString()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void conditionsOfOthersAreKept() {
    ArrayNode existing = Json.NODES.arrayNode();
    existing.addObject().put("type", "Custom").put("status", "True");
    ArrayNode c = NamespaceConditions.merge(existing, outcome(new TreeMap<>(), new TreeMap<>()), T0);
    assertThat(c).hasSize(6);
    assertThat(find(c, "Custom").path("status").asString()).isEqualTo("True");
  }

  @Test
  void recheckIsHalfTheEstimatePlusASecondCapped() {
    assertThat(NamespaceController.recheck(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    assertThat(NamespaceController.recheck(Duration.ofSeconds(30))).isEqualTo(NamespaceController.MAX_RECHECK);
  }
}
