package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.IpValidation;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pod, PodSpec and PodTemplateSpec validation with upstream's paths and messages (pkg/apis/core/validation). The
 * framework validates metadata.name and metadata.labels; everything under spec (and template metadata) is here.
 */
public final class PodValidation {
  private PodValidation() {}

  /** The fields a pod update may change, in upstream's order; the head of the "pod updates may not change" message. */
  public static final String UPDATABLE_FIELDS = String.join(",",
      "`spec.containers[*].image`",
      "`spec.initContainers[*].image`",
      "`spec.activeDeadlineSeconds`",
      "`spec.tolerations` (only additions to existing tolerations)",
      "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
  public static final String UPDATE_FORBIDDEN_HEAD = "pod updates may not change fields other than " + UPDATABLE_FIELDS;

  private static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
  private static final String HOST_USERS_MSG = "when `pod.Spec.HostUsers` is false";

  // ---- Pod --------------------------------------------------------------------------------------------------------

  /** ValidatePodCreate without the generic metadata checks. */
  public static List<FieldError> validatePod(JsonNode pod) {
    List<FieldError> errs = podMetadataAndSpec(pod);
    FieldPath spec = FieldPath.of("spec");
    JsonNode s = Tree.get(pod, "spec");
    if (Tree.size(s, "ephemeralContainers") > 0) errs.add(Errs.forbidden(spec.child("ephemeralContainers"), "cannot be set on create"));
    if (!Tree.str(s, "nodeName").isEmpty() && Tree.size(s, "schedulingGates") > 0) {
      errs.add(Errs.forbidden(spec.child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
    }
    return errs;
  }

  private static List<FieldError> podMetadataAndSpec(JsonNode pod) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode meta = Tree.get(pod, "metadata");
    JsonNode spec = Tree.get(pod, "spec");
    FieldPath specPath = FieldPath.of("spec");
    errs.addAll(podSpecificAnnotations(Tree.strMap(meta, "annotations"), spec, FieldPath.of("metadata", "annotations")));
    errs.addAll(validatePodSpec(spec, Tree.str(meta, "name"), specPath, true));
    if (Tree.str(spec, "serviceAccountName").isEmpty()) {
      List<JsonNode> vols = Tree.list(spec, "volumes");
      for (int vi = 0; vi < vols.size(); vi++) {
        List<JsonNode> sources = Tree.list(Tree.get(vols.get(vi), "projected"), "sources");
        for (int si = 0; si < sources.size(); si++) {
          if (Tree.has(sources.get(si), "serviceAccountToken")) {
            errs.add(Errs.forbidden(specPath.child("volumes").index(vi).child("projected").child("sources").index(si)
                .child("serviceAccountToken"), "must not be specified when serviceAccountName is not set"));
          }
        }
      }
    }
    for (String kind : List.of("containers", "initContainers")) {
      List<JsonNode> ctrs = Tree.list(spec, kind);
      for (int i = 0; i < ctrs.size(); i++) {
        String image = Tree.str(ctrs.get(i), "image");
        if (image.length() != image.strip().length()) {
          errs.add(Errs.invalid(specPath.child(kind).index(i).child("image"), image, "must not have leading or trailing whitespace"));
        }
      }
    }
    return errs;
  }

  private static List<FieldError> podSpecificAnnotations(Map<String, String> annotations, JsonNode spec, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (annotations == null) return errs;
    String mirror = annotations.get("kubernetes.io/config.mirror");
    if (mirror != null && Tree.str(spec, "nodeName").isEmpty()) {
      errs.add(Errs.invalid(p.key("kubernetes.io/config.mirror"), mirror, "must set spec.nodeName if mirror pod annotation is set"));
    }
    String cost = annotations.get("controller.kubernetes.io/pod-deletion-cost");
    if (cost != null) {
      try {
        Integer.parseInt(cost);
      } catch (NumberFormatException e) {
        errs.add(Errs.invalid(p.key("controller.kubernetes.io/pod-deletion-cost"), cost, "must be a 32bit integer"));
      }
    }
    return errs;
  }

  /** ValidatePodUpdate without the generic metadata checks. */
  public static List<FieldError> validatePodUpdate(JsonNode pod, JsonNode old) {
    List<FieldError> errs = podMetadataAndSpec(pod);
    FieldPath specPath = FieldPath.of("spec");
    JsonNode spec = Tree.get(pod, "spec");
    JsonNode oldSpec = Tree.get(old, "spec");
    for (String kind : List.of("containers", "initContainers")) {
      List<JsonNode> now = Tree.list(spec, kind);
      List<JsonNode> before = Tree.list(oldSpec, kind);
      if (now.size() != before.size()) {
        errs.add(Errs.forbidden(specPath.child(kind), "pod updates may not add or remove containers"));
        return errs;
      }
      for (int i = 0; i < now.size(); i++) {
        String image = Tree.str(now.get(i), "image");
        if (image.isEmpty()) errs.add(Errs.required(specPath.child(kind).index(i).child("image"), ""));
        if (image.strip().length() != image.length()) {
          errs.add(Errs.invalid(specPath.child(kind).index(i).child("image"), image, "must not have leading or trailing whitespace"));
        }
      }
    }
    Long newAds = Tree.num(spec, "activeDeadlineSeconds");
    Long oldAds = Tree.num(oldSpec, "activeDeadlineSeconds");
    if (newAds != null) {
      if (newAds < 0 || newAds > Integer.MAX_VALUE) {
        errs.add(Errs.invalid(specPath.child("activeDeadlineSeconds"), newAds, NameValidation.inclusiveRangeError(0, Integer.MAX_VALUE)));
        return errs;
      }
      if (oldAds != null && oldAds < newAds) {
        errs.add(Errs.invalid(specPath.child("activeDeadlineSeconds"), newAds, "must be less than or equal to previous value"));
        return errs;
      }
    } else if (oldAds != null) {
      errs.add(Errs.invalid(specPath.child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value"));
    }
    errs.addAll(onlyAddedTolerations(Tree.list(spec, "tolerations"), Tree.list(oldSpec, "tolerations"), specPath.child("tolerations")));
    errs.addAll(onlyDeletedSchedulingGates(Tree.list(spec, "schedulingGates"), Tree.list(oldSpec, "schedulingGates"),
        specPath.child("schedulingGates")));
    if (Tree.semanticEquals(spec, oldSpec)) return errs;

    ObjectNode munged = spec == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : (ObjectNode) spec.deepCopy();
    for (String kind : List.of("containers", "initContainers")) {
      JsonNode arr = munged.get(kind);
      List<JsonNode> before = Tree.list(oldSpec, kind);
      if (arr instanceof ArrayNode a) {
        for (int i = 0; i < a.size() && i < before.size(); i++) {
          if (a.get(i) instanceof ObjectNode c) copyField(Tree.get(before.get(i), "image"), c, "image");
        }
      }
    }
    copyField(Tree.get(oldSpec, "activeDeadlineSeconds"), munged, "activeDeadlineSeconds");
    copyField(Tree.get(oldSpec, "schedulingGates"), munged, "schedulingGates");
    copyField(Tree.get(oldSpec, "tolerations"), munged, "tolerations");
    // spec.nodeName is not among the fields above: a pod is bound through pods/binding, which has its own validator
    // (KindValidation.forSubresource), so a plain update that sets it is refused, as upstream refuses it.
    Long oldGrace = Tree.num(oldSpec, "terminationGracePeriodSeconds");
    Long newGrace = Tree.num(munged, "terminationGracePeriodSeconds");
    if (oldGrace != null && oldGrace < 0 && newGrace != null && newGrace == 1) munged.put("terminationGracePeriodSeconds", oldGrace);
    if (Tree.size(oldSpec, "schedulingGates") > 0) {
      // gated pods may add to nodeSelector and change node affinity
      Map<String, String> oldSel = Tree.strMap(oldSpec, "nodeSelector");
      Map<String, String> newSel = Tree.strMap(munged, "nodeSelector");
      if (newSel != null && (oldSel == null || newSel.entrySet().containsAll(oldSel.entrySet()))) {
        copyField(Tree.get(oldSpec, "nodeSelector"), munged, "nodeSelector");
      }
      JsonNode oldNa = Tree.at(oldSpec, "affinity", "nodeAffinity");
      if (munged.get("affinity") instanceof ObjectNode aff) {
        copyField(oldNa, aff, "nodeAffinity");
        if (aff.isEmpty() && Tree.get(oldSpec, "affinity") == null) munged.remove("affinity");
      } else if (oldNa != null) {
        munged.putObject("affinity").set("nodeAffinity", oldNa.deepCopy());
      }
    }
    if (!Tree.semanticEquals(munged, oldSpec)) {
      errs.add(Errs.forbidden(specPath, UPDATE_FORBIDDEN_HEAD + "\n" + SpecDiff.diff("core.PodSpec", oldSpec, munged)));
    }
    return errs;
  }

  private static void copyField(JsonNode from, ObjectNode to, String field) {
    if (from == null) to.remove(field);
    else to.set(field, from.deepCopy());
  }

  private static List<FieldError> onlyAddedTolerations(List<JsonNode> now, List<JsonNode> before, FieldPath p) {
    for (JsonNode old : before) {
      boolean found = false;
      for (JsonNode t : now) {
        ObjectNode a = old.isObject() ? ((ObjectNode) old).deepCopy() : null;
        ObjectNode b = t.isObject() ? ((ObjectNode) t).deepCopy() : null;
        if (a == null || b == null) continue;
        a.remove("tolerationSeconds");
        b.remove("tolerationSeconds");
        if (Tree.semanticEquals(a, b)) {
          found = true;
          break;
        }
      }
      if (!found) return List.of(Errs.forbidden(p, "existing toleration can not be modified except its tolerationSeconds"));
    }
    return tolerations(now, p);
  }

  private static List<FieldError> onlyDeletedSchedulingGates(List<JsonNode> now, List<JsonNode> before, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> old = new HashSet<>();
    for (JsonNode g : before) old.add(Tree.str(g, "name"));
    for (int i = 0; i < now.size(); i++) {
      String name = Tree.str(now.get(i), "name");
      if (!old.contains(name)) {
        errs.add(Errs.forbidden(p.index(i).child("name"), "only deletion is allowed, but found new scheduling gate '" + name + "'"));
      }
    }
    return errs;
  }

  // ---- PodTemplateSpec ---------------------------------------------------------------------------------------------

  /** ValidatePodTemplateSpec: template labels and annotations, and the pod spec. */
  public static List<FieldError> validatePodTemplateSpec(JsonNode template, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode meta = Tree.get(template, "metadata");
    errs.addAll(LabelSelectors.validateLabels(Tree.strMap(meta, "labels"), p.child("labels")));
    errs.addAll(annotations(Tree.strMap(meta, "annotations"), p.child("annotations")));
    JsonNode spec = Tree.get(template, "spec");
    errs.addAll(podSpecificAnnotations(Tree.strMap(meta, "annotations"), spec, p.child("annotations")));
    errs.addAll(validatePodSpec(spec, null, p.child("spec"), false));
    if (Tree.size(spec, "ephemeralContainers") > 0) {
      errs.add(Errs.forbidden(p.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
    }
    return errs;
  }

  /** apimachinery ValidateAnnotations (for templates; object annotations are the framework's). */
  static List<FieldError> annotations(Map<String, String> annotations, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (annotations == null) return errs;
    long total = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
      for (String msg : NameValidation.isQualifiedName(e.getKey().toLowerCase())) errs.add(Errs.invalid(p, e.getKey(), msg));
      total += NameValidation.byteLength(e.getKey()) + NameValidation.byteLength(e.getValue());
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.add(Errs.tooLong(p, TOTAL_ANNOTATION_SIZE_LIMIT));
    return errs;
  }

  // ---- PodSpec -----------------------------------------------------------------------------------------------------

  /**
   * ValidatePodSpec. {@code podName} is the pod's name (null for templates; it names ephemeral PVCs), {@code isPod}
   * is upstream's ResourceIsPod option.
   */
  public static List<FieldError> validatePodSpec(JsonNode spec, String podName, FieldPath p, boolean isPod) {
    List<FieldError> errs = new ArrayList<>();
    long grace = Tree.num(spec, "terminationGracePeriodSeconds", 0);
    JsonNode psc = Tree.get(spec, "securityContext");
    Boolean hostUsersField = Tree.bool(psc, "hostUsers");
    boolean hostUsers = hostUsersField == null || hostUsersField;
    Map<String, JsonNode> vols = VolumeValidation.validateVolumes(spec, podName, p.child("volumes"), errs);
    Set<String> claimNames = new HashSet<>();
    List<JsonNode> claims = Tree.list(spec, "resourceClaims");
    for (int i = 0; i < claims.size(); i++) {
      String name = Tree.str(claims.get(i), "name");
      FieldPath cp = p.child("resourceClaims").index(i).child("name");
      if (name.isEmpty()) errs.add(Errs.required(cp, ""));
      else if (!claimNames.add(name)) errs.add(Errs.duplicate(cp, name));
      else for (String msg : NameValidation.isDNS1123Label(name)) errs.add(Errs.invalid(cp, name, msg));
    }
    String restartPolicy = Tree.str(spec, "restartPolicy");
    errs.addAll(containers(spec, vols, claimNames, grace, p.child("containers"), restartPolicy, hostUsers));
    errs.addAll(initContainers(spec, vols, claimNames, grace, p.child("initContainers"), restartPolicy, hostUsers));
    errs.addAll(ephemeralContainers(spec, vols, claimNames, p.child("ephemeralContainers"), restartPolicy, hostUsers));
    if (Tree.isTrue(spec, "hostNetwork")) {
      List<JsonNode> ctrs = Tree.list(spec, "containers");
      for (int i = 0; i < ctrs.size(); i++) {
        List<JsonNode> ports = Tree.list(ctrs.get(i), "ports");
        for (int j = 0; j < ports.size(); j++) {
          long hp = Tree.num(ports.get(j), "hostPort", 0);
          long cp = Tree.num(ports.get(j), "containerPort", 0);
          if ((isPod || hp != 0) && hp != cp) {
            errs.add(Errs.invalid(p.child("containers").index(i).child("ports").index(j).child("hostPort"), hp,
                "must match `containerPort` when `hostNetwork` is true"));
          }
        }
      }
    }
    switch (restartPolicy) {
      case "Always", "OnFailure", "Never" -> { }
      case "" -> errs.add(Errs.required(p.child("restartPolicy"), ""));
      default -> errs.add(Errs.notSupported(p.child("restartPolicy"), restartPolicy, "Always", "OnFailure", "Never"));
    }
    String dnsPolicy = Tree.str(spec, "dnsPolicy");
    switch (dnsPolicy) {
      case "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None" -> { }
      case "" -> errs.add(Errs.required(p.child("dnsPolicy"), ""));
      default -> errs.add(Errs.notSupported(p.child("dnsPolicy"), dnsPolicy, "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"));
    }
    errs.addAll(LabelSelectors.validateLabels(Tree.strMap(spec, "nodeSelector"), p.child("nodeSelector")));
    errs.addAll(podSecurityContext(spec, psc, p.child("securityContext")));
    List<JsonNode> pullSecrets = Tree.list(spec, "imagePullSecrets");
    for (int i = 0; i < pullSecrets.size(); i++) {
      JsonNode ps = pullSecrets.get(i);
      if (ps.isObject() && ps.size() > (ps.has("name") ? 1 : 0)) {
        errs.add(Errs.invalid(p.child("imagePullSecrets").index(i), GoValue.json(ps), "only name may be set"));
      }
    }
    errs.addAll(affinity(Tree.get(spec, "affinity"), p.child("affinity")));
    errs.addAll(dnsConfig(Tree.get(spec, "dnsConfig"), dnsPolicy, p.child("dnsConfig")));
    List<JsonNode> gates = Tree.list(spec, "readinessGates");
    for (int i = 0; i < gates.size(); i++) {
      String ct = Tree.str(gates.get(i), "conditionType");
      for (String msg : NameValidation.isQualifiedName(ct)) errs.add(Errs.invalid(p.child("readinessGates").index(i).child("conditionType"), ct, msg));
    }
    List<JsonNode> sgates = Tree.list(spec, "schedulingGates");
    Set<String> seenGates = new HashSet<>();
    for (int i = 0; i < sgates.size(); i++) {
      String name = Tree.str(sgates.get(i), "name");
      for (String msg : NameValidation.isQualifiedName(name)) errs.add(Errs.invalid(p.child("schedulingGates").index(i), name, msg));
      if (!seenGates.add(name)) errs.add(Errs.duplicate(p.child("schedulingGates").index(i), name));
    }
    errs.addAll(topologySpread(Tree.list(spec, "topologySpreadConstraints"), p.child("topologySpreadConstraints")));
    if (!hostUsers) {
      if (Tree.isTrue(spec, "hostNetwork")) errs.add(Errs.forbidden(p.child("hostNetwork"), HOST_USERS_MSG));
      if (Tree.isTrue(spec, "hostPID")) errs.add(Errs.forbidden(p.child("HostPID"), HOST_USERS_MSG));
      if (Tree.isTrue(spec, "hostIPC")) errs.add(Errs.forbidden(p.child("HostIPC"), HOST_USERS_MSG));
    }
    subdomainField(spec, "serviceAccountName", p, errs);
    subdomainField(spec, "nodeName", p, errs);
    Long ads = Tree.num(spec, "activeDeadlineSeconds");
    if (ads != null && (ads < 1 || ads > Integer.MAX_VALUE)) {
      errs.add(Errs.invalid(p.child("activeDeadlineSeconds"), ads, NameValidation.inclusiveRangeError(1, Integer.MAX_VALUE)));
    }
    for (String f : List.of("hostname", "subdomain")) {
      String v = Tree.str(spec, f);
      if (!v.isEmpty()) for (String msg : NameValidation.isDNS1123Label(v)) errs.add(Errs.invalid(p.child(f), v, msg));
    }
    errs.addAll(tolerations(Tree.list(spec, "tolerations"), p.child("tolerations")));
    List<JsonNode> aliases = Tree.list(spec, "hostAliases");
    for (int i = 0; i < aliases.size(); i++) {
      FieldPath ap = p.child("hostAliases").index(i);
      errs.addAll(IpValidation.isValidIPForLegacyField(ap.child("ip"), Tree.str(aliases.get(i), "ip"), false, null));
      List<String> hostnames = Tree.strings(aliases.get(i), "hostnames");
      for (int j = 0; j < hostnames.size(); j++) {
        for (String msg : NameValidation.isDNS1123Subdomain(hostnames.get(j))) errs.add(Errs.invalid(ap.child("hostnames").index(j), hostnames.get(j), msg));
      }
    }
    subdomainField(spec, "priorityClassName", p, errs);
    String runtimeClass = Tree.strOrNull(spec, "runtimeClassName");
    if (runtimeClass != null) {
      for (String msg : NameValidation.isDNS1123Subdomain(runtimeClass)) errs.add(Errs.invalid(p.child("runtimeClassName"), runtimeClass, msg));
    }
    String preemption = Tree.strOrNull(spec, "preemptionPolicy");
    if (preemption != null) errs.addAll(preemptionPolicy(preemption, p.child("preemptionPolicy")));
    JsonNode overhead = Tree.get(spec, "overhead");
    if (overhead != null) {
      ObjectNode req = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      req.set("limits", overhead);
      // upstream reuses the container check on {Limits: overhead}, so its paths read spec.overhead.limits[...]
      errs.addAll(Resources.validateRequirements(req, p.child("overhead")));
    }
    JsonNode os = Tree.get(spec, "os");
    if (os != null) {
      String name = Tree.str(os, "name");
      if (name.isEmpty()) errs.add(Errs.required(p.child("os").child("name"), "cannot be empty"));
      else if (!name.equals("linux") && !name.equals("windows")) errs.add(Errs.notSupported(p.child("os"), name, "linux", "windows"));
    }
    return errs;
  }

  static List<FieldError> preemptionPolicy(String policy, FieldPath p) {
    return switch (policy) {
      case "PreemptLowerPriority", "Never" -> List.of();
      case "" -> List.of(Errs.required(p, ""));
      default -> List.of(Errs.notSupported(p, policy, "PreemptLowerPriority", "Never"));
    };
  }

  private static void subdomainField(JsonNode spec, String field, FieldPath p, List<FieldError> errs) {
    String v = Tree.str(spec, field);
    if (v.isEmpty()) return;
    for (String msg : NameValidation.isDNS1123Subdomain(v)) errs.add(Errs.invalid(p.child(field), v, msg));
  }

  // ---- containers --------------------------------------------------------------------------------------------------

  private static List<FieldError> containers(JsonNode spec, Map<String, JsonNode> vols, Set<String> claims, long grace,
                                             FieldPath p, String restartPolicy, boolean hostUsers) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> ctrs = Tree.list(spec, "containers");
    if (ctrs.isEmpty()) return List.of(Errs.required(p, ""));
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ctrs.size(); i++) {
      JsonNode c = ctrs.get(i);
      FieldPath cp = p.index(i);
      errs.addAll(containerCommon(c, vols, claims, cp, restartPolicy, hostUsers));
      String name = Tree.str(c, "name");
      if (!names.add(name)) errs.add(Errs.duplicate(cp.child("name"), name));
      JsonNode lifecycle = Tree.get(c, "lifecycle");
      if (lifecycle != null) errs.addAll(lifecycle(lifecycle, grace, cp.child("lifecycle")));
      errs.addAll(livenessProbe(Tree.get(c, "livenessProbe"), grace, cp.child("livenessProbe")));
      errs.addAll(readinessProbe(Tree.get(c, "readinessProbe"), grace, cp.child("readinessProbe")));
      errs.addAll(startupProbe(Tree.get(c, "startupProbe"), grace, cp.child("startupProbe")));
      if (Tree.has(c, "restartPolicy")) {
        errs.addAll(containerRestartPolicy(c, cp, true));
      }
    }
    errs.addAll(hostPortConflicts(ctrs, p, false));
    return errs;
  }

  private static List<FieldError> initContainers(JsonNode spec, Map<String, JsonNode> vols, Set<String> claims, long grace,
                                                 FieldPath p, String restartPolicy, boolean hostUsers) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode c : Tree.list(spec, "containers")) names.add(Tree.str(c, "name"));
    List<JsonNode> ctrs = Tree.list(spec, "initContainers");
    for (int i = 0; i < ctrs.size(); i++) {
      JsonNode c = ctrs.get(i);
      FieldPath cp = p.index(i);
      errs.addAll(containerCommon(c, vols, claims, cp, restartPolicy, hostUsers));
      boolean restartAlways = false;
      if (Tree.has(c, "restartPolicy")) {
        errs.addAll(containerRestartPolicy(c, cp, false));
        restartAlways = Tree.str(c, "restartPolicy").equals("Always");
      }
      String name = Tree.str(c, "name");
      if (names.contains(name)) errs.add(Errs.duplicate(cp.child("name"), name));
      else if (!name.isEmpty()) names.add(name);
      errs.addAll(hostPortConflicts(List.of(c), p, true));
      if (restartAlways) {
        JsonNode lifecycle = Tree.get(c, "lifecycle");
        if (lifecycle != null) errs.addAll(lifecycle(lifecycle, grace, cp.child("lifecycle")));
        errs.addAll(livenessProbe(Tree.get(c, "livenessProbe"), grace, cp.child("livenessProbe")));
        errs.addAll(readinessProbe(Tree.get(c, "readinessProbe"), grace, cp.child("readinessProbe")));
        errs.addAll(startupProbe(Tree.get(c, "startupProbe"), grace, cp.child("startupProbe")));
      } else {
        for (String f : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
          if (Tree.has(c, f)) errs.add(Errs.forbidden(cp.child(f), "may not be set for init containers without restartPolicy=Always"));
        }
      }
    }
    return errs;
  }

  /**
   * A container's restartPolicy: init containers may use Always (sidecars); regular containers may not set it
   * (ContainerRestartRules, beta since 1.35, also lets them: kept at the GA behaviour here).
   */
  private static List<FieldError> containerRestartPolicy(JsonNode c, FieldPath cp, boolean regular) {
    if (regular) return List.of(Errs.forbidden(cp.child("restartPolicy"), "may not be set for non-init containers"));
    String policy = Tree.str(c, "restartPolicy");
    if (policy.equals("Always")) return List.of();
    return List.of(Errs.notSupported(cp.child("restartPolicy"), policy, "Always"));
  }

  private static final Set<String> EPHEMERAL_ALLOWED = Set.of("name", "image", "command", "args", "workingDir", "envFrom",
      "env", "volumeMounts", "volumeDevices", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
      "securityContext", "stdin", "stdinOnce", "tty", "targetContainerName");

  private static List<FieldError> ephemeralContainers(JsonNode spec, Map<String, JsonNode> vols, Set<String> claims, FieldPath p,
                                                      String restartPolicy, boolean hostUsers) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> ecs = Tree.list(spec, "ephemeralContainers");
    if (ecs.isEmpty()) return errs;
    Set<String> other = new HashSet<>();
    for (String kind : List.of("containers", "initContainers")) for (JsonNode c : Tree.list(spec, kind)) other.add(Tree.str(c, "name"));
    Set<String> all = new HashSet<>(other);
    for (int i = 0; i < ecs.size(); i++) {
      JsonNode ec = ecs.get(i);
      FieldPath cp = p.index(i);
      errs.addAll(containerCommon(ec, vols, claims, cp, restartPolicy, hostUsers));
      String name = Tree.str(ec, "name");
      if (!all.add(name)) errs.add(Errs.duplicate(cp.child("name"), name));
      String target = Tree.str(ec, "targetContainerName");
      if (!target.isEmpty() && !other.contains(target)) errs.add(Errs.notFound(cp.child("targetContainerName"), target));
      for (String f : List.of("ports", "resources", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "resizePolicy", "restartPolicy")) {
        if (!EPHEMERAL_ALLOWED.contains(f) && !Tree.isZero(Tree.get(ec, f))) {
          errs.add(Errs.forbidden(cp.child(f), "cannot be set for an Ephemeral Container"));
        }
      }
      List<JsonNode> mounts = Tree.list(ec, "volumeMounts");
      for (int m = 0; m < mounts.size(); m++) {
        if (!Tree.str(mounts.get(m), "subPath").isEmpty()) {
          errs.add(Errs.forbidden(cp.child("volumeMounts").index(m).child("subPath"), "cannot be set for an Ephemeral Container"));
        }
        if (!Tree.str(mounts.get(m), "subPathExpr").isEmpty()) {
          errs.add(Errs.forbidden(cp.child("volumeMounts").index(m).child("subPathExpr"), "cannot be set for an Ephemeral Container"));
        }
      }
    }
    return errs;
  }

  /** validateContainerCommon. */
  private static List<FieldError> containerCommon(JsonNode c, Map<String, JsonNode> vols, Set<String> claims, FieldPath p,
                                                  String podRestartPolicy, boolean hostUsers) {
    List<FieldError> errs = new ArrayList<>();
    String name = Tree.str(c, "name");
    if (name.isEmpty()) {
      errs.add(Errs.required(p.child("name"), ""));
    } else {
      for (String msg : NameValidation.isDNS1123Label(name)) errs.add(Errs.invalid(p.child("name"), name, msg));
    }
    if (Tree.str(c, "image").isEmpty()) errs.add(Errs.required(p.child("image"), ""));
    String tmp = Tree.str(c, "terminationMessagePolicy");
    switch (tmp) {
      case "File", "FallbackToLogsOnError" -> { }
      case "" -> errs.add(Errs.required(p.child("terminationMessagePolicy"), ""));
      default -> errs.add(Errs.notSupported(p.child("terminationMessagePolicy"), tmp, "File", "FallbackToLogsOnError"));
    }
    errs.addAll(ports(c, p.child("ports")));
    errs.addAll(EnvValidation.env(c, p.child("env")));
    errs.addAll(EnvValidation.envFrom(c, p.child("envFrom")));
    errs.addAll(VolumeValidation.mounts(c, vols, p.child("volumeMounts")));
    errs.addAll(VolumeValidation.devices(c, vols, p.child("volumeDevices")));
    String pull = Tree.str(c, "imagePullPolicy");
    switch (pull) {
      case "Always", "IfNotPresent", "Never" -> { }
      case "" -> errs.add(Errs.required(p.child("imagePullPolicy"), ""));
      default -> errs.add(Errs.notSupported(p.child("imagePullPolicy"), pull, "Always", "IfNotPresent", "Never"));
    }
    JsonNode resources = Tree.get(c, "resources");
    errs.addAll(Resources.validateRequirements(resources, p.child("resources")));
    List<JsonNode> rclaims = Tree.list(resources, "claims");
    Set<String> seenClaims = new HashSet<>();
    for (int i = 0; i < rclaims.size(); i++) {
      String cn = Tree.str(rclaims.get(i), "name");
      FieldPath cp = p.child("resources").child("claims").index(i);
      if (cn.isEmpty()) {
        errs.add(Errs.required(cp, ""));
        continue;
      }
      if (!seenClaims.add(cn)) errs.add(Errs.duplicate(cp, cn));
      if (!claims.contains(cn)) {
        errs.add(Errs.notFound(cp, cn, "must be one of the names in pod.spec.resourceClaims"
            + (claims.isEmpty() ? " which is empty" : ": " + String.join(", ", new java.util.TreeSet<>(claims)))));
      }
    }
    errs.addAll(resizePolicy(Tree.list(c, "resizePolicy"), p.child("resizePolicy"), podRestartPolicy));
    errs.addAll(securityContext(Tree.get(c, "securityContext"), p.child("securityContext"), hostUsers));
    return errs;
  }

  private static List<FieldError> resizePolicy(List<JsonNode> policies, FieldPath p, String podRestartPolicy) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < policies.size(); i++) {
      String res = Tree.str(policies.get(i), "resourceName");
      String rp = Tree.str(policies.get(i), "restartPolicy");
      if (!seen.add(res)) errs.add(Errs.duplicate(p.index(i), res));
      switch (res) {
        case "cpu", "memory" -> { }
        case "" -> errs.add(Errs.required(p, ""));
        default -> errs.add(Errs.notSupported(p, res, "cpu", "memory"));
      }
      switch (rp) {
        case "NotRequired", "RestartContainer" -> { }
        case "" -> errs.add(Errs.required(p, ""));
        default -> errs.add(Errs.notSupported(p, rp, "NotRequired", "RestartContainer"));
      }
      if (podRestartPolicy.equals("Never") && !rp.equals("NotRequired")) {
        errs.add(Errs.invalid(p, rp, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
      }
    }
    return errs;
  }

  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

  /** validateContainerPorts. */
  private static List<FieldError> ports(JsonNode c, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<JsonNode> ports = Tree.list(c, "ports");
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      FieldPath idx = p.index(i);
      String name = Tree.str(port, "name");
      if (!name.isEmpty()) {
        List<String> msgs = NameValidation.isValidPortName(name);
        if (!msgs.isEmpty()) {
          for (String msg : msgs) errs.add(Errs.invalid(idx.child("name"), name, msg));
        } else if (!names.add(name)) {
          errs.add(Errs.duplicate(idx.child("name"), name));
        }
      }
      long cp = Tree.num(port, "containerPort", 0);
      if (cp == 0) {
        errs.add(Errs.required(idx.child("containerPort"), ""));
      } else {
        for (String msg : NameValidation.isValidPortNum(cp)) errs.add(Errs.invalid(idx.child("containerPort"), cp, msg));
      }
      long hp = Tree.num(port, "hostPort", 0);
      if (hp != 0) for (String msg : NameValidation.isValidPortNum(hp)) errs.add(Errs.invalid(idx.child("hostPort"), hp, msg));
      String protocol = Tree.str(port, "protocol");
      if (protocol.isEmpty()) errs.add(Errs.required(idx.child("protocol"), ""));
      else if (!PROTOCOLS.contains(protocol)) errs.add(Errs.notSupported(idx.child("protocol"), protocol, PROTOCOLS));
    }
    return errs;
  }

