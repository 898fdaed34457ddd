package io.kava.controllers.endpointslice;

import static io.kava.controllers.endpoints.EndpointFixtures.pod;
import static io.kava.controllers.endpoints.EndpointFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kava.controllers.endpointslice.SliceModel.Ep;
import io.kava.controllers.endpointslice.SliceModel.Existing;
import io.kava.controllers.endpointslice.SliceModel.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlicePlanTest {
  final Service svc = service("web", "web");
  final Map<String, String> labels = EndpointSliceController.labels(svc);
  final String uid = svc.getMetadata().getUid();

  Map<Group, Map<String, Ep>> desired(List<Pod> pods) { return DesiredSlices.compute(svc, pods, "IPv4", n -> null); }

  /** What the API would hold after writing {@code s} under {@code name}. */
  Existing stored(String name, Group g, List<Ep> eps) {
    EndpointSlice s = EndpointSliceController.build(svc, null, g, eps, labels, null);
    s.getMetadata().setName(name);
    return SliceModel.fromModel(s);
  }

  @Test
  void conditionsFollowReadinessAndTermination() {
    Pod ready = pod("a", "10.0.0.1", true, 8080);
    Pod notReady = pod("b", "10.0.0.2", false, 8080);
    Pod terminating = new PodBuilder(pod("c", "10.0.0.3", true, 8080)).editMetadata().withDeletionTimestamp("2025-06-01T12:00:00Z").endMetadata().build();
    Map<String, Ep> eps = desired(List.of(ready, notReady, terminating)).values().iterator().next();
    assertThat(eps.values()).extracting(Ep::ready, Ep::serving, Ep::terminating).containsExactly(
        org.assertj.core.groups.Tuple.tuple(true, true, false),
        org.assertj.core.groups.Tuple.tuple(false, false, false),
        org.assertj.core.groups.Tuple.tuple(false, true, true));
    assertThat(eps.values()).allSatisfy(e -> assertThat(e.nodeName()).isEqualTo("n1"));
  }

  @Test
  void podsWhoseNamedPortDiffersLandInDifferentGroups() {
    var d = desired(List.of(pod("a", "10.0.0.1", true, 8080), pod("b", "10.0.0.2", true, 9090)));
    assertThat(d.keySet()).extracting(g -> g.ports().getFirst().port()).containsExactlyInAnyOrder(8080, 9090);
    SlicePlan plan = SlicePlan.compute("IPv4", d, List.of(), labels, uid, 100);
    assertThat(plan.creates()).hasSize(2);
  }

  @Test
  void noEndpointsGivesOnePlaceholder() {
    SlicePlan plan = SlicePlan.compute("IPv4", Map.of(), List.of(), labels, uid, 100);
    assertThat(plan.creates()).singleElement().satisfies(c -> {
      assertThat(c.endpoints()).isEmpty();
      assertThat(c.group().ports()).isEmpty();
    });
    Existing placeholder = stored("web-p", new Group("IPv4", List.of()), List.of());
    assertThat(SlicePlan.compute("IPv4", Map.of(), List.of(placeholder), labels, uid, 100).isEmpty()).isTrue();
    // Once there are endpoints, the placeholder goes... by being reused for them.
    SlicePlan withPods = SlicePlan.compute("IPv4", desired(List.of(pod("a", "10.0.0.1", true, 8080))), List.of(placeholder), labels, uid, 100);
    assertThat(withPods.creates()).isEmpty();
    assertThat(withPods.updates()).singleElement().satisfies(u -> assertThat(u.endpoints()).hasSize(1));
  }

  @Test
  void unchangedSlicesAreNotRewrittenAndNewEndpointsFillExistingOnes() {
    var d = desired(List.of(pod("a", "10.0.0.1", true, 8080)));
    Group g = d.keySet().iterator().next();
    Existing have = stored("web-1", g, new ArrayList<>(d.get(g).values()));
    assertThat(SlicePlan.compute("IPv4", d, List.of(have), labels, uid, 100).isEmpty()).isTrue();
    var more = desired(List.of(pod("a", "10.0.0.1", true, 8080), pod("b", "10.0.0.2", true, 8080)));
    SlicePlan plan = SlicePlan.compute("IPv4", more, List.of(have), labels, uid, 100);
    assertThat(plan.creates()).isEmpty();
    assertThat(plan.updates()).singleElement().satisfies(u -> assertThat(u.endpoints()).hasSize(2));
  }

  @Test
  void slicesHoldAtMostTheMaximumAndEmptiedSlicesAreDeleted() {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 5; i++) pods.add(pod("p" + i, "10.0.0." + (i + 1), true, 8080));
    SlicePlan plan = SlicePlan.compute("IPv4", desired(pods), List.of(), labels, uid, 2);
    assertThat(plan.creates()).extracting(c -> c.endpoints().size()).containsExactly(2, 2, 1);
    var d = desired(List.of(pods.get(0)));
    Group g = d.keySet().iterator().next();
    Existing kept = stored("web-1", g, new ArrayList<>(desired(pods.subList(0, 2)).get(g).values()));
    Existing emptied = stored("web-2", g, new ArrayList<>(desired(pods.subList(2, 4)).get(g).values()));
    SlicePlan shrink = SlicePlan.compute("IPv4", d, List.of(kept, emptied), labels, uid, 2);
    assertThat(shrink.deletes()).containsExactly("web-2");
    assertThat(shrink.updates()).singleElement().satisfies(u -> assertThat(u.endpoints()).hasSize(1));
  }

  @Test
  void labelsAndOwnerMarkTheService() {
    EndpointSlice s = EndpointSliceController.build(svc, null, new Group("IPv4", List.of()), List.of(), labels, null);
    assertThat(s.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io").containsEntry("team", "a");
    assertThat(s.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("Service");
      assertThat(o.getController()).isTrue();
      assertThat(o.getUid()).isEqualTo(uid);
    });
    assertThat(s.getMetadata().getGenerateName()).isEqualTo("web-");
  }
}
