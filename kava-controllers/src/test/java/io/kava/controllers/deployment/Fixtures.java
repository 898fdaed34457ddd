package io.kava.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kava.api.time.Timestamps;
import io.kava.controllers.workload.Owners;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

final class Fixtures {
  static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  private Fixtures() {}

  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage(image).endContainer().endSpec().build();
  }

  static Deployment deployment(int replicas, Object maxSurge, Object maxUnavailable, String image) {
    return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("d-uid").withGeneration(1L)
        .withResourceVersion("1").endMetadata()
        .withNewSpec().withReplicas(replicas).withRevisionHistoryLimit(10).withProgressDeadlineSeconds(600)
        .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(maxSurge))
        .withMaxUnavailable(new IntOrString(maxUnavailable)).endRollingUpdate().endStrategy()
        .withTemplate(template(image)).endSpec()
        .withNewStatus().endStatus()
        .build();
  }

  static Deployment recreate(int replicas, String image) {
    Deployment d = deployment(replicas, "25%", "25%", image);
    d.getSpec().getStrategy().setType("Recreate");
    d.getSpec().getStrategy().setRollingUpdate(null);
    return d;
  }

  /** A replica set of {@code d} for {@code image} with all its pods available. */
  static ReplicaSet rs(Deployment d, String name, String image, int replicas, long revision, int ageSeconds) {
    Map<String, String> ann = new HashMap<>();
    ann.put(DeploymentUtil.REVISION, Long.toString(revision));
    ann.put(DeploymentUtil.DESIRED_REPLICAS, Integer.toString(DeploymentUtil.replicas(d)));
    ann.put(DeploymentUtil.MAX_REPLICAS, Integer.toString(DeploymentUtil.replicas(d) + DeploymentUtil.maxSurge(d)));
    PodTemplateSpec t = template(image);
    t.getMetadata().setLabels(Map.of("app", "web", PodTemplateHash.LABEL, name));
    return new ReplicaSetBuilder().withNewMetadata().withName("web-" + name).withNamespace("ns").withUid("uid-" + name)
        .withGeneration(1L).withResourceVersion("1").withCreationTimestamp(Timestamps.formatTime(T0.minusSeconds(ageSeconds)))
        .withAnnotations(ann).withOwnerReferences(Owners.newControllerRef(d, "apps/v1", "Deployment")).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", "web", PodTemplateHash.LABEL, name)).endSelector()
        .withTemplate(t).endSpec()
        .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).withObservedGeneration(1L).endStatus()
        .build();
  }
}