  /** AccumulateUniqueHostPorts; {@code single} reproduces upstream's per-init-container call (index 0). */
  private static List<FieldError> hostPortConflicts(List<JsonNode> ctrs, FieldPath p, boolean single) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int ci = 0; ci < ctrs.size(); ci++) {
      List<JsonNode> ports = Tree.list(ctrs.get(ci), "ports");
      for (int pi = 0; pi < ports.size(); pi++) {
        long hp = Tree.num(ports.get(pi), "hostPort", 0);
        if (hp == 0) continue;
        String key = Tree.str(ports.get(pi), "protocol") + "/" + Tree.str(ports.get(pi), "hostIP") + "/" + hp;
        if (!seen.add(key)) errs.add(Errs.duplicate(p.index(single ? 0 : ci).child("ports").index(pi).child("hostPort"), key));
      }
    }
    return errs;
  }

  // ---- probes and handlers -----------------------------------------------------------------------------------------

  private static List<FieldError> livenessProbe(JsonNode probe, long grace, FieldPath p) {
    if (probe == null) return List.of();
    List<FieldError> errs = probe(probe, grace, p);
    long st = Tree.num(probe, "successThreshold", 0);
    if (st != 1) errs.add(Errs.invalid(p.child("successThreshold"), st, "must be 1"));
    return errs;
  }

  private static List<FieldError> readinessProbe(JsonNode probe, long grace, FieldPath p) {
    if (probe == null) return List.of();
    List<FieldError> errs = probe(probe, grace, p);
    Long tgps = Tree.num(probe, "terminationGracePeriodSeconds");
    if (tgps != null) errs.add(Errs.invalid(p.child("terminationGracePeriodSeconds"), tgps, "must not be set for readinessProbes"));
    return errs;
  }

  private static List<FieldError> startupProbe(JsonNode probe, long grace, FieldPath p) {
    if (probe == null) return List.of();
    List<FieldError> errs = probe(probe, grace, p);
    long st = Tree.num(probe, "successThreshold", 0);
    if (st != 1) errs.add(Errs.invalid(p.child("successThreshold"), st, "must be 1"));
    return errs;
  }

  private static List<FieldError> probe(JsonNode probe, long grace, FieldPath p) {
    List<FieldError> errs = new ArrayList<>(handler(probe, grace, p, false));
    for (String f : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")) {
      Errs.nonNegative(errs, Tree.num(probe, f, 0), p.child(f));
    }
    Long tgps = Tree.num(probe, "terminationGracePeriodSeconds");
    if (tgps != null && tgps <= 0) errs.add(Errs.invalid(p.child("terminationGracePeriodSeconds"), tgps, "must be greater than 0"));
    return errs;
  }

  private static List<FieldError> lifecycle(JsonNode lifecycle, long grace, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    for (String hook : List.of("postStart", "preStop")) {
      JsonNode h = Tree.get(lifecycle, hook);
      if (h != null) errs.addAll(handler(h, grace, p.child(hook), true));
    }
    String stopSignal = Tree.strOrNull(lifecycle, "stopSignal");
    if (stopSignal != null && stopSignal.isEmpty()) errs.add(Errs.required(p.child("stopSignal"), ""));
    return errs;
  }

  /** validateHandler: exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep (lifecycle). */
  private static List<FieldError> handler(JsonNode h, long grace, FieldPath p, boolean lifecycle) {
    List<FieldError> errs = new ArrayList<>();
    int n = 0;
    for (String kind : List.of("exec", "httpGet", "tcpSocket", "grpc", "sleep")) {
      if (lifecycle && kind.equals("grpc")) continue;
      if (!lifecycle && kind.equals("sleep")) continue;
      JsonNode action = Tree.get(h, kind);
      if (action == null) continue;
      if (n > 0) {
        errs.add(Errs.forbidden(p.child(kind), "may not specify more than 1 handler type"));
        continue;
      }
      n++;
      FieldPath ap = p.child(kind);
      switch (kind) {
        case "exec" -> {
          if (Tree.size(action, "command") == 0) errs.add(Errs.required(ap.child("command"), ""));
        }
        case "httpGet" -> {
          if (Tree.str(action, "path").isEmpty()) errs.add(Errs.required(ap.child("path"), ""));
          errs.addAll(portNumOrName(Tree.get(action, "port"), ap.child("port")));
          String scheme = Tree.str(action, "scheme");
          if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) errs.add(Errs.notSupported(ap.child("scheme"), scheme, "HTTP", "HTTPS"));
          for (JsonNode header : Tree.list(action, "httpHeaders")) {
            String hn = Tree.str(header, "name");
            for (String msg : NameValidation.isHTTPHeaderName(hn)) errs.add(Errs.invalid(ap.child("httpHeaders"), hn, msg));
          }
        }
        case "tcpSocket" -> errs.addAll(portNumOrName(Tree.get(action, "port"), ap.child("port")));
        case "grpc" -> {
          long port = Tree.num(action, "port", 0);
          for (String msg : NameValidation.isValidPortNum(port)) errs.add(Errs.invalid(ap.child("port"), port, msg));
        }
        case "sleep" -> {
          long seconds = Tree.num(action, "seconds", 0);
          if (seconds < 0 || seconds > grace) {
            errs.add(Errs.invalid(ap, seconds, "must be non-negative and less than terminationGracePeriodSeconds (" + grace + ")"));
          }
        }
        default -> { }
      }
    }
    if (n == 0) errs.add(Errs.required(p, "must specify a handler type"));
    return errs;
  }

  /** ValidatePortNumOrName. */
  static List<FieldError> portNumOrName(JsonNode port, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (port != null && port.isString()) {
      for (String msg : NameValidation.isValidPortName(port.stringValue())) errs.add(Errs.invalid(p, port.stringValue(), msg));
    } else {
      long v = port == null ? 0 : port.asLong();
      for (String msg : NameValidation.isValidPortNum(v)) errs.add(Errs.invalid(p, v, msg));
    }
    return errs;
  }

  // ---- security contexts -------------------------------------------------------------------------------------------

  private static List<FieldError> podSecurityContext(JsonNode spec, JsonNode sc, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (sc == null) return errs;
    idField(sc, "fsGroup", p, errs);
    idField(sc, "runAsUser", p, errs);
    idField(sc, "runAsGroup", p, errs);
    List<JsonNode> groups = Tree.list(sc, "supplementalGroups");
    for (int i = 0; i < groups.size(); i++) {
      long g = groups.get(i).asLong();
      for (String msg : NameValidation.isValidGroupID(g)) errs.add(Errs.invalid(p.child("supplementalGroups").index(i), g, msg));
    }
    if (Tree.isTrue(spec, "shareProcessNamespace") && Tree.isTrue(spec, "hostPID")) {
      errs.add(Errs.invalid(p.child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled"));
    }
    List<JsonNode> sysctls = Tree.list(sc, "sysctls");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < sysctls.size(); i++) {
      String name = Tree.str(sysctls.get(i), "name");
      FieldPath np = p.child("sysctls").index(i).child("name");
      if (name.isEmpty()) errs.add(Errs.required(np, ""));
      else if (name.length() > 253 || !SYSCTL.matcher(name).matches()) {
        errs.add(Errs.invalid(np, name, "must have at most 253 characters and match regex " + SYSCTL_FMT));
      } else if (!seen.add(name)) {
        errs.add(Errs.duplicate(np, name));
      }
    }
    String fsgcp = Tree.strOrNull(sc, "fsGroupChangePolicy");
    if (fsgcp != null && !fsgcp.equals("OnRootMismatch") && !fsgcp.equals("Always")) {
      errs.add(Errs.notSupported(p.child("fsGroupChangePolicy"), fsgcp, "Always", "OnRootMismatch"));
    }
    errs.addAll(seccompProfile(Tree.get(sc, "seccompProfile"), p.child("seccompProfile")));
    errs.addAll(appArmorProfile(Tree.get(sc, "appArmorProfile"), p.child("appArmorProfile")));
    return errs;
  }

  private static final String SYSCTL_FMT = "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";
  private static final java.util.regex.Pattern SYSCTL = java.util.regex.Pattern.compile(SYSCTL_FMT);

  private static void idField(JsonNode sc, String field, FieldPath p, List<FieldError> errs) {
    Long v = Tree.num(sc, field);
    if (v == null) return;
    List<String> msgs = field.equals("runAsUser") ? NameValidation.isValidUserID(v) : NameValidation.isValidGroupID(v);
    for (String msg : msgs) errs.add(Errs.invalid(p.child(field), v, msg));
  }

  private static List<FieldError> securityContext(JsonNode sc, FieldPath p, boolean hostUsers) {
    List<FieldError> errs = new ArrayList<>();
    if (sc == null) return errs;
    idField(sc, "runAsUser", p, errs);
    idField(sc, "runAsGroup", p, errs);
    String procMount = Tree.strOrNull(sc, "procMount");
    if (procMount != null) {
      if (!procMount.equals("Default") && !procMount.equals("Unmasked")) {
        errs.add(Errs.notSupported(p.child("procMount"), procMount, "Default", "Unmasked"));
      }
      if (hostUsers && procMount.equals("Unmasked")) {
        errs.add(Errs.invalid(p.child("procMount"), procMount, "`hostUsers` must be false to use `Unmasked`"));
      }
    }
    errs.addAll(seccompProfile(Tree.get(sc, "seccompProfile"), p.child("seccompProfile")));
    if (Boolean.FALSE.equals(Tree.bool(sc, "allowPrivilegeEscalation"))) {
      if (Tree.isTrue(sc, "privileged")) {
        errs.add(Errs.invalid(p, GoValue.json(sc), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
      }
      for (String cap : Tree.strings(Tree.get(sc, "capabilities"), "add")) {
        if (cap.equals("CAP_SYS_ADMIN")) {
          errs.add(Errs.invalid(p, GoValue.json(sc), "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
        }
      }
    }
    errs.addAll(appArmorProfile(Tree.get(sc, "appArmorProfile"), p.child("appArmorProfile")));
    return errs;
  }

  private static List<FieldError> seccompProfile(JsonNode sp, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (sp == null) return errs;
    String type = Tree.str(sp, "type");
    switch (type) {
      case "Localhost", "RuntimeDefault", "Unconfined" -> { }
      case "" -> errs.add(Errs.required(p.child("type"), "type is required when seccompProfile is set"));
      default -> errs.add(Errs.notSupported(p.child("type"), type, "Localhost", "RuntimeDefault", "Unconfined"));
    }
    String local = Tree.strOrNull(sp, "localhostProfile");
    if (type.equals("Localhost")) {
      if (local == null) errs.add(Errs.required(p.child("localhostProfile"), "must be set when seccomp type is Localhost"));
      else errs.addAll(Paths.localDescending(local, p.child("localhostProfile")));
    } else if (local != null) {
      errs.add(Errs.invalid(p.child("localhostProfile"), GoValue.json(sp), "can only be set when seccomp type is Localhost"));
    }
    return errs;
  }

  private static List<FieldError> appArmorProfile(JsonNode ap, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (ap == null) return errs;
    String type = Tree.str(ap, "type");
    String local = Tree.strOrNull(ap, "localhostProfile");
    switch (type) {
      case "Localhost" -> {
        if (local == null) errs.add(Errs.required(p.child("localhostProfile"), "must be set when AppArmor type is Localhost"));
        else if (local.strip().isEmpty()) errs.add(Errs.invalid(p.child("localhostProfile"), local, "must be a non-empty string"));
      }
      case "RuntimeDefault", "Unconfined" -> {
        if (local != null) errs.add(Errs.invalid(p.child("localhostProfile"), local, "can only be set when AppArmor type is Localhost"));
      }
      case "" -> errs.add(Errs.required(p.child("type"), "type is required when appArmorProfile is set"));
      default -> errs.add(Errs.notSupported(p.child("type"), type, "Localhost", "RuntimeDefault", "Unconfined"));
    }
    return errs;
  }

  // ---- scheduling ----------------------------------------------------------------------------------------------------

  /** ValidateTolerations. */
  static List<FieldError> tolerations(List<JsonNode> tolerations, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < tolerations.size(); i++) {
      JsonNode t = tolerations.get(i);
      FieldPath idx = p.index(i);
      String key = Tree.str(t, "key");
      String op = Tree.str(t, "operator");
      String effect = Tree.str(t, "effect");
      String value = Tree.str(t, "value");
      if (!key.isEmpty()) errs.addAll(LabelSelectors.validateLabelName(key, idx.child("key")));
      if (key.isEmpty() && !op.equals("Exists")) {
        errs.add(Errs.invalid(idx.child("operator"), op,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
      }
      if (Tree.has(t, "tolerationSeconds") && !effect.equals("NoExecute")) {
        errs.add(Errs.invalid(idx.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (op) {
        case "Equal", "" -> {
          List<String> msgs = NameValidation.isValidLabelValue(value);
          if (!msgs.isEmpty()) errs.add(Errs.invalid(idx.child("operator"), value, String.join(";", msgs)));
        }
        case "Exists" -> {
          if (!value.isEmpty()) errs.add(Errs.invalid(idx.child("operator"), GoValue.json(t), "value must be empty when `operator` is 'Exists'"));
        }
        default -> errs.add(Errs.notSupported(idx.child("operator"), op, "Equal", "Exists"));
      }
      if (!effect.isEmpty()) errs.addAll(taintEffect(effect, idx.child("effect")));
    }
    return errs;
  }

  static List<FieldError> taintEffect(String effect, FieldPath p) {
    if (effect.equals("NoSchedule") || effect.equals("PreferNoSchedule") || effect.equals("NoExecute")) return List.of();
    return List.of(Errs.notSupported(p, effect, "NoSchedule", "PreferNoSchedule", "NoExecute"));
  }

  private static List<FieldError> affinity(JsonNode affinity, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (affinity == null) return errs;
    JsonNode na = Tree.get(affinity, "nodeAffinity");
    if (na != null) {
      FieldPath np = p.child("nodeAffinity");
      JsonNode req = Tree.get(na, "requiredDuringSchedulingIgnoredDuringExecution");
      if (req != null) errs.addAll(nodeSelector(req, np.child("requiredDuringSchedulingIgnoredDuringExecution")));
      List<JsonNode> pref = Tree.list(na, "preferredDuringSchedulingIgnoredDuringExecution");
      for (int i = 0; i < pref.size(); i++) {
        FieldPath tp = np.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
        long w = Tree.num(pref.get(i), "weight", 0);
        if (w <= 0 || w > 100) errs.add(Errs.invalid(tp.child("weight"), w, "must be in the range 1-100"));
        errs.addAll(nodeSelectorTerm(Tree.get(pref.get(i), "preference"), tp.child("preference")));
      }
    }
    for (String kind : List.of("podAffinity", "podAntiAffinity")) {
      JsonNode pa = Tree.get(affinity, kind);
      if (pa == null) continue;
      FieldPath pp = p.child(kind);
      List<JsonNode> req = Tree.list(pa, "requiredDuringSchedulingIgnoredDuringExecution");
      for (int i = 0; i < req.size(); i++) {
        errs.addAll(podAffinityTerm(req.get(i), pp.child("requiredDuringSchedulingIgnoredDuringExecution").index(i)));
      }
      List<JsonNode> pref = Tree.list(pa, "preferredDuringSchedulingIgnoredDuringExecution");
      for (int i = 0; i < pref.size(); i++) {
        FieldPath tp = pp.child("preferredDuringSchedulingIgnoredDuringExecution").index(i);
        long w = Tree.num(pref.get(i), "weight", 0);
        if (w <= 0 || w > 100) errs.add(Errs.invalid(tp.child("weight"), w, "must be in the range 1-100"));
        errs.addAll(podAffinityTerm(Tree.get(pref.get(i), "podAffinityTerm"), tp.child("podAffinityTerm")));
      }
    }
    return errs;
  }

  static List<FieldError> nodeSelector(JsonNode ns, FieldPath p) {
    List<JsonNode> terms = Tree.list(ns, "nodeSelectorTerms");
    FieldPath tp = p.child("nodeSelectorTerms");
    if (terms.isEmpty()) return List.of(Errs.required(tp, "must have at least one node selector term"));
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) errs.addAll(nodeSelectorTerm(terms.get(i), tp.index(i)));
    return errs;
  }

  private static List<FieldError> nodeSelectorTerm(JsonNode term, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> exprs = Tree.list(term, "matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      JsonNode rq = exprs.get(i);
      FieldPath rp = p.child("matchExpressions").index(i);
      String op = Tree.str(rq, "operator");
      int n = Tree.size(rq, "values");
      switch (op) {
        case "In", "NotIn" -> {
          if (n == 0) errs.add(Errs.required(rp.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        case "Exists", "DoesNotExist" -> {
          if (n > 0) errs.add(Errs.forbidden(rp.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        case "Gt", "Lt" -> {
          if (n != 1) errs.add(Errs.required(rp.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        }
        default -> errs.add(Errs.invalid(rp.child("operator"), op, "not a valid selector operator"));
      }
      errs.addAll(LabelSelectors.validateLabelName(Tree.str(rq, "key"), rp.child("key")));
    }
    List<JsonNode> fields = Tree.list(term, "matchFields");
    for (int i = 0; i < fields.size(); i++) {
      JsonNode rq = fields.get(i);
      FieldPath rp = p.child("matchFields").index(i);
      String op = Tree.str(rq, "operator");
      if (op.equals("In") || op.equals("NotIn")) {
        if (Tree.size(rq, "values") != 1) {
          errs.add(Errs.required(rp.child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
        }
      } else {
        errs.add(Errs.invalid(rp.child("operator"), op, "not a valid selector operator"));
      }
      String key = Tree.str(rq, "key");
      if (!key.equals("metadata.name")) {
        errs.add(Errs.invalid(rp.child("key"), key, "not a valid field selector key"));
      } else {
        List<String> values = Tree.strings(rq, "values");
        for (int v = 0; v < values.size(); v++) {
          for (String msg : NameValidation.isDNS1123Subdomain(values.get(v))) errs.add(Errs.invalid(rp.child("values").index(v), values.get(v), msg));
        }
      }
    }
    return errs;
  }

  private static List<FieldError> podAffinityTerm(JsonNode term, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(LabelSelectors.validate(Tree.get(term, "labelSelector"), p.child("labelSelector"), false));
    errs.addAll(LabelSelectors.validate(Tree.get(term, "namespaceSelector"), p.child("namespaceSelector"), false));
    for (String ns : Tree.strings(term, "namespaces")) {
      for (String msg : NameValidation.isDNS1123Label(ns)) errs.add(Errs.invalid(p.child("namespace"), ns, msg));
    }
    String tk = Tree.str(term, "topologyKey");
    if (tk.isEmpty()) errs.add(Errs.required(p.child("topologyKey"), "can not be empty"));
    errs.addAll(LabelSelectors.validateLabelName(tk, p.child("topologyKey")));
    return errs;
  }

  private static List<FieldError> topologySpread(List<JsonNode> constraints, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < constraints.size(); i++) {
      JsonNode c = constraints.get(i);
      FieldPath cp = p.index(i);
      long maxSkew = Tree.num(c, "maxSkew", 0);
      if (maxSkew <= 0) errs.add(Errs.invalid(cp.child("maxSkew"), maxSkew, Errs.NOT_POSITIVE));
      String tk = Tree.str(c, "topologyKey");
      if (tk.isEmpty()) errs.add(Errs.required(cp.child("topologyKey"), "can not be empty"));
      String when = Tree.str(c, "whenUnsatisfiable");
      if (!when.equals("DoNotSchedule") && !when.equals("ScheduleAnyway")) {
        errs.add(Errs.notSupported(cp.child("whenUnsatisfiable"), when, "DoNotSchedule", "ScheduleAnyway"));
      }
      for (int j = i + 1; j < constraints.size(); j++) {
        if (tk.equals(Tree.str(constraints.get(j), "topologyKey")) && when.equals(Tree.str(constraints.get(j), "whenUnsatisfiable"))) {
          errs.add(Errs.duplicate(cp.child("{topologyKey, whenUnsatisfiable}"), "{" + tk + ", " + when + "}"));
          break;
        }
      }
      Long minDomains = Tree.num(c, "minDomains");
      if (minDomains != null) {
        if (minDomains <= 0) errs.add(Errs.invalid(cp.child("minDomains"), minDomains, Errs.NOT_POSITIVE));
        if (!when.equals("DoNotSchedule")) {
          errs.add(Errs.invalid(cp.child("minDomains"), minDomains, "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not " + when));
        }
      }
      for (String f : List.of("nodeAffinityPolicy", "nodeTaintsPolicy")) {
        String v = Tree.strOrNull(c, f);
        if (v != null && !v.equals("Ignore") && !v.equals("Honor")) errs.add(Errs.notSupported(cp.child(f), v, "Honor", "Ignore"));
      }
      errs.addAll(LabelSelectors.validate(Tree.get(c, "labelSelector"), cp.child("labelSelector"), false));
    }
    return errs;
  }

  private static List<FieldError> dnsConfig(JsonNode cfg, String dnsPolicy, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (dnsPolicy.equals("None")) {
      if (cfg == null) return List.of(Errs.required(p, "must provide `dnsConfig` when `dnsPolicy` is None"));
      if (Tree.size(cfg, "nameservers") == 0) {
        return List.of(Errs.required(p.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"));
      }
    }
    if (cfg == null) return errs;
    List<String> ns = Tree.strings(cfg, "nameservers");
    if (ns.size() > 3) errs.add(Errs.invalid(p.child("nameservers"), GoValue.stringSlice("string", ns), "must not have more than 3 nameservers"));
    for (int i = 0; i < ns.size(); i++) errs.addAll(IpValidation.isValidIPForLegacyField(p.child("nameservers").index(i), ns.get(i), false, null));
    List<String> searches = Tree.strings(cfg, "searches");
    if (searches.size() > 32) errs.add(Errs.invalid(p.child("searches"), GoValue.stringSlice("string", searches), "must not have more than 32 search paths"));
    if (String.join(" ", searches).length() > 2048) {
      errs.add(Errs.invalid(p.child("searches"), GoValue.stringSlice("string", searches),
          "must not have more than 2048 characters (including spaces) in the search list"));
    }
    for (int i = 0; i < searches.size(); i++) {
      String s = searches.get(i).endsWith(".") ? searches.get(i).substring(0, searches.get(i).length() - 1) : searches.get(i);
      for (String msg : NameValidation.isDNS1123Subdomain(s)) errs.add(Errs.invalid(p.child("searches").index(i), s, msg));
    }
    List<JsonNode> options = Tree.list(cfg, "options");
    for (int i = 0; i < options.size(); i++) {
      if (Tree.str(options.get(i), "name").isEmpty()) errs.add(Errs.required(p.child("options").index(i), "must not be empty"));
    }
    return errs;
  }
}
