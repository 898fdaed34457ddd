package io.kava.apiserver.registry.validation;

import io.kava.api.quantity.Quantity;
import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** Container env, envFrom and the downward API selectors they share with volumes. */
final class EnvValidation {
  private EnvValidation() {}

  static final Set<String> ENV_DOWNWARD_FIELDS = Set.of("metadata.name", "metadata.namespace", "metadata.uid",
      "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");
  private static final Set<String> CONVERTIBLE_FIELDS = Set.of("metadata.annotations", "metadata.labels", "metadata.name",
      "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
      "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");
  private static final List<String> RESOURCE_FIELDS = List.of("limits.cpu", "limits.ephemeral-storage", "limits.memory",
      "requests.cpu", "requests.ephemeral-storage", "requests.memory");
  private static final Set<String> CPU_DIVISORS = Set.of("1m", "1");
  private static final Set<String> BYTE_DIVISORS =
      Set.of("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei");
  private static final String BYTE_DIVISOR_LIST = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";

  /** ValidateEnv (relaxed names, upstream's default since RelaxedEnvironmentVariableValidation). */
  static List<FieldError> env(JsonNode ctr, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> vars = Tree.list(ctr, "env");
    for (int i = 0; i < vars.size(); i++) {
      JsonNode ev = vars.get(i);
      FieldPath idx = p.index(i);
      String name = Tree.str(ev, "name");
      if (name.isEmpty()) {
        errs.add(Errs.required(idx.child("name"), ""));
      } else {
        for (String msg : NameValidation.isRelaxedEnvVarName(name)) errs.add(Errs.invalid(idx.child("name"), name, msg));
      }
      errs.addAll(valueFrom(ev, idx.child("valueFrom")));
    }
    return errs;
  }

