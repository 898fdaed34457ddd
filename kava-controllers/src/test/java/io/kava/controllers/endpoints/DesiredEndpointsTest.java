package io.kava.controllers.endpoints;

import static io.kava.controllers.endpoints.EndpointFixtures.pod;
import static io.kava.controllers.endpoints.EndpointFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredEndpointsTest {
  @Test
  void readyAndNotReadyPodsGoToTheirLists() {
    Service svc = service("web", 8080);
    var c = DesiredEndpoints.compute(svc, List.of(pod("a", "10.244.0.2", true, 1), pod("b", "10.244.0.3", false, 1)));
    assertThat(c.subsets()).hasSize(1);
    var s = c.subsets().getFirst();
    assertThat(s.addresses()).extracting(Subsets.Address::ip).containsExactly("10.244.0.2");
    assertThat(s.notReadyAddresses()).extracting(Subsets.Address::ip).containsExactly("10.244.0.3");
    assertThat(s.ports()).containsExactly(new Subsets.Port("http", 8080, "TCP", null));
    assertThat(c.ready()).isEqualTo(1);
    assertThat(c.notReady()).isEqualTo(1);
  }

  @Test
  void namedTargetPortsResolvePerPodAndSplitSubsets() {
    Service svc = service("web", "web");
    Pod noPort = new PodBuilder(pod("c", "10.244.0.4", true, 1)).editSpec().editFirstContainer().withPorts().endContainer().endSpec().build();
    var c = DesiredEndpoints.compute(svc, List.of(pod("a", "10.244.0.2", true, 8080), pod("b", "10.244.0.3", true, 9090), noPort));
    assertThat(c.subsets()).hasSize(2);
    assertThat(c.subsets()).anySatisfy(s -> {
      assertThat(s.ports()).extracting(Subsets.Port::port).containsExactly(8080);
      assertThat(s.addresses()).extracting(Subsets.Address::ip).containsExactly("10.244.0.2");
    });
    assertThat(c.subsets()).anySatisfy(s -> assertThat(s.ports()).extracting(Subsets.Port::port).containsExactly(9090));
    assertThat(c.ready()).isEqualTo(2);
  }

  @Test
  void publishNotReadyAddressesMakesEveryPodReady() {
    Service svc = new ServiceBuilder(service("web", 80)).editSpec().withPublishNotReadyAddresses(true).endSpec().build();
    var c = DesiredEndpoints.compute(svc, List.of(pod("b", "10.244.0.3", false, 1)));
    assertThat(c.subsets().getFirst().addresses()).hasSize(1);
    assertThat(c.subsets().getFirst().notReadyAddresses()).isEmpty();
  }

  @Test
  void terminatingAndTerminalPodsAndPodsWithoutIpAreLeftOut() {
    Pod deleting = new PodBuilder(pod("a", "10.244.0.2", true, 1)).editMetadata().withDeletionTimestamp("2025-06-01T12:00:00Z").endMetadata().build();
    Pod done = new PodBuilder(pod("b", "10.244.0.3", true, 1)).editStatus().withPhase("Succeeded").endStatus().build();
    Pod noIp = new PodBuilder(pod("c", "10.244.0.4", true, 1)).editStatus().withPodIP(null).withPodIPs().endStatus().build();
    assertThat(DesiredEndpoints.compute(service("web", 80), List.of(deleting, done, noIp)).subsets()).isEmpty();
  }

  @Test
  void headlessServiceWithoutPortsListsAddressesWithoutPorts() {
    Service svc = new ServiceBuilder(service("web", 80)).editSpec().withClusterIP("None").withPorts().endSpec().build();
    var c = DesiredEndpoints.compute(svc, List.of(pod("a", "10.244.0.2", true, 1)));
    assertThat(c.subsets()).hasSize(1);
    assertThat(c.subsets().getFirst().ports()).isEmpty();
    assertThat(DesiredEndpoints.labels(svc)).containsEntry(EndpointPods.HEADLESS_LABEL, "");
  }

  @Test
  void reconcileWritesOnlyOnChangeAndMarksManagedBy() {
    Service svc = service("web", 8080);
    var c = DesiredEndpoints.compute(svc, List.of(pod("a", "10.244.0.2", true, 1)));
    Endpoints first = DesiredEndpoints.reconcile(svc, c, null, Instant.parse("2025-06-01T12:00:00Z"));
    assertThat(first.getMetadata().getLabels()).containsEntry(DesiredEndpoints.MANAGED_BY, DesiredEndpoints.CONTROLLER_NAME).containsEntry("team", "a");
    assertThat(first.getSubsets().getFirst().getAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.244.0.2");
    assertThat(first.getSubsets().getFirst().getAddresses().getFirst().getTargetRef().getName()).isEqualTo("a");
    assertThat(DesiredEndpoints.reconcile(svc, c, first, null)).isNull();
    var more = DesiredEndpoints.compute(svc, List.of(pod("a", "10.244.0.2", true, 1), pod("b", "10.244.0.3", true, 1)));
    assertThat(DesiredEndpoints.reconcile(svc, more, first, null).getSubsets().getFirst().getAddresses()).hasSize(2);
  }

  @Test
  void overCapacityIsTruncatedAndAnnotated() {
    Service svc = service("web", 8080);
    List<Pod> pods = new java.util.ArrayList<>();
    for (int i = 0; i < DesiredEndpoints.MAX_CAPACITY + 5; i++) pods.add(pod("p" + i, "10.1." + (i / 250) + "." + (i % 250), true, 1));
    var c = DesiredEndpoints.compute(svc, pods);
    assertThat(c.truncated()).isTrue();
    assertThat(Subsets.count(c.subsets())).isEqualTo(DesiredEndpoints.MAX_CAPACITY);
    Endpoints ep = DesiredEndpoints.reconcile(svc, c, null, null);
    assertThat(ep.getMetadata().getAnnotations()).containsEntry(DesiredEndpoints.OVER_CAPACITY, "truncated");
  }
}
