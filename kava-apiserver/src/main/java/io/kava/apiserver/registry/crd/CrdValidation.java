package io.kava.apiserver.registry.crd;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import io.kava.apiserver.registry.Validator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Validation of apiextensions.k8s.io/v1 CustomResourceDefinitions with upstream's paths and messages: the name must
 * be {@code <plural>.<group>}, the names and versions must be well formed, exactly one version is the storage
 * version, every version has a structural schema, printer columns and scale paths are simple JSON paths, and the
 * conversion strategy is None (kava does not call conversion webhooks).
 */
public final class CrdValidation implements Validator {
  public static final CrdValidation INSTANCE = new CrdValidation();

  private static final List<String> COLUMN_TYPES = List.of("boolean", "date", "integer", "number", "string");
  private static final Set<String> COLUMN_FORMATS = Set.of("int32", "int64", "float", "double", "byte", "date", "date-time", "password");

  private CrdValidation() {}

  @Override
  public List<FieldError> validate(JsonNode crd) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = crd.path("spec");
    Crds.Names names = Crds.specNames(crd);
    String group = spec.path("group").asString("");
    String name = Crds.name(crd);
    if (!name.isEmpty() && !name.equals(names.plural() + "." + group)) {
      errs.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
    }

    if (group.isEmpty()) {
      errs.add(FieldError.required("spec.group", ""));
    } else if (!NameValidation.isDNS1123Subdomain(group).isEmpty()) {
      errs.add(FieldError.invalid("spec.group", group, String.join(",", NameValidation.isDNS1123Subdomain(group))));
    } else if (!group.contains(".")) {
      errs.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
    }

    String scope = spec.path("scope").asString("");
    if (scope.isEmpty()) errs.add(FieldError.required("spec.scope", ""));
    else if (!scope.equals("Cluster") && !scope.equals("Namespaced")) errs.add(FieldError.notSupported("spec.scope", scope, List.of("Cluster", "Namespaced")));

    versions(crd, errs);

    if (names.plural().isEmpty()) errs.add(FieldError.required("spec.names.plural", ""));
    if (names.singular().isEmpty()) errs.add(FieldError.required("spec.names.singular", ""));
    if (names.kind().isEmpty()) errs.add(FieldError.required("spec.names.kind", ""));
    if (names.listKind().isEmpty()) errs.add(FieldError.required("spec.names.listKind", ""));
    names(names, "spec.names", errs);

