package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** batch/v1: Job and CronJob (pkg/apis/batch/validation). */
public final class BatchValidation {
  private BatchValidation() {}

  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final int MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;
  private static final int MAX_FAILED_INDEXES_LIMIT = 100000;

  // ---- Job ---------------------------------------------------------------------------------------------------------

  public static List<FieldError> job(JsonNode job) {
    List<FieldError> errs = new ArrayList<>(generatedSelector(job));
    errs.addAll(jobSpec(Tree.get(job, "spec"), SPEC));
    JsonNode spec = Tree.get(job, "spec");
    Long completions = Tree.num(spec, "completions");
    if ("Indexed".equals(Tree.strOrNull(spec, "completionMode")) && completions != null && completions > 0) {
      String name = Tree.str(Tree.get(job, "metadata"), "name");
      String hostname = name + "-" + (completions - 1);
      if (!NameValidation.isDNS1123Label(hostname).isEmpty()) {
        errs.add(Errs.invalid(FieldPath.of("metadata", "name"), name, "will not able to create pod with invalid DNS label: " + hostname));
      }
    }
    return errs;
  }

  /** validateGeneratedSelector: a generated selector must select the labels the generator puts on the template. */
  private static List<FieldError> generatedSelector(JsonNode job) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(job, "spec");
    if (Tree.isTrue(spec, "manualSelector")) return errs;
    JsonNode selector = Tree.get(spec, "selector");
    if (selector == null) return errs;
    JsonNode meta = Tree.get(job, "metadata");
    String uid = Tree.str(meta, "uid");
    String name = Tree.str(meta, "name");
    if (uid.isEmpty()) errs.add(Errs.required(FieldPath.of("metadata", "uid"), ""));
    FieldPath tmeta = SPEC.child("template", "metadata");
    Map<String, String> labels = Tree.strMap(Tree.at(spec, "template", "metadata"), "labels");
    errs.addAll(hasLabel(labels, tmeta, "controller-uid", uid));
    errs.addAll(hasLabel(labels, tmeta, "job-name", name));
    errs.addAll(hasLabel(labels, tmeta, "batch.kubernetes.io/controller-uid", uid));
    errs.addAll(hasLabel(labels, tmeta, "batch.kubernetes.io/job-name", name));
    Map<String, String> expected = new HashMap<>();
    expected.put("batch.kubernetes.io/controller-uid", uid);
    expected.put("batch.kubernetes.io/job-name", name);
    expected.put("controller-uid", uid);
    expected.put("job-name", name);
    if (LabelSelectors.convertible(selector) && !LabelSelectors.matches(selector, expected)) {
      errs.add(Errs.invalid(SPEC.child("selector"), GoValue.labelSelector(selector), "`selector` not auto-generated"));
    }
    return errs;
  }

  /** ValidateHasLabel. */
  private static List<FieldError> hasLabel(Map<String, String> labels, FieldPath meta, String key, String expected) {
    String actual = labels == null ? null : labels.get(key);
    if (actual == null) return List.of(Errs.required(meta.child("labels").key(key), "must be '" + expected + "'"));
    if (!actual.equals(expected)) return List.of(Errs.invalid(meta.child("labels").key(key), GoValue.stringMap(labels), "must be '" + expected + "'"));
    return List.of();
  }

  /** ValidateJobSpec: the common rules plus the selector. */
  static List<FieldError> jobSpec(JsonNode spec, FieldPath p) {
    List<FieldError> errs = commonJobSpec(spec, p);
    JsonNode selector = Tree.get(spec, "selector");
    if (selector == null) errs.add(Errs.required(p.child("selector"), ""));
    else errs.addAll(LabelSelectors.validate(selector, p.child("selector"), false));
    if (LabelSelectors.convertible(selector)) {
      Map<String, String> labels = Tree.strMap(Tree.at(spec, "template", "metadata"), "labels");
      boolean everything = selector != null && LabelSelectors.isEmpty(selector);
      if (!everything && !LabelSelectors.matches(selector, labels)) {
        errs.add(Errs.invalid(p.child("template", "metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`"));
      }
    }
    return errs;
  }

  /** validateJobSpec (shared with CronJob's jobTemplate). */
  private static List<FieldError> commonJobSpec(JsonNode spec, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    for (String f : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished",
        "backoffLimitPerIndex")) {
      Long v = Tree.num(spec, f);
      if (v != null) Errs.nonNegative(errs, v, p.child(f));
    }
    Long maxFailed = Tree.num(spec, "maxFailedIndexes");
    Long perIndex = Tree.num(spec, "backoffLimitPerIndex");
    if (maxFailed != null) {
      Errs.nonNegative(errs, maxFailed, p.child("maxFailedIndexes"));
      if (perIndex == null) errs.add(Errs.required(p.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
    }
    String managedBy = Tree.strOrNull(spec, "managedBy");
    if (managedBy != null) {
      FieldPath mp = p.child("managedBy");
      if (managedBy.length() > 63) errs.add(Errs.tooLong(mp, 63));
      errs.addAll(domainPrefixedPath(mp, managedBy));
    }
    String mode = Tree.strOrNull(spec, "completionMode");
    Long completions = Tree.num(spec, "completions");
    Long parallelism = Tree.num(spec, "parallelism");
    if (mode != null) {
      if (!mode.equals("NonIndexed") && !mode.equals("Indexed")) {
        errs.add(Errs.notSupported(p.child("completionMode"), mode, "NonIndexed", "Indexed"));
      }
      if (mode.equals("Indexed")) {
        if (completions == null) errs.add(Errs.required(p.child("completions"), "when completion mode is Indexed"));
        if (parallelism != null && parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
          errs.add(Errs.invalid(p.child("parallelism"), parallelism,
              "must be less than or equal to " + MAX_PARALLELISM_FOR_INDEXED_JOB + " when completion mode is Indexed"));
        }
        if (completions != null && maxFailed != null && maxFailed > completions) {
          errs.add(Errs.invalid(p.child("maxFailedIndexes"), maxFailed, "must be less than or equal to completions"));
        }
        if (maxFailed != null && maxFailed > MAX_FAILED_INDEXES_LIMIT) {
          errs.add(Errs.invalid(p.child("maxFailedIndexes"), maxFailed, "must be less than or equal to " + MAX_FAILED_INDEXES_LIMIT));
        }
      }
    }
    if (mode == null || mode.equals("NonIndexed")) {
      if (perIndex != null) errs.add(Errs.invalid(p.child("backoffLimitPerIndex"), perIndex, "requires indexed completion mode"));
      if (maxFailed != null) errs.add(Errs.invalid(p.child("maxFailedIndexes"), maxFailed, "requires indexed completion mode"));
    }
    JsonNode pfp = Tree.get(spec, "podFailurePolicy");
    if (pfp != null) errs.addAll(podFailurePolicy(pfp, p.child("podFailurePolicy")));
    String prp = Tree.strOrNull(spec, "podReplacementPolicy");
    if (prp != null) {
      if (pfp != null) {
        if (!prp.equals("Failed")) errs.add(Errs.notSupported(p.child("podReplacementPolicy"), prp, "Failed"));
      } else if (!prp.equals("Failed") && !prp.equals("TerminatingOrFailed")) {
        errs.add(Errs.notSupported(p.child("podReplacementPolicy"), prp, "Failed", "TerminatingOrFailed"));
      }
    }
    JsonNode template = Tree.get(spec, "template");
    errs.addAll(PodValidation.validatePodTemplateSpec(template, p.child("template")));
    String restart = Tree.str(Tree.get(template, "spec"), "restartPolicy");
    FieldPath rp = p.child("template", "spec", "restartPolicy");
    if (restart.equals("Always") || restart.isEmpty()) {
      errs.add(Errs.required(rp, "valid values: \"OnFailure\", \"Never\""));
    } else if (!restart.equals("OnFailure") && !restart.equals("Never")) {
      errs.add(Errs.notSupported(rp, restart, "OnFailure", "Never"));
    } else if (pfp != null && !restart.equals("Never")) {
      errs.add(Errs.invalid(rp, restart, "only \"Never\" is supported when podFailurePolicy is specified"));
    }
    return errs;
  }

  private static final Pattern DOMAIN_PREFIXED_PATH_SEGMENT = Pattern.compile("[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+");

  /** IsDomainPrefixedPath. */
  static List<FieldError> domainPrefixedPath(FieldPath p, String dpPath) {
    List<FieldError> errs = new ArrayList<>();
    int slash = dpPath.indexOf('/');
    if (slash < 0) return List.of(Errs.invalid(p, dpPath, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
    String host = dpPath.substring(0, slash);
    String path = dpPath.substring(slash);
    for (String msg : NameValidation.isDNS1123Subdomain(host)) errs.add(Errs.invalid(p, host, msg));
    if (!DOMAIN_PREFIXED_PATH_SEGMENT.matcher(path).matches()) {
      errs.add(Errs.invalid(p, path, NameValidation.regexError("Invalid path", "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")));
    }
    return errs;
  }

  private static List<FieldError> podFailurePolicy(JsonNode pfp, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> rules = Tree.list(pfp, "rules");
    if (rules.size() > 20) errs.add(Errs.tooMany(p.child("rules"), rules.size(), 20));
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      FieldPath rp = p.child("rules").index(i);
      String action = Tree.str(rule, "action");
      if (!List.of("FailJob", "FailIndex", "Ignore", "Count").contains(action)) {
        errs.add(Errs.notSupported(rp.child("action"), action, "Count", "FailIndex", "FailJob", "Ignore"));
      }
      JsonNode exitCodes = Tree.get(rule, "onExitCodes");
      int conditions = Tree.size(rule, "onPodConditions");
      if (exitCodes != null && conditions > 0) {
        errs.add(invalidOmitValue(rp, "specifying both OnExitCodes and OnPodConditions is not supported"));
      } else if (exitCodes == null && conditions == 0) {
        errs.add(invalidOmitValue(rp, "specifying one of OnExitCodes and OnPodConditions is required"));
      }
      if (exitCodes != null) {
        FieldPath ep = rp.child("onExitCodes");
        String op = Tree.str(exitCodes, "operator");
        if (!op.equals("In") && !op.equals("NotIn")) errs.add(Errs.notSupported(ep.child("operator"), op, "In", "NotIn"));
        List<JsonNode> values = Tree.list(exitCodes, "values");
        if (values.isEmpty()) errs.add(invalidOmitValue(ep.child("values"), "at least one value is required"));
        long prev = Long.MIN_VALUE;
        for (int v = 0; v < values.size(); v++) {
          long code = values.get(v).asLong();
          if (op.equals("In") && code == 0) errs.add(Errs.invalid(ep.child("values").index(v), code, "must not be 0 for the In operator"));
          if (v > 0 && code == prev) errs.add(Errs.duplicate(ep.child("values").index(v), code));
          else if (v > 0 && code < prev) errs.add(Errs.invalid(ep.child("values").index(v), code, "must be ordered"));
          prev = code;
        }
      }
      List<JsonNode> conds = Tree.list(rule, "onPodConditions");
      for (int c = 0; c < conds.size(); c++) {
        FieldPath cp = rp.child("onPodConditions").index(c);
        String status = Tree.str(conds.get(c), "status");
        if (!List.of("True", "False", "Unknown").contains(status)) errs.add(Errs.notSupported(cp.child("status"), status, "False", "True", "Unknown"));
        String type = Tree.str(conds.get(c), "type");
        for (String msg : NameValidation.isQualifiedName(type)) errs.add(Errs.invalid(cp.child("type"), type, msg));
      }
    }
    return errs;
  }

  /** field.Invalid with the value omitted ({@code Invalid value: detail}). */
  private static FieldError invalidOmitValue(FieldPath p, String detail) {
    return Errs.invalid(p, new GoValue(detail), "");
  }

  public static List<FieldError> jobUpdate(JsonNode job, JsonNode old) {
    List<FieldError> errs = jobSpec(Tree.get(job, "spec"), SPEC);
    JsonNode spec = Tree.get(job, "spec");
    JsonNode oldSpec = Tree.get(old, "spec");
    errs.addAll(completionsUpdate(spec, oldSpec));
    if (!Tree.semanticEquals(Tree.get(spec, "selector"), Tree.get(oldSpec, "selector"))) {
      errs.add(Errs.immutable(SPEC.child("selector"), GoValue.labelSelector(Tree.get(spec, "selector"))));
    }
    errs.addAll(templateUpdate(job, old));
    for (String f : List.of("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy")) {
      JsonNode now = Tree.get(spec, f);
      if (!Tree.semanticEquals(now, Tree.get(oldSpec, f))) {
        errs.add(Errs.immutable(SPEC.child(f), now == null ? null : now.isContainer() ? GoValue.json(now) : now.isNumber() ? now.asLong() : now.asString()));
      }
    }
    return errs;
  }

  private static List<FieldError> completionsUpdate(JsonNode spec, JsonNode oldSpec) {
    Long now = Tree.num(spec, "completions");
    Long before = Tree.num(oldSpec, "completions");
    if (Objects.equals(now, before)) return List.of();
    boolean indexed = "Indexed".equals(Tree.strOrNull(spec, "completionMode"));
    if (!indexed) return List.of(Errs.immutable(SPEC.child("completions"), now));
    if (now == null) return List.of();
    if (!now.equals(Tree.num(spec, "parallelism"))) {
      return List.of(Errs.invalid(SPEC.child("completions"), now, "can only be modified in tandem with spec.parallelism"));
    }
    return List.of();
  }

  /** validatePodTemplateUpdate: a suspended Job that never started may change its scheduling directives. */
  private static List<FieldError> templateUpdate(JsonNode job, JsonNode old) {
    JsonNode template = Tree.at(job, "spec", "template");
    JsonNode oldTemplate = Tree.at(old, "spec", "template");
    ObjectNode before = oldTemplate == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) oldTemplate.deepCopy();
    boolean mutable = Tree.isTrue(Tree.get(old, "spec"), "suspend") && Tree.isTrue(Tree.get(job, "spec"), "suspend")
        && !Tree.has(Tree.get(old, "status"), "startTime");
    if (mutable && template != null) {
      ObjectNode bSpec = before.get("spec") instanceof ObjectNode o ? o : before.putObject("spec");
      JsonNode nSpec = Tree.get(template, "spec");
      for (String f : List.of("nodeSelector", "tolerations", "schedulingGates")) setOrRemove(bSpec, f, Tree.get(nSpec, f));
      JsonNode nAff = Tree.get(nSpec, "affinity");
      JsonNode oAff = Tree.get(bSpec, "affinity");
      if (nAff == null && oAff instanceof ObjectNode oa) {
        oa.remove("nodeAffinity");
        if (oa.isEmpty()) bSpec.remove("affinity");
      } else if (nAff != null && oAff == null) {
        ObjectNode a = bSpec.putObject("affinity");
        setOrRemove(a, "nodeAffinity", Tree.get(nAff, "nodeAffinity"));
      } else if (nAff != null && oAff instanceof ObjectNode oa) {
        setOrRemove(oa, "nodeAffinity", Tree.get(nAff, "nodeAffinity"));
      }
      ObjectNode bMeta = before.get("metadata") instanceof ObjectNode m ? m : before.putObject("metadata");
      JsonNode nMeta = Tree.get(template, "metadata");
      setOrRemove(bMeta, "labels", Tree.get(nMeta, "labels"));
      setOrRemove(bMeta, "annotations", Tree.get(nMeta, "annotations"));
    }
    if (Tree.semanticEquals(template, before)) return List.of();
    return List.of(Errs.immutable(SPEC.child("template"), GoValue.json(template)));
  }

  private static void setOrRemove(ObjectNode o, String f, JsonNode v) {
    if (v == null) o.remove(f);
    else o.set(f, v.deepCopy());
  }

  // ---- CronJob -----------------------------------------------------------------------------------------------------

  public static List<FieldError> cronJob(JsonNode cj) {
    List<FieldError> errs = cronJobSpec(Tree.get(cj, "spec"), null);
    String name = Tree.str(Tree.get(cj, "metadata"), "name");
    if (name.length() > 52) errs.add(Errs.invalid(FieldPath.of("metadata", "name"), name, "must be no more than 52 characters"));
    return errs;
  }

  public static List<FieldError> cronJobUpdate(JsonNode cj, JsonNode old) {
    return cronJobSpec(Tree.get(cj, "spec"), Tree.get(old, "spec"));
  }

  private static final Pattern TZ_PART = Pattern.compile("^[A-Za-z.\\-_0-9+]{1,14}$");

  private static List<FieldError> cronJobSpec(JsonNode spec, JsonNode oldSpec) {
    List<FieldError> errs = new ArrayList<>();
    String schedule = Tree.str(spec, "schedule");
    String tz = Tree.strOrNull(spec, "timeZone");
    FieldPath sp = SPEC.child("schedule");
    if (schedule.isEmpty()) {
      errs.add(Errs.required(sp, ""));
    } else {
      String err = Cron.parseError(schedule);
      if (err != null) errs.add(Errs.invalid(sp, schedule, err));
      boolean allowTZ = oldSpec != null && Tree.str(oldSpec, "schedule").contains("TZ");
      if (allowTZ && schedule.contains("TZ") && tz != null) {
        errs.add(Errs.invalid(sp, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
      } else if (!allowTZ && schedule.contains("TZ")) {
        errs.add(Errs.invalid(sp, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
      }
    }
    Long sds = Tree.num(spec, "startingDeadlineSeconds");
    if (sds != null) Errs.nonNegative(errs, sds, SPEC.child("startingDeadlineSeconds"));
    if (oldSpec == null || !Objects.equals(Tree.strOrNull(oldSpec, "timeZone"), tz)) errs.addAll(timeZone(tz, SPEC.child("timeZone")));
    String cp = Tree.str(spec, "concurrencyPolicy");
    switch (cp) {
      case "Allow", "Forbid", "Replace" -> { }
      case "" -> errs.add(Errs.required(SPEC.child("concurrencyPolicy"), ""));
      default -> errs.add(Errs.notSupported(SPEC.child("concurrencyPolicy"), cp, "Allow", "Forbid", "Replace"));
    }
    JsonNode jt = Tree.get(spec, "jobTemplate");
    FieldPath jp = SPEC.child("jobTemplate");
    JsonNode jspec = Tree.get(jt, "spec");
    errs.addAll(commonJobSpec(jspec, jp.child("spec")));
    if (Tree.has(jspec, "selector")) {
      errs.add(Errs.invalid(jp.child("spec", "selector"), GoValue.labelSelector(Tree.get(jspec, "selector")), "`selector` will be auto-generated"));
    }
    if (Tree.isTrue(jspec, "manualSelector")) errs.add(Errs.notSupported(jp.child("spec", "manualSelector"), true, "nil", "false"));
    for (String f : List.of("successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
      Long v = Tree.num(spec, f);
      if (v != null) Errs.nonNegative(errs, v, SPEC.child(f));
    }
    return errs;
  }

  /** validateTimeZone. */
  private static List<FieldError> timeZone(String tz, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (tz == null) return errs;
    if (tz.isEmpty()) return List.of(Errs.invalid(p, tz, "timeZone must be nil or non-empty string"));
    for (String part : tz.split("/", -1)) {
      if (part.equals(".") || part.equals("..") || part.startsWith("-") || !TZ_PART.matcher(part).matches()) {
        return List.of(Errs.invalid(p, tz, "unknown time zone " + tz));
      }
    }
    if (tz.equalsIgnoreCase("Local")) {
      errs.add(Errs.invalid(p, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
    }
    if (!TimeZones.known(tz)) errs.add(Errs.invalid(p, tz, "unknown time zone " + tz));
    return errs;
  }
}
