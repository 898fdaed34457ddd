package io.kava.controllers.disruption;

import static io.kava.controllers.endpoints.EndpointFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.kava.controllers.disruption.DisruptionBudgetStatus.Computed;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisruptionBudgetStatusTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  static PodDisruptionBudget pdb(IntOrString minAvailable, IntOrString maxUnavailable) {
    return new PodDisruptionBudgetBuilder().withNewMetadata().withName("b").withNamespace("ns").withGeneration(2L).endMetadata()
        .withNewSpec().withMinAvailable(minAvailable).withMaxUnavailable(maxUnavailable)
        .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector().endSpec().build();
  }

  static List<Pod> pods(int ready, int notReady) {
    List<Pod> out = new java.util.ArrayList<>();
    for (int i = 0; i < ready; i++) out.add(pod("r" + i, "10.0.0." + (i + 1), true, 1));
    for (int i = 0; i < notReady; i++) out.add(pod("n" + i, "10.0.1." + (i + 1), false, 1));
    return out;
  }

  @Test
  void integerMinAvailableCountsPods() throws Exception {
    Computed c = DisruptionBudgetStatus.compute(pdb(new IntOrString(2), null), pods(3, 1), (b, p) -> { throw new AssertionError("no scale needed"); }, NOW);
    assertThat(c.expectedPods()).isEqualTo(4);
    assertThat(c.desiredHealthy()).isEqualTo(2);
    assertThat(c.currentHealthy()).isEqualTo(3);
    assertThat(c.disruptionsAllowed()).isEqualTo(1);
  }

  @Test
  void maxUnavailableAndPercentagesUseTheControllersScaleRoundingUp() throws Exception {
    Computed max = DisruptionBudgetStatus.compute(pdb(null, new IntOrString("25%")), pods(5, 0), (b, p) -> 5, NOW);
    assertThat(max.expectedPods()).isEqualTo(5);
    assertThat(max.desiredHealthy()).isEqualTo(3); // 25% of 5 rounds up to 2 unavailable
    assertThat(max.disruptionsAllowed()).isEqualTo(2);
    Computed min = DisruptionBudgetStatus.compute(pdb(new IntOrString("50%"), null), pods(3, 0), (b, p) -> 3, NOW);
    assertThat(min.desiredHealthy()).isEqualTo(2);
    assertThat(min.disruptionsAllowed()).isEqualTo(1);
  }

  @Test
  void noDisruptionsWhenNothingIsExpectedOrTooFewAreHealthy() throws Exception {
    assertThat(DisruptionBudgetStatus.compute(pdb(null, new IntOrString(1)), List.of(), (b, p) -> 0, NOW).disruptionsAllowed()).isZero();
    assertThat(DisruptionBudgetStatus.compute(pdb(new IntOrString(3), null), pods(2, 2), (b, p) -> 0, NOW).disruptionsAllowed()).isZero();
  }

  @Test
  void terminatingAndRecentlyEvictedPodsAreNotHealthy() throws Exception {
    List<Pod> ps = new java.util.ArrayList<>(pods(3, 0));
    ps.set(0, new PodBuilder(ps.get(0)).editMetadata().withDeletionTimestamp("2025-06-01T11:59:00Z").endMetadata().build());
    PodDisruptionBudget b = pdb(new IntOrString(1), null);
    PodDisruptionBudgetStatus st = new PodDisruptionBudgetStatus();
    st.setDisruptedPods(Map.of("r1", "2025-06-01T11:59:30Z", "r2", "2025-06-01T11:50:00Z", "r0", "2025-06-01T11:59:30Z"));
    b.setStatus(st);
    Computed c = DisruptionBudgetStatus.compute(b, ps, (x, p) -> 0, NOW);
    // r0 is terminating (its entry is done), r1 was evicted 30 s ago (still pending), r2's entry expired.
    assertThat(c.disruptedPods()).containsOnlyKeys("r1");
    assertThat(c.currentHealthy()).isEqualTo(1);
    assertThat(c.recheckAt()).isEqualTo(Instant.parse("2025-06-01T12:01:30Z"));
  }

  @Test
  void badPercentagesFail() {
    assertThatThrownBy(() -> DisruptionBudgetStatus.scaled(new IntOrString("half"), 4)).isInstanceOf(DisruptionBudgetStatus.ExpectedCountException.class);
  }

  @Test
  void statusCarriesTheConditionAndGeneration() throws Exception {
    PodDisruptionBudget b = pdb(new IntOrString(1), null);
    Computed c = DisruptionBudgetStatus.compute(b, pods(2, 0), (x, p) -> 0, NOW);
    PodDisruptionBudgetStatus s = DisruptionController.status(b, c, NOW);
    assertThat(s.getObservedGeneration()).isEqualTo(2L);
    assertThat(s.getConditions()).singleElement().satisfies(cond -> {
      assertThat(cond.getType()).isEqualTo("DisruptionAllowed");
      assertThat(cond.getStatus()).isEqualTo("True");
      assertThat(cond.getReason()).isEqualTo("SufficientPods");
    });
    PodDisruptionBudgetStatus failed = DisruptionController.failSafe(b, "found no controller ref for pod \"x\"", NOW);
    assertThat(failed.getDisruptionsAllowed()).isZero();
    assertThat(failed.getConditions().getFirst().getReason()).isEqualTo("SyncFailed");
  }
}
