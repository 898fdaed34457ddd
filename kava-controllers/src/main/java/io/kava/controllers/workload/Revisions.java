package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kava.api.json.Json;
import io.kava.controllers.deployment.PodTemplateHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ControllerRevisions as StatefulSets and DaemonSets keep them (upstream's pkg/controller/history and the two
 * controllers' snapshot code): a revision stores the pod template as the strategic merge patch
 * {@code {"spec":{"template":{…,"$patch":"replace"}}}} — what {@code kubectl rollout undo} applies to the owner —
 * and is named {@code <owner>-<hash>} with the hash also in its {@code controller-revision-hash} label.
 *
 * <p>The hash is upstream's form (32-bit FNV-1a, then the decimal digits through the "safe" alphabet, with
 * {@code collisionCount} mixed in when set) over the template's canonical JSON, computed by {@link PodTemplateHash} (which says why the
 * digits differ from a Go build's).
 */
public final class Revisions {
  public static final String HASH_LABEL = "controller-revision-hash";
  private static final KubernetesSerialization SERIAL = new KubernetesSerialization();

  private Revisions() {}

  /** The hash naming the revision of {@code template} (upstream's ComputeHash / HashControllerRevision form). */
  public static String hash(PodTemplateSpec template, Integer collisionCount) {
    return PodTemplateHash.compute(template, collisionCount);
  }

  /** Upstream's ControllerRevisionName: the prefix is cut to 223 characters so the name stays valid. */
  public static String name(String prefix, String hash) {
    if (prefix.length() > 223) prefix = prefix.substring(0, 223);
    return prefix + "-" + hash;
  }

  /** A new revision of {@code owner} holding {@code template}; the caller creates it. */
  public static ControllerRevision newRevision(HasMetadata owner, String apiVersion, String kind, PodTemplateSpec template,
                                               long revision, Integer collisionCount, Map<String, String> annotations) {
    String hash = hash(template, collisionCount);
    ObjectMeta m = new ObjectMeta();
    m.setName(name(owner.getMetadata().getName(), hash));
    m.setNamespace(owner.getMetadata().getNamespace());
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) labels.putAll(template.getMetadata().getLabels());
    labels.put(HASH_LABEL, hash);
    m.setLabels(labels);
    if (annotations != null && !annotations.isEmpty()) m.setAnnotations(new LinkedHashMap<>(annotations));
    m.setOwnerReferences(new ArrayList<>(List.of(Owners.newControllerRef(owner, apiVersion, kind))));
    ControllerRevision cr = new ControllerRevision();
    cr.setApiVersion("apps/v1");
    cr.setKind("ControllerRevision");
    cr.setMetadata(m);
    cr.setData(data(template));
    cr.setRevision(revision);
    return cr;
  }

  /** The revision's data for {@code template}, as a JSON-shaped map. */
  public static Object data(PodTemplateSpec template) {
    ObjectNode t = (ObjectNode) Serial.tree(template);
    t.put("$patch", "replace");
    ObjectNode patch = Json.object();
    patch.putObject("spec").set("template", t);
    return SERIAL.unmarshal(Json.MAPPER.writeValueAsString(patch), Map.class);
  }

  /** The pod template a revision holds, or null when its data has none. */
  public static PodTemplateSpec template(ControllerRevision cr) {
    if (cr.getData() == null) return null;
    JsonNode t = Serial.tree(cr.getData()).path("spec").path("template");
    if (!(t instanceof ObjectNode o)) return null;
    ObjectNode copy = o.deepCopy();
    copy.remove("$patch");
    return SERIAL.unmarshal(Json.MAPPER.writeValueAsString(copy), PodTemplateSpec.class);
  }

  /** Whether {@code cr} holds {@code template} (semantically: absent, null and empty are the same). */
  public static boolean holds(ControllerRevision cr, PodTemplateSpec template) {
    PodTemplateSpec t = template(cr);
    return t != null && PodTemplateHash.sameTemplate(t, template);
  }

  /** The revisions with the highest number last. */
  public static List<ControllerRevision> sorted(List<ControllerRevision> revisions) {
    List<ControllerRevision> out = new ArrayList<>(revisions);
    out.sort(Comparator.comparingLong((ControllerRevision r) -> r.getRevision() == null ? 0 : r.getRevision())
        .thenComparing(r -> r.getMetadata().getCreationTimestamp() == null ? "" : r.getMetadata().getCreationTimestamp())
        .thenComparing(r -> r.getMetadata().getName()));
    return out;
  }

  /** One more than the highest revision number (1 for none). */
  public static long nextRevision(List<ControllerRevision> revisions) {
    long max = 0;
    for (ControllerRevision r : revisions) if (r.getRevision() != null) max = Math.max(max, r.getRevision());
    return max + 1;
  }
}
