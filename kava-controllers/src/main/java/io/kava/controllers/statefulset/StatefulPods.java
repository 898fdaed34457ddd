package io.kava.controllers.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kava.controllers.workload.Revisions;
import io.kava.controllers.workload.Serial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A StatefulSet pod's identity (upstream's stateful_set_utils): name, ordinal, labels, hostname and claims. */
final class StatefulPods {
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
  private static final Pattern ORDINAL = Pattern.compile("^(.*)-([0-9]+)$");

  private StatefulPods() {}

  static String podName(StatefulSet set, int ordinal) { return set.getMetadata().getName() + "-" + ordinal; }

  /** The ordinal a pod's name carries, or -1 when it has none. */
  static int ordinal(Pod p) {
    Matcher m = ORDINAL.matcher(p.getMetadata().getName());
    if (!m.matches()) return -1;
    try {
      return Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Upstream's isMemberOf: the pod's name is {@code <set>-<ordinal>}. */
  static boolean isMemberOf(StatefulSet set, Pod p) {
    Matcher m = ORDINAL.matcher(p.getMetadata().getName());
    return m.matches() && m.group(1).equals(set.getMetadata().getName());
  }

  /** The first ordinal (spec.ordinals.start, default 0). */
  static int startOrdinal(StatefulSet set) {
    var o = set.getSpec().getOrdinals();
    return o == null || o.getStart() == null ? 0 : o.getStart();
  }

  static String claimName(String template, StatefulSet set, int ordinal) { return template + "-" + podName(set, ordinal); }

  static String revision(Pod p) {
    Map<String, String> l = p.getMetadata().getLabels();
    return l == null ? null : l.get(Revisions.HASH_LABEL);
  }

  /**
   * Upstream's newVersionedStatefulSetPod: the pod for {@code ordinal} made from {@code template} of revision
   * {@code revisionName}: stable name, hostname and subdomain, identity labels, and each volume claim template as a
   * volume backed by its claim.
   */
  static Pod newPod(StatefulSet set, PodTemplateSpec template, String revisionName, int ordinal, OwnerReference ref) {
    PodTemplateSpec t = Serial.copy(template);
    ObjectMeta tm = t.getMetadata() == null ? new ObjectMeta() : t.getMetadata();
    String name = podName(set, ordinal);
    ObjectMeta m = new ObjectMeta();
    m.setName(name);
    m.setNamespace(set.getMetadata().getNamespace());
    Map<String, String> labels = tm.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getLabels());
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    labels.put(Revisions.HASH_LABEL, revisionName);
    m.setLabels(labels);
    m.setAnnotations(tm.getAnnotations() == null ? null : new LinkedHashMap<>(tm.getAnnotations()));
    m.setFinalizers(tm.getFinalizers() == null ? null : new ArrayList<>(tm.getFinalizers()));
    m.setOwnerReferences(new ArrayList<>(List.of(Serial.copy(ref))));
    PodSpec spec = t.getSpec();
    spec.setHostname(name);
    if (set.getSpec().getServiceName() != null && !set.getSpec().getServiceName().isEmpty()) spec.setSubdomain(set.getSpec().getServiceName());
    List<Volume> volumes = spec.getVolumes() == null ? new ArrayList<>() : new ArrayList<>(spec.getVolumes());
    for (PersistentVolumeClaim vct : claimTemplates(set)) {
      String vname = vct.getMetadata().getName();
      volumes.removeIf(v -> vname.equals(v.getName()));
      Volume v = new Volume();
      v.setName(vname);
      v.setPersistentVolumeClaim(new PersistentVolumeClaimVolumeSource(claimName(vname, set, ordinal), false));
      volumes.add(v);
    }
    spec.setVolumes(volumes.isEmpty() ? null : volumes);
    Pod p = new Pod();
    p.setMetadata(m);
    p.setSpec(spec);
    return p;
  }

  static List<PersistentVolumeClaim> claimTemplates(StatefulSet set) {
    return set.getSpec().getVolumeClaimTemplates() == null ? List.of() : set.getSpec().getVolumeClaimTemplates();
  }

  /**
   * The claims of {@code ordinal}, as upstream makes them: the template with the claim name, the template's labels
   * plus the set's matchLabels, in the set's namespace.
   */
  static List<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
    List<PersistentVolumeClaim> out = new ArrayList<>();
    for (PersistentVolumeClaim vct : claimTemplates(set)) {
      PersistentVolumeClaim c = new PersistentVolumeClaim();
      ObjectMeta m = new ObjectMeta();
      m.setName(claimName(vct.getMetadata().getName(), set, ordinal));
      m.setNamespace(set.getMetadata().getNamespace());
      Map<String, String> labels = vct.getMetadata().getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(vct.getMetadata().getLabels());
      if (set.getSpec().getSelector() != null && set.getSpec().getSelector().getMatchLabels() != null) labels.putAll(set.getSpec().getSelector().getMatchLabels());
      m.setLabels(labels.isEmpty() ? null : labels);
      m.setAnnotations(vct.getMetadata().getAnnotations() == null ? null : new LinkedHashMap<>(vct.getMetadata().getAnnotations()));
      c.setMetadata(m);
      c.setSpec(Serial.copy(vct.getSpec()));
      out.add(c);
    }
    return out;
  }

  /** persistentVolumeClaimRetentionPolicy.whenScaled / whenDeleted, "Retain" by default. */
  static boolean deleteWhenScaled(StatefulSet set) {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    return p != null && "Delete".equals(p.getWhenScaled());
  }

  static boolean deleteWhenDeleted(StatefulSet set) {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    return p != null && "Delete".equals(p.getWhenDeleted());
  }
}
