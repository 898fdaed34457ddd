package io.kava.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {
  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage(image).endContainer().endSpec().build();
  }

  @Test
  void aRevisionHoldsItsTemplateAsAReplacePatchAndIsNamedByItsHash() {
    var owner = new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("u").endMetadata().build();
    ControllerRevision r = Revisions.newRevision(owner, "apps/v1", "StatefulSet", template("nginx:1"), 3, null, null);
    String hash = Revisions.hash(template("nginx:1"), null);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(r.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(r.getMetadata().getLabels()).containsEntry(Revisions.HASH_LABEL, hash).containsEntry("app", "web");
    assertThat(r.getRevision()).isEqualTo(3L);
    assertThat(r.getMetadata().getOwnerReferences().getFirst().getController()).isTrue();
    // What kubectl rollout undo applies: {"spec":{"template":{..., "$patch":"replace"}}}.
    String json = new KubernetesSerialization().asJson(r.getData());
    assertThat(json).contains("\"$patch\":\"replace\"").startsWith("{\"spec\":{\"template\":");
    // Survives a round trip through the API's JSON.
    ControllerRevision back = new KubernetesSerialization().unmarshal(new KubernetesSerialization().asJson(r), ControllerRevision.class);
    assertThat(Revisions.holds(back, template("nginx:1"))).isTrue();
    assertThat(Revisions.holds(back, template("nginx:2"))).isFalse();
  }

  @Test
  void theHashChangesWithTheTemplateAndTheCollisionCount() {
    assertThat(Revisions.hash(template("a"), null)).isEqualTo(Revisions.hash(template("a"), null));
    assertThat(Revisions.hash(template("a"), null)).isNotEqualTo(Revisions.hash(template("b"), null));
    assertThat(Revisions.hash(template("a"), 1)).isNotEqualTo(Revisions.hash(template("a"), null));
  }
}