  private static List<FieldError> valueFrom(JsonNode ev, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode vf = Tree.get(ev, "valueFrom");
    if (vf == null) return errs;
    int n = 0;
    JsonNode fieldRef = Tree.get(vf, "fieldRef");
    if (fieldRef != null) {
      n++;
      errs.addAll(objectFieldSelector(fieldRef, ENV_DOWNWARD_FIELDS, p.child("fieldRef")));
    }
    JsonNode resourceRef = Tree.get(vf, "resourceFieldRef");
    if (resourceRef != null) {
      n++;
      errs.addAll(resourceFieldSelector(resourceRef, p.child("resourceFieldRef"), false));
    }
    JsonNode cm = Tree.get(vf, "configMapKeyRef");
    if (cm != null) {
      n++;
      errs.addAll(keySelector(cm, p.child("configMapKeyRef")));
    }
    JsonNode secret = Tree.get(vf, "secretKeyRef");
    if (secret != null) {
      n++;
      errs.addAll(keySelector(secret, p.child("secretKeyRef")));
    }
    JsonNode file = Tree.get(vf, "fileKeyRef");
    if (file != null) n++;
    if (n == 0) {
      errs.add(Errs.invalid(p, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
    } else if (!Tree.str(ev, "value").isEmpty()) {
      errs.add(Errs.invalid(p, "", "may not be specified when `value` is not empty"));
    } else if (n > 1) {
      errs.add(Errs.invalid(p, "", "may not have more than one field specified at a time"));
    }
    return errs;
  }

  private static List<FieldError> keySelector(JsonNode s, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String name = Tree.str(s, "name");
    for (String msg : NameValidation.nameIsDNSSubdomain(name, false)) errs.add(Errs.invalid(p.child("name"), name, msg));
    String key = Tree.str(s, "key");
    if (key.isEmpty()) {
      errs.add(Errs.required(p.child("key"), ""));
    } else {
      for (String msg : NameValidation.isConfigMapKey(key)) errs.add(Errs.invalid(p.child("key"), key, msg));
    }
    return errs;
  }

  /** validateObjectFieldSelector. */
  static List<FieldError> objectFieldSelector(JsonNode fs, Set<String> expressions, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String apiVersion = Tree.str(fs, "apiVersion");
    String fieldPath = Tree.str(fs, "fieldPath");
    if (apiVersion.isEmpty()) return List.of(Errs.required(p.child("apiVersion"), ""));
    if (fieldPath.isEmpty()) return List.of(Errs.required(p.child("fieldPath"), ""));
    String[] sub = splitSubscript(fieldPath);
    String converted;
    if (!apiVersion.equals("v1")) {
      return List.of(Errs.invalid(p.child("fieldPath"), fieldPath, "error converting fieldPath: unsupported pod version: " + apiVersion));
    }
    if (sub != null) {
      if (!sub[0].equals("metadata.annotations") && !sub[0].equals("metadata.labels")) {
        return List.of(Errs.invalid(p.child("fieldPath"), fieldPath,
            "error converting fieldPath: field label does not support subscript: " + fieldPath));
      }
      converted = fieldPath;
    } else if (fieldPath.equals("spec.host")) {
      converted = "spec.nodeName";
    } else if (CONVERTIBLE_FIELDS.contains(fieldPath)) {
      converted = fieldPath;
    } else {
      return List.of(Errs.invalid(p.child("fieldPath"), fieldPath, "error converting fieldPath: field label not supported: " + fieldPath));
    }
    String[] csub = splitSubscript(converted);
    if (csub != null) {
      switch (csub[0]) {
        case "metadata.annotations" -> {
          for (String msg : NameValidation.isQualifiedName(csub[1].toLowerCase())) errs.add(Errs.invalid(p, csub[1].toLowerCase(), msg));
        }
        case "metadata.labels" -> {
          for (String msg : NameValidation.isQualifiedName(csub[1])) errs.add(Errs.invalid(p, csub[1], msg));
        }
        default -> errs.add(Errs.invalid(p, csub[0], "does not support subscript"));
      }
    } else if (!expressions.contains(converted)) {
      errs.add(Errs.notSupported(p.child("fieldPath"), converted, new ArrayList<>(new TreeSet<>(expressions))));
    }
    return errs;
  }

  /** fieldpath.SplitMaybeSubscriptedPath: {@code metadata.labels['key']} → [path, key]; null when not subscripted. */
  private static String[] splitSubscript(String fieldPath) {
    if (!fieldPath.endsWith("']")) return null;
    String s = fieldPath.substring(0, fieldPath.length() - 2);
    int i = s.indexOf("['");
    if (i <= 0) return null;
    return new String[] {s.substring(0, i), s.substring(i + 2)};
  }

  /** validateContainerResourceFieldSelector. */
  static List<FieldError> resourceFieldSelector(JsonNode fs, FieldPath p, boolean volume) {
    List<FieldError> errs = new ArrayList<>();
    String resource = Tree.str(fs, "resource");
    if (volume && Tree.str(fs, "containerName").isEmpty()) {
      errs.add(Errs.required(p.child("containerName"), ""));
    } else if (resource.isEmpty()) {
      errs.add(Errs.required(p.child("resource"), ""));
    } else if (!RESOURCE_FIELDS.contains(resource)
        && !resource.startsWith("requests.hugepages-") && !resource.startsWith("limits.hugepages-")) {
      errs.add(Errs.notSupported(p.child("resource"), resource, RESOURCE_FIELDS));
    }
    Quantity divisor = JsonQuantity.parseOrNull(Tree.get(fs, "divisor"));
    if (divisor != null && !divisor.isZero()) {
      String d = divisor.toString();
      FieldPath dp = p.child("divisor");
      switch (resource) {
        case "limits.cpu", "requests.cpu" -> {
          if (!CPU_DIVISORS.contains(d)) errs.add(Errs.invalid(dp, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
        }
        case "limits.memory", "requests.memory" -> {
          if (!BYTE_DIVISORS.contains(d)) {
            errs.add(Errs.invalid(dp, resource, "only divisor's values " + BYTE_DIVISOR_LIST + " are supported with the memory resource"));
          }
        }
        case "limits.ephemeral-storage", "requests.ephemeral-storage" -> {
          if (!BYTE_DIVISORS.contains(d)) {
            errs.add(Errs.invalid(dp, resource, "only divisor's values " + BYTE_DIVISOR_LIST + " are supported with the local ephemeral storage resource"));
          }
        }
        default -> { }
      }
      if ((resource.startsWith("requests.hugepages-") || resource.startsWith("limits.hugepages-")) && !BYTE_DIVISORS.contains(d)) {
        errs.add(Errs.invalid(dp, resource, "only divisor's values " + BYTE_DIVISOR_LIST + " are supported with the hugepages resource"));
      }
    }
    return errs;
  }

  /** ValidateEnvFrom. */
  static List<FieldError> envFrom(JsonNode ctr, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> sources = Tree.list(ctr, "envFrom");
    for (int i = 0; i < sources.size(); i++) {
      JsonNode ev = sources.get(i);
      FieldPath idx = p.index(i);
      String prefix = Tree.str(ev, "prefix");
      if (!prefix.isEmpty()) {
        for (String msg : NameValidation.isRelaxedEnvVarName(prefix)) errs.add(Errs.invalid(idx.child("prefix"), prefix, msg));
      }
      int n = 0;
      for (String kind : List.of("configMapRef", "secretRef")) {
        JsonNode ref = Tree.get(ev, kind);
        if (ref == null) continue;
        n++;
        String name = Tree.str(ref, "name");
        if (name.isEmpty()) {
          errs.add(Errs.required(idx.child(kind).child("name"), ""));
        } else {
          for (String msg : NameValidation.nameIsDNSSubdomain(name, true)) errs.add(Errs.invalid(idx.child(kind).child("name"), name, msg));
        }
      }
      if (n == 0) errs.add(Errs.invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"));
      else if (n > 1) errs.add(Errs.invalid(p, "", "may not have more than one field specified at a time"));
    }
    return errs;
  }
}
