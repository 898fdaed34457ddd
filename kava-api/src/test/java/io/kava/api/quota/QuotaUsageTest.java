package io.kava.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import io.kava.api.quantity.Quantity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class QuotaUsageTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  static JsonNode json(String s) { return Json.parse(s.getBytes(StandardCharsets.UTF_8)); }

  static final JsonNode POD = json("""
      {"metadata":{"name":"p"},"spec":{
        "containers":[{"name":"a","resources":{"requests":{"cpu":"250m","memory":"64Mi"},"limits":{"cpu":"500m"}}},
                      {"name":"b","resources":{"requests":{"cpu":"250m"}}}],
        "initContainers":[{"name":"i","resources":{"requests":{"cpu":"1"}}}]},
       "status":{"phase":"Running"}}""");

  static Map<String, String> strings(Map<String, Quantity> m) {
    Map<String, String> out = new java.util.TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  @Test
  void podsCountTheirObjectAndTheLargerOfContainersAndInitContainers() {
    assertThat(strings(QuotaUsage.usage("", "pods", POD, NOW))).containsEntry("pods", "1").containsEntry("count/pods", "1")
        .containsEntry("requests.cpu", "1").containsEntry("cpu", "1").containsEntry("requests.memory", "64Mi")
        .containsEntry("limits.cpu", "500m").doesNotContainKey("limits.memory");
  }

  @Test
  void finishedPodsAndPodsPastTheirGraceUseNothing() {
    assertThat(QuotaUsage.usage("", "pods", json("{\"status\":{\"phase\":\"Succeeded\"}}"), NOW)).isEmpty();
    JsonNode gone = json("{\"metadata\":{\"deletionTimestamp\":\"2025-06-01T11:59:00Z\",\"deletionGracePeriodSeconds\":30},\"status\":{\"phase\":\"Running\"}}");
    assertThat(QuotaUsage.usage("", "pods", gone, NOW)).isEmpty();
    JsonNode stopping = json("{\"metadata\":{\"deletionTimestamp\":\"2025-06-01T11:59:50Z\",\"deletionGracePeriodSeconds\":30},\"status\":{\"phase\":\"Running\"}}");
    assertThat(QuotaUsage.usage("", "pods", stopping, NOW)).containsKey("pods");
  }

  @Test
  void otherKindsCountUnderTheirNames() {
    assertThat(QuotaUsage.usage("apps", "deployments", json("{}"), NOW)).containsOnlyKeys("count/deployments.apps");
    assertThat(QuotaUsage.usage("", "configmaps", json("{}"), NOW)).containsOnlyKeys("configmaps", "count/configmaps");
    assertThat(strings(QuotaUsage.usage("", "services", json("{\"spec\":{\"type\":\"LoadBalancer\",\"ports\":[{},{}]}}"), NOW)))
        .containsEntry("services.nodeports", "2").containsEntry("services.loadbalancers", "1");
    assertThat(strings(QuotaUsage.usage("", "persistentvolumeclaims", json("{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}"), NOW)))
        .containsEntry("requests.storage", "1Gi");
  }

  @Test
  void constrainedPodsMustStateTheirResources() {
    assertThat(QuotaUsage.missingPodConstraints(POD, Set.of("pods"))).isNull();
    assertThat(QuotaUsage.missingPodConstraints(POD, Set.of("requests.cpu", "limits.memory")))
        .isEqualTo("must specify limits.memory for: a,b,i");
    assertThat(QuotaUsage.missingPodConstraints(POD, Set.of("limits.cpu", "memory"))).isEqualTo("must specify limits.cpu for: b,i; memory for: b,i");
  }

  @Test
  void matchingAndFormatting() {
    assertThat(QuotaUsage.matchingResources("", "pods", Set.of("pods", "services", "requests.cpu", "count/pods"))).containsExactly("count/pods", "pods", "requests.cpu");
    assertThat(QuotaUsage.matchingResources("apps", "deployments", Set.of("pods", "count/deployments.apps"))).containsExactly("count/deployments.apps");
    assertThat(QuotaUsage.format(Map.of("pods", Quantity.parse("2"), "cpu", Quantity.parse("500m")))).isEqualTo("cpu=500m,pods=2");
  }
}
