package io.kava.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.api.quantity.Quantity;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceStrategy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ResourceQuotaAdmissionTest {
  static final ResourceDefinition PODS = new ResourceDefinition("", "v1", "Pod", "pods", "pod", true, List.of(), List.of(), Set.of(),
      ResourceStrategy.builder().build());

  static ObjectNode quota(String hard, String used) {
    return (ObjectNode) Json.parse(("{\"metadata\":{\"name\":\"q\"},\"status\":{\"hard\":" + hard + ",\"used\":" + used + "}}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCreateThatFitsIsChargedToUsed() {
    ObjectNode q = quota("{\"pods\":\"2\",\"requests.cpu\":\"1\"}", "{\"pods\":\"1\",\"requests.cpu\":\"250m\"}");
    ResourceQuotaAdmission.charge(PODS, "p", q, Map.of("pods", Quantity.parse("1"), "requests.cpu", Quantity.parse("500m"), "limits.cpu", Quantity.parse("1")));
    assertThat(q.path("status").path("used").path("pods").asString()).isEqualTo("2");
    assertThat(q.path("status").path("used").path("requests.cpu").asString()).isEqualTo("750m");
    assertThat(q.path("status").path("used").has("limits.cpu")).isFalse(); // not limited by this quota
  }

  @Test
  void aCreateThatDoesNotFitIsForbiddenWithUpstreamsMessage() {
    ObjectNode q = quota("{\"pods\":\"2\",\"requests.cpu\":\"1\"}", "{\"pods\":\"2\",\"requests.cpu\":\"250m\"}");
    assertThatThrownBy(() -> ResourceQuotaAdmission.charge(PODS, "p", q, Map.of("pods", Quantity.parse("1"), "requests.cpu", Quantity.parse("500m"))))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(403);
          assertThat(e.getMessage()).isEqualTo("pods \"p\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
        });
    assertThat(q.path("status").path("used").path("pods").asString()).isEqualTo("2");
  }
}
