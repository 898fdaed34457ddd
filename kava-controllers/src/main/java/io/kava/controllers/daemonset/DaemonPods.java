package io.kava.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kava.controllers.workload.Revisions;
import io.kava.controllers.workload.Serial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How daemon pods look: upstream's CreatePodTemplate, AddOrUpdateDaemonPodTolerations and node affinity. */
final class DaemonPods {
  /** The DaemonSet annotation the API server keeps and pods copy into {@link #TEMPLATE_GENERATION_LABEL}. */
  static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";
  static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";

  private DaemonPods() {}

  /**
   * The tolerations every daemon pod gets, so that node conditions do not evict or keep away the pods that make a
   * node work: not-ready and unreachable (NoExecute), disk/memory/pid pressure and unschedulable (NoSchedule), and
   * network-unavailable for host-network pods.
   */
  static List<Toleration> daemonTolerations(boolean hostNetwork) {
    List<Toleration> out = new ArrayList<>();
    out.add(exists("node.kubernetes.io/not-ready", "NoExecute"));
    out.add(exists("node.kubernetes.io/unreachable", "NoExecute"));
    out.add(exists("node.kubernetes.io/disk-pressure", "NoSchedule"));
    out.add(exists("node.kubernetes.io/memory-pressure", "NoSchedule"));
    out.add(exists("node.kubernetes.io/pid-pressure", "NoSchedule"));
    out.add(exists("node.kubernetes.io/unschedulable", "NoSchedule"));
    if (hostNetwork) out.add(exists("node.kubernetes.io/network-unavailable", "NoSchedule"));
    return out;
  }

  private static Toleration exists(String key, String effect) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
  }

  /**
   * The template pods are made from: the DaemonSet's, with the daemon tolerations (replacing a toleration of the
   * same key and effect), the revision hash label and the template generation label.
   */
  static PodTemplateSpec template(DaemonSet ds, String hash) {
    PodTemplateSpec t = Serial.copy(ds.getSpec().getTemplate());
    if (t.getMetadata() == null) t.setMetadata(new ObjectMeta());
    PodSpec spec = t.getSpec();
    List<Toleration> tolerations = spec.getTolerations() == null ? new ArrayList<>() : new ArrayList<>(spec.getTolerations());
    for (Toleration d : daemonTolerations(Boolean.TRUE.equals(spec.getHostNetwork()))) {
      tolerations.removeIf(x -> Objects.equals(x.getKey(), d.getKey()) && Objects.equals(x.getEffect(), d.getEffect()));
      tolerations.add(d);
    }
    spec.setTolerations(tolerations);
    Map<String, String> labels = t.getMetadata().getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(t.getMetadata().getLabels());
    String generation = ds.getMetadata().getAnnotations() == null ? null : ds.getMetadata().getAnnotations().get(TEMPLATE_GENERATION_ANNOTATION);
    if (generation != null) labels.put(TEMPLATE_GENERATION_LABEL, generation);
    if (hash != null) labels.put(Revisions.HASH_LABEL, hash);
    t.getMetadata().setLabels(labels);
    return t;
  }

  /** A pod of {@code template} for {@code nodeName}, pinned there by a required metadata.name node affinity. */
  static Pod forNode(PodTemplateSpec template, String dsName, String nodeName, OwnerReference ref) {
    ObjectMeta tm = template.getMetadata();
    ObjectMeta m = new ObjectMeta();
    m.setGenerateName(dsName + "-");
    m.setLabels(tm.getLabels() == null ? null : new LinkedHashMap<>(tm.getLabels()));
    m.setAnnotations(tm.getAnnotations() == null ? null : new LinkedHashMap<>(tm.getAnnotations()));
    m.setFinalizers(tm.getFinalizers() == null ? null : new ArrayList<>(tm.getFinalizers()));
    m.setOwnerReferences(new ArrayList<>(List.of(Serial.copy(ref))));
    PodSpec spec = Serial.copy(template.getSpec());
    spec.setAffinity(pinnedTo(spec.getAffinity(), nodeName));
    Pod p = new Pod();
    p.setMetadata(m);
    p.setSpec(spec);
    return p;
  }

  /**
   * Upstream's ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the single term
   * {@code metadata.name In [node]} (the controller already checked the template's own terms); preferences stay.
   */
  static Affinity pinnedTo(Affinity affinity, String nodeName) {
    NodeSelectorTerm term = new NodeSelectorTermBuilder().withMatchFields(new NodeSelectorRequirementBuilder()
        .withKey("metadata.name").withOperator("In").withValues(nodeName).build()).build();
    Affinity a = affinity == null ? new Affinity() : affinity;
    NodeAffinity na = a.getNodeAffinity() == null ? new NodeAffinity() : a.getNodeAffinity();
    NodeSelector required = new NodeSelector();
    required.setNodeSelectorTerms(new ArrayList<>(List.of(term)));
    na.setRequiredDuringSchedulingIgnoredDuringExecution(required);
    a.setNodeAffinity(na);
    return a;
  }

  /** Upstream's GetTargetNodeName: spec.nodeName, else the node a single metadata.name affinity names, else null. */
  static String targetNode(Pod p) {
    if (p.getSpec() == null) return null;
    if (p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()) return p.getSpec().getNodeName();
    Affinity a = p.getSpec().getAffinity();
    if (a == null || a.getNodeAffinity() == null || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) return null;
    List<NodeSelectorTerm> terms = a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    if (terms == null || terms.size() != 1 || terms.getFirst().getMatchFields() == null) return null;
    for (var r : terms.getFirst().getMatchFields()) {
      if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null && r.getValues().size() == 1) {
        return r.getValues().getFirst();
      }
    }
    return null;
  }

  /** Upstream's IsPodUpdated: the pod carries the current hash (or the current template generation). */
  static boolean isUpdated(Pod p, String hash, String generation) {
    Map<String, String> l = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
    boolean byGeneration = generation != null && generation.equals(l.get(TEMPLATE_GENERATION_LABEL));
    boolean byHash = hash != null && hash.equals(l.get(Revisions.HASH_LABEL));
    return byHash || byGeneration;
  }
}
