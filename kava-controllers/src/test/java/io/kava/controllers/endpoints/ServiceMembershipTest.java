package io.kava.controllers.endpoints;

import static io.kava.controllers.endpoints.EndpointFixtures.pod;
import static io.kava.controllers.endpoints.EndpointFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceMembershipTest {
  final ServiceMembership m = new ServiceMembership(ns -> List.of(service("web", 80)));

  @Test
  void readinessChangeSyncsTheSelectingService() {
    Pod a = new PodBuilder(pod("a", "10.0.0.1", false, 1)).editMetadata().withResourceVersion("1").endMetadata().build();
    Pod b = new PodBuilder(pod("a", "10.0.0.1", true, 1)).editMetadata().withResourceVersion("2").endMetadata().build();
    assertThat(m.servicesToUpdate(a, b)).containsExactly("ns/web");
  }

  @Test
  void unrelatedChangesAndResyncsSyncNothing() {
    Pod a = new PodBuilder(pod("a", "10.0.0.1", true, 1)).editMetadata().withResourceVersion("1").endMetadata().build();
    Pod b = new PodBuilder(a).editMetadata().withResourceVersion("2").withAnnotations(Map.of("x", "y")).endMetadata().build();
    assertThat(m.servicesToUpdate(a, b)).isEmpty();
    assertThat(m.servicesToUpdate(a, a)).isEmpty();
  }

  @Test
  void leavingTheSelectorSyncsTheServiceItLeft() {
    Pod a = new PodBuilder(pod("a", "10.0.0.1", true, 1)).editMetadata().withResourceVersion("1").endMetadata().build();
    Pod b = new PodBuilder(a).editMetadata().withResourceVersion("2").withLabels(Map.of("app", "other")).endMetadata().build();
    assertThat(m.servicesToUpdate(a, b)).containsExactly("ns/web");
  }
}