    conversion(spec.path("conversion"), errs);
    if (spec.path("preserveUnknownFields").asBoolean(false)) {
      errs.add(FieldError.invalid("spec.preserveUnknownFields", true,
          "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
    }

    JsonNode accepted = crd.path("status").path("acceptedNames");
    if (accepted.isObject()) names(Crds.Names.of(accepted), "status.acceptedNames", errs);
    storedVersions(crd, errs);
    return errs;
  }

  @Override
  public List<FieldError> validateUpdate(JsonNode crd, JsonNode old) {
    List<FieldError> errs = validate(crd);
    JsonNode spec = crd.path("spec");
    JsonNode oldSpec = old.path("spec");
    if (Crds.conditionTrue(old, "Established")) {
      // these determine the storage and the kind of stored objects
      immutable(spec.path("scope"), oldSpec.path("scope"), "spec.scope", errs);
      immutable(spec.path("names").path("kind"), oldSpec.path("names").path("kind"), "spec.names.kind", errs);
    }
    // part of the CRD's name, which never changes
    immutable(spec.path("group"), oldSpec.path("group"), "spec.group", errs);
    immutable(spec.path("names").path("plural"), oldSpec.path("names").path("plural"), "spec.names.plural", errs);
    return errs;
  }

  private static void immutable(JsonNode now, JsonNode before, String field, List<FieldError> errs) {
    if (!now.asString("").equals(before.asString(""))) errs.add(FieldError.invalid(field, now.asString(""), "field is immutable"));
  }

  // ------------------------------------------------------------------ versions

  private static void versions(JsonNode crd, List<FieldError> errs) {
    List<JsonNode> versions = Crds.versions(crd);
    List<String> versionNames = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean unique = true;
    int storage = 0;
    for (int i = 0; i < versions.size(); i++) {
      JsonNode v = versions.get(i);
      FieldPath path = FieldPath.of("spec", "versions").index(i);
      String vName = v.path("name").asString("");
      versionNames.add(vName);
      if (v.path("storage").asBoolean(false)) storage++;
      if (!seen.add(vName)) unique = false;
      List<String> nameErrs = NameValidation.isDNS1035Label(vName);
      if (!nameErrs.isEmpty()) errs.add(FieldError.invalid(path.child("name").toString(), vName, String.join(",", nameErrs)));
      JsonNode schema = v.path("schema").get("openAPIV3Schema");
      FieldPath schemaPath = path.child("schema", "openAPIV3Schema");
      if (schema == null || !schema.isObject()) {
        errs.add(FieldError.required(schemaPath.toString(), "schemas are required"));
      } else {
        List<FieldError> structural = new ArrayList<>();
        StructuralChecks.check(schema, schemaPath, structural);
        structural.sort((a, b) -> a.message().compareTo(b.message()));
        errs.addAll(structural);
      }
      subresources(v.path("subresources"), path.child("subresources"), errs);
      JsonNode columns = v.path("additionalPrinterColumns");
      for (int c = 0; c < columns.size(); c++) column(columns.get(c), path.child("additionalPrinterColumns").index(c), errs);
    }
    if (!unique) errs.add(FieldError.invalid("spec.versions", versionNames, "must contain unique version names"));
    if (storage != 1) errs.add(FieldError.invalid("spec.versions", versionNames, "must have exactly one version marked as storage version"));
  }

  private static void subresources(JsonNode sub, FieldPath path, List<FieldError> errs) {
    JsonNode scale = sub.get("scale");
    if (scale == null || !scale.isObject()) return;
    FieldPath sp = path.child("scale");
    String specPath = scale.path("specReplicasPath").asString("");
    if (specPath.isEmpty()) errs.add(FieldError.required(sp.child("specReplicasPath").toString(), ""));
    else if (simpleJsonPath(specPath, sp.child("specReplicasPath"), errs) && !specPath.startsWith(".spec.")) {
      errs.add(FieldError.invalid(sp.child("specReplicasPath").toString(), specPath, "should be a json path under .spec"));
    }
    String statusPath = scale.path("statusReplicasPath").asString("");
    if (statusPath.isEmpty()) errs.add(FieldError.required(sp.child("statusReplicasPath").toString(), ""));
    else if (simpleJsonPath(statusPath, sp.child("statusReplicasPath"), errs) && !statusPath.startsWith(".status.")) {
      errs.add(FieldError.invalid(sp.child("statusReplicasPath").toString(), statusPath, "should be a json path under .status"));
    }
    String selector = scale.path("labelSelectorPath").asString("");
    if (!selector.isEmpty() && simpleJsonPath(selector, sp.child("labelSelectorPath"), errs)
        && !selector.startsWith(".spec.") && !selector.startsWith(".status.")) {
      errs.add(FieldError.invalid(sp.child("labelSelectorPath").toString(), selector, "should be a json path under either .spec or .status"));
    }
  }

  /** True when {@code s} is a dot-notation path; otherwise records why not. */
  private static boolean simpleJsonPath(String s, FieldPath path, List<FieldError> errs) {
    if (s.isEmpty()) {
      errs.add(FieldError.invalid(path.toString(), s, "must not be empty"));
      return false;
    }
    if (s.charAt(0) != '.') {
      errs.add(FieldError.invalid(path.toString(), s, "must be a simple json path starting with ."));
      return false;
    }
    return true;
  }

  private static void column(JsonNode col, FieldPath path, List<FieldError> errs) {
    if (col.path("name").asString("").isEmpty()) errs.add(FieldError.required(path.child("name").toString(), ""));
    String type = col.path("type").asString("");
    String oneOf = "must be one of " + String.join(",", COLUMN_TYPES);
    if (type.isEmpty()) errs.add(FieldError.required(path.child("type").toString(), oneOf));
    else if (!COLUMN_TYPES.contains(type)) errs.add(FieldError.invalid(path.child("type").toString(), type, oneOf));
    String format = col.path("format").asString("");
    if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
      errs.add(FieldError.invalid(path.child("format").toString(), format,
          "must be one of " + String.join(",", COLUMN_FORMATS.stream().sorted().toList())));
    }
    String jsonPath = col.path("jsonPath").asString("");
    if (jsonPath.isEmpty()) errs.add(FieldError.required(path.child("jsonPath").toString(), ""));
    else simpleJsonPath(jsonPath, path.child("jsonPath"), errs);
  }

