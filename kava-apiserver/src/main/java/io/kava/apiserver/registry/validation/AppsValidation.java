package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet (pkg/apis/apps/validation plus the strategies' rules). */
public final class AppsValidation {
  private AppsValidation() {}

  private static final FieldPath SPEC = FieldPath.of("spec");

  // ---- Deployment --------------------------------------------------------------------------------------------------

  public static List<FieldError> deployment(JsonNode d) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(d, "spec");
    Errs.nonNegative(errs, Tree.num(spec, "replicas", 0), SPEC.child("replicas"));
    errs.addAll(selectorAndTemplate(spec, "deployment", "ReplicaSet", true));
    errs.addAll(deploymentStrategy(Tree.get(spec, "strategy"), SPEC.child("strategy")));
    long minReady = Tree.num(spec, "minReadySeconds", 0);
    Errs.nonNegative(errs, minReady, SPEC.child("minReadySeconds"));
    Long rhl = Tree.num(spec, "revisionHistoryLimit");
    if (rhl != null) Errs.nonNegative(errs, rhl, SPEC.child("revisionHistoryLimit"));
    JsonNode rollback = Tree.get(spec, "rollbackTo");
    if (rollback != null) Errs.nonNegative(errs, Tree.num(rollback, "revision", 0), SPEC.child("rollback").child("version"));
    Long pds = Tree.num(spec, "progressDeadlineSeconds");
    if (pds != null) {
      Errs.nonNegative(errs, pds, SPEC.child("progressDeadlineSeconds"));
      if (pds <= minReady) errs.add(Errs.invalid(SPEC.child("progressDeadlineSeconds"), pds, "must be greater than minReadySeconds"));
    }
    return errs;
  }

  /**
   * The selector checks and ValidatePodTemplateSpecForReplicaSet, shared by Deployment and ReplicaSet ({@code kind}
   * names the "empty selector" message; upstream says "deployment" for both).
   */
  private static List<FieldError> selectorAndTemplate(JsonNode spec, String emptyKind, String templateKind, boolean validatePodSpec) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode selector = Tree.get(spec, "selector");
    FieldPath sp = SPEC.child("selector");
    if (selector == null) {
      errs.add(Errs.required(sp, ""));
    } else {
      errs.addAll(LabelSelectors.validate(selector, sp, false));
      if (LabelSelectors.isEmpty(selector)) errs.add(Errs.invalid(sp, GoValue.labelSelector(selector), "empty selector is invalid for " + emptyKind));
    }
    if (!LabelSelectors.convertible(selector)) {
      errs.add(Errs.invalid(sp, GoValue.labelSelector(selector), "invalid label selector"));
      return errs;
    }
    JsonNode template = Tree.get(spec, "template");
    FieldPath tp = SPEC.child("template");
    Map<String, String> labels = Tree.strMap(Tree.get(template, "metadata"), "labels");
    // a nil selector converts to "nothing", which matches no labels; an empty one is "everything" and skips the check
    if (selector == null || !LabelSelectors.isEmpty(selector)) {
      if (!LabelSelectors.matches(selector, labels)) {
        errs.add(Errs.invalid(tp.child("metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`"));
      }
    }
    if (validatePodSpec) errs.addAll(PodValidation.validatePodTemplateSpec(template, tp));
    errs.addAll(CoreValidation.restartAlways(Tree.get(template, "spec"), tp.child("spec"), templateKind));
    return errs;
  }

  private static List<FieldError> deploymentStrategy(JsonNode strategy, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String type = Tree.str(strategy, "type");
    JsonNode ru = Tree.get(strategy, "rollingUpdate");
    switch (type) {
      case "Recreate" -> {
        if (ru != null) errs.add(Errs.forbidden(p.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
      }
      case "RollingUpdate" -> {
        if (ru == null) {
          errs.add(Errs.required(p.child("rollingUpdate"), "this should be defaulted and never be nil"));
        } else {
          FieldPath rp = p.child("rollingUpdate");
          JsonNode mu = Tree.get(ru, "maxUnavailable");
          JsonNode ms = Tree.get(ru, "maxSurge");
          errs.addAll(positiveIntOrPercent(mu, rp.child("maxUnavailable")));
          errs.addAll(positiveIntOrPercent(ms, rp.child("maxSurge")));
          if (intOrPercentValue(mu) == 0 && intOrPercentValue(ms) == 0) {
            errs.add(Errs.invalid(rp.child("maxUnavailable"), GoValue.intOrString(mu), "may not be 0 when `maxSurge` is 0"));
          }
          errs.addAll(notMoreThan100Percent(mu, rp.child("maxUnavailable")));
        }
      }
      default -> errs.add(Errs.notSupported(p, new GoValue("apps.DeploymentStrategy{Type:" + GoValue.quote(type) + ", RollingUpdate:"
          + (ru == null ? "(*apps.RollingUpdateDeployment)(nil)" : GoValue.json(ru)) + "}"), "Recreate", "RollingUpdate"));
    }
    return errs;
  }

  /** ValidatePositiveIntOrPercent (values print as intstr.IntOrString structs, as upstream's do). */
  static List<FieldError> positiveIntOrPercent(JsonNode v, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (v == null) return errs; // the zero IntOrString is the integer 0
    if (v.isString()) {
      for (String msg : NameValidation.isValidPercent(v.stringValue())) errs.add(Errs.invalid(p, GoValue.intOrString(v), msg));
    } else {
      Errs.nonNegative(errs, v.asLong(), p);
    }
    return errs;
  }

  private static Integer percent(JsonNode v) {
    if (v == null || !v.isString() || !NameValidation.isValidPercent(v.stringValue()).isEmpty()) return null;
    String s = v.stringValue();
    try {
      return Integer.parseInt(s.substring(0, s.length() - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static int intOrPercentValue(JsonNode v) {
    Integer pct = percent(v);
    if (pct != null) return pct;
    if (v == null) return 0;
    if (v.isNumber()) return v.asInt();
    try {
      return Integer.parseInt(v.asString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static List<FieldError> notMoreThan100Percent(JsonNode v, FieldPath p) {
    Integer pct = percent(v);
    if (pct == null || pct <= 100) return List.of();
    return List.of(Errs.invalid(p, GoValue.intOrString(v), "must not be greater than 100%"));
  }

  /** The strategies' update rule for apps/v1: spec.selector may not change. */
  private static List<FieldError> selectorImmutable(JsonNode now, JsonNode old) {
    JsonNode sel = Tree.at(now, "spec", "selector");
    if (Tree.semanticEquals(sel, Tree.at(old, "spec", "selector"))) return List.of();
    return List.of(Errs.immutable(SPEC.child("selector"), GoValue.labelSelector(sel)));
  }

  public static List<FieldError> deploymentUpdate(JsonNode d, JsonNode old) {
    List<FieldError> errs = deployment(d);
    errs.addAll(selectorImmutable(d, old));
    return errs;
  }

  // ---- ReplicaSet --------------------------------------------------------------------------------------------------

  public static List<FieldError> replicaSet(JsonNode rs) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(rs, "spec");
    Errs.nonNegative(errs, Tree.num(spec, "replicas", 0), SPEC.child("replicas"));
    Errs.nonNegative(errs, Tree.num(spec, "minReadySeconds", 0), SPEC.child("minReadySeconds"));
    errs.addAll(selectorAndTemplate(spec, "deployment", "ReplicaSet", true));
    return errs;
  }

  public static List<FieldError> replicaSetUpdate(JsonNode rs, JsonNode old) {
    List<FieldError> errs = replicaSet(rs);
    errs.addAll(selectorImmutable(rs, old));
    return errs;
  }

  // ---- StatefulSet -------------------------------------------------------------------------------------------------

  public static List<FieldError> statefulSet(JsonNode sts) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(sts, "spec");
    String pmp = Tree.str(spec, "podManagementPolicy");
    switch (pmp) {
      case "" -> errs.add(Errs.required(SPEC.child("podManagementPolicy"), ""));
      case "OrderedReady", "Parallel" -> { }
      default -> errs.add(Errs.invalid(SPEC.child("podManagementPolicy"), pmp, "must be 'OrderedReady' or 'Parallel'"));
    }
    JsonNode us = Tree.get(spec, "updateStrategy");
    String usType = Tree.str(us, "type");
    JsonNode ru = Tree.get(us, "rollingUpdate");
    switch (usType) {
      case "" -> errs.add(Errs.required(SPEC.child("updateStrategy"), ""));
      case "OnDelete" -> {
        if (ru != null) {
          errs.add(Errs.invalid(SPEC.child("updateStrategy").child("rollingUpdate"), GoValue.json(ru), "only allowed for updateStrategy 'RollingUpdate'"));
        }
      }
      case "RollingUpdate" -> {
        if (ru != null) {
          FieldPath rp = SPEC.child("updateStrategy", "rollingUpdate");
          Errs.nonNegative(errs, Tree.num(ru, "partition", 0), rp.child("partition"));
          JsonNode mu = Tree.get(ru, "maxUnavailable");
          if (mu != null) {
            errs.addAll(positiveIntOrPercent(mu, rp.child("maxUnavailable")));
            if (intOrPercentValue(mu) == 0) errs.add(Errs.invalid(rp.child("maxUnavailable"), GoValue.intOrString(mu), "cannot be 0"));
            errs.addAll(notMoreThan100Percent(mu, rp.child("maxUnavailable")));
          }
        }
      }
      default -> errs.add(Errs.invalid(SPEC.child("updateStrategy"), GoValue.json(us), "must be 'RollingUpdate' or 'OnDelete'"));
    }
    JsonNode retention = Tree.get(spec, "persistentVolumeClaimRetentionPolicy");
    if (retention != null) {
      for (String f : List.of("whenDeleted", "whenScaled")) {
        String v = Tree.str(retention, f);
        if (!v.equals("Retain") && !v.equals("Delete")) {
          errs.add(Errs.notSupported(SPEC.child("persistentVolumeClaimRetentionPolicy", f), v, "Retain", "Delete"));
        }
      }
    }
    Errs.nonNegative(errs, Tree.num(spec, "replicas", 0), SPEC.child("replicas"));
    Errs.nonNegative(errs, Tree.num(spec, "minReadySeconds", 0), SPEC.child("minReadySeconds"));
    JsonNode ordinals = Tree.get(spec, "ordinals");
    if (ordinals != null) Errs.nonNegative(errs, Tree.num(ordinals, "start", 0), SPEC.child("ordinals.start"));
    JsonNode selector = Tree.get(spec, "selector");
    FieldPath sp = SPEC.child("selector");
    if (selector == null) {
      errs.add(Errs.required(sp, ""));
    } else {
      errs.addAll(LabelSelectors.validate(selector, sp, false));
      if (LabelSelectors.isEmpty(selector)) errs.add(Errs.invalid(sp, GoValue.labelSelector(selector), "empty selector is invalid for statefulset"));
    }
    JsonNode template = Tree.get(spec, "template");
    FieldPath tp = SPEC.child("template");
    if (!LabelSelectors.convertible(selector)) {
      errs.add(Errs.invalid(sp, GoValue.labelSelector(selector), ""));
    } else {
      JsonNode meta = Tree.get(template, "metadata");
      Map<String, String> labels = Tree.strMap(meta, "labels");
      if ((selector == null || !LabelSelectors.isEmpty(selector)) && !LabelSelectors.matches(selector, labels)) {
        errs.add(Errs.invalid(tp.child("metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`"));
      }
      // upstream checks only the template's labels and annotations here, not the pod spec (see its TODO)
      errs.addAll(LabelSelectors.validateLabels(labels, tp.child("labels")));
      errs.addAll(PodValidation.annotations(Tree.strMap(meta, "annotations"), tp.child("annotations")));
    }
    errs.addAll(CoreValidation.restartAlways(Tree.get(template, "spec"), tp.child("spec"), "StatefulSet"));
    List<JsonNode> claims = Tree.list(spec, "volumeClaimTemplates");
    for (int i = 0; i < claims.size(); i++) {
      String name = Tree.str(Tree.get(claims.get(i), "metadata"), "name");
      FieldPath cp = SPEC.child("volumeClaimTemplates").index(i);
      if (name.isEmpty()) errs.add(Errs.required(cp.child("metadata", "name"), "name or generateName is required"));
    }
    return errs;
  }

  public static List<FieldError> statefulSetUpdate(JsonNode sts, JsonNode old) {
    List<FieldError> errs = statefulSet(sts);
    JsonNode spec = Tree.get(sts, "spec");
    JsonNode oldSpec = Tree.get(old, "spec");
    ObjectNode a = spec == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : (ObjectNode) spec.deepCopy();
    ObjectNode b = oldSpec == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : (ObjectNode) oldSpec.deepCopy();
    for (String f : List.of("replicas", "template", "updateStrategy", "minReadySeconds", "ordinals",
        "persistentVolumeClaimRetentionPolicy")) {
      a.remove(f);
      b.remove(f);
    }
    if (!Tree.semanticEquals(a, b)) {
      errs.add(Errs.forbidden(SPEC, "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
          + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
    return errs;
  }

  // ---- DaemonSet ---------------------------------------------------------------------------------------------------

  public static List<FieldError> daemonSet(JsonNode ds) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(ds, "spec");
    JsonNode selector = Tree.get(spec, "selector");
    FieldPath sp = SPEC.child("selector");
    errs.addAll(LabelSelectors.validate(selector, sp, false));
    JsonNode template = Tree.get(spec, "template");
    FieldPath tp = SPEC.child("template");
    Map<String, String> labels = Tree.strMap(Tree.get(template, "metadata"), "labels");
    if (LabelSelectors.convertible(selector) && (selector == null || !LabelSelectors.isEmpty(selector))
        && !LabelSelectors.matches(selector, labels)) {
      errs.add(Errs.invalid(tp.child("metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`"));
    }
    if (selector != null && LabelSelectors.isEmpty(selector)) {
      errs.add(Errs.invalid(sp, GoValue.labelSelector(selector), "empty selector is invalid for daemonset"));
    }
    errs.addAll(PodValidation.validatePodTemplateSpec(template, tp));
    errs.addAll(CoreValidation.restartAlways(Tree.get(template, "spec"), tp.child("spec"), "DaemonSet"));
    Errs.nonNegative(errs, Tree.num(spec, "minReadySeconds", 0), SPEC.child("minReadySeconds"));
    JsonNode us = Tree.get(spec, "updateStrategy");
    FieldPath up = SPEC.child("updateStrategy");
    String type = Tree.str(us, "type");
    switch (type) {
      case "OnDelete" -> { }
      case "RollingUpdate" -> {
        JsonNode ru = Tree.get(us, "rollingUpdate");
        if (ru == null) {
          errs.add(Errs.required(up.child("rollingUpdate"), ""));
        } else {
          FieldPath rp = up.child("rollingUpdate");
          JsonNode mu = Tree.get(ru, "maxUnavailable");
          JsonNode ms = Tree.get(ru, "maxSurge");
          errs.addAll(positiveIntOrPercent(mu, rp.child("maxUnavailable")));
          errs.addAll(positiveIntOrPercent(ms, rp.child("maxSurge")));
          errs.addAll(notMoreThan100Percent(mu, rp.child("maxUnavailable")));
          errs.addAll(notMoreThan100Percent(ms, rp.child("maxSurge")));
          boolean hasUnavailable = intOrPercentValue(mu) != 0;
          boolean hasSurge = intOrPercentValue(ms) != 0;
          if (hasUnavailable && hasSurge) {
            errs.add(Errs.invalid(rp.child("maxSurge"), GoValue.intOrString(ms), "may not be set when maxUnavailable is non-zero"));
          } else if (!hasUnavailable && !hasSurge) {
            errs.add(Errs.required(rp.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
          }
        }
      }
      default -> errs.add(Errs.notSupported(up, new GoValue("apps.DaemonSetUpdateStrategy{Type:" + GoValue.quote(type)
          + ", RollingUpdate:" + (Tree.has(us, "rollingUpdate") ? GoValue.json(Tree.get(us, "rollingUpdate")) : "(*apps.RollingUpdateDaemonSet)(nil)")
          + "}"), "RollingUpdate", "OnDelete"));
    }
    Long rhl = Tree.num(spec, "revisionHistoryLimit");
    if (rhl != null) Errs.nonNegative(errs, rhl, SPEC.child("revisionHistoryLimit"));
    return errs;
  }

  public static List<FieldError> daemonSetUpdate(JsonNode ds, JsonNode old) {
    List<FieldError> errs = daemonSet(ds);
    errs.addAll(selectorImmutable(ds, old));
    return errs;
  }

  /** ControllerRevision: data required, revision non-negative, data immutable. */
  public static List<FieldError> controllerRevision(JsonNode cr) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.get(cr, "data") == null) errs.add(Errs.required(FieldPath.of("data"), "data is mandatory"));
    Errs.nonNegative(errs, Tree.num(cr, "revision", 0), FieldPath.of("revision"));
    return errs;
  }

  public static List<FieldError> controllerRevisionUpdate(JsonNode cr, JsonNode old) {
    List<FieldError> errs = controllerRevision(cr);
    if (!Tree.semanticEquals(Tree.get(cr, "data"), Tree.get(old, "data"))) {
      errs.add(Errs.immutable(FieldPath.of("data"), GoValue.json(Tree.get(cr, "data"))));
    }
    return errs;
  }
}