  // ------------------------------------------------------------------ names, conversion, stored versions

  private static void names(Crds.Names n, String path, List<FieldError> errs) {
    dns1035(n.plural(), n.plural(), path + ".plural", "", errs);
    dns1035(n.singular(), n.singular(), path + ".singular", "", errs);
    dns1035(Crds.lower(n.kind()), n.kind(), path + ".kind", "may have mixed case, but should otherwise match: ", errs);
    dns1035(Crds.lower(n.listKind()), n.listKind(), path + ".listKind", "may have mixed case, but should otherwise match: ", errs);
    for (int i = 0; i < n.shortNames().size(); i++) {
      String s = n.shortNames().get(i);
      List<String> e = NameValidation.isDNS1035Label(s);
      if (!e.isEmpty()) errs.add(FieldError.invalid(path + ".shortNames[" + i + "]", s, String.join(",", e)));
    }
    if (!n.kind().isEmpty() && n.kind().equals(n.listKind())) {
      errs.add(FieldError.invalid(path + ".listKind", n.listKind(), "kind and listKind may not be the same"));
    }
    for (int i = 0; i < n.categories().size(); i++) {
      String c = n.categories().get(i);
      List<String> e = NameValidation.isDNS1035Label(c);
      if (!e.isEmpty()) errs.add(FieldError.invalid(path + ".categories[" + i + "]", c, String.join(",", e)));
    }
  }

  private static void dns1035(String checked, String shown, String path, String prefix, List<FieldError> errs) {
    if (checked.isEmpty()) return;
    List<String> e = NameValidation.isDNS1035Label(checked);
    if (!e.isEmpty()) errs.add(FieldError.invalid(path, shown, prefix + String.join(",", e)));
  }

  private static void conversion(JsonNode conversion, List<FieldError> errs) {
    if (conversion.isMissingNode() || conversion.isNull()) return;
    String strategy = conversion.path("strategy").asString("");
    switch (strategy) {
      case "" -> errs.add(FieldError.required("spec.conversion.strategy", ""));
      case "None" -> {
        if (conversion.has("webhook") && !conversion.get("webhook").isNull()) {
          errs.add(FieldError.forbidden("spec.conversion.webhook", "should not be set when strategy is not set to Webhook"));
        }
      }
      // Upstream calls a conversion webhook; kava serves every version of a custom resource with the same content.
      case "Webhook" -> errs.add(new FieldError(FieldError.Type.NOT_SUPPORTED, "spec.conversion.strategy", strategy,
          "supported values: \"None\" (conversion webhooks are not supported by this server)"));
      default -> errs.add(FieldError.notSupported("spec.conversion.strategy", strategy, List.of("None", "Webhook")));
    }
  }

  private static void storedVersions(JsonNode crd, List<FieldError> errs) {
    List<JsonNode> versions = Crds.versions(crd);
    long storage = versions.stream().filter(v -> v.path("storage").asBoolean(false)).count();
    if (storage != 1) return; // already reported; storedVersions follows from it
    List<String> stored = Crds.storedVersions(crd);
    if (stored.isEmpty()) {
      errs.add(FieldError.invalid("status.storedVersions", stored, "must have at least one stored version"));
      return;
    }
    Set<String> declared = new HashSet<>();
    for (JsonNode v : versions) {
      String n = v.path("name").asString("");
      declared.add(n);
      if (v.path("storage").asBoolean(false) && !stored.contains(n)) {
        errs.add(FieldError.invalid("status.storedVersions", stored, "must have the storage version " + n));
      }
    }
    for (int i = 0; i < stored.size(); i++) {
      if (!declared.contains(stored.get(i))) errs.add(FieldError.invalid("status.storedVersions[" + i + "]", stored.get(i), "must appear in spec.versions"));
    }
  }
}
