package io.kava.apiserver.registry.crd;

import io.kava.api.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reading apiextensions.k8s.io/v1 CustomResourceDefinition objects (JSON trees) and the few facts derived from them:
 * the names, the versions in upstream's priority order, the storage version, conditions.
 */
public final class Crds {
  private Crds() {}

  public static final String GROUP = "apiextensions.k8s.io";
  public static final String VERSION = "v1";
  public static final String KIND = "CustomResourceDefinition";
  public static final String PLURAL = "customresourcedefinitions";
  /** Held by a deleted CRD until its custom resources are gone. */
  public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

  /** The names of a CRD (spec.names or status.acceptedNames). */
  public record Names(String plural, String singular, String kind, String listKind, List<String> shortNames, List<String> categories) {
    static Names of(JsonNode n) {
      return new Names(n.path("plural").asString(""), n.path("singular").asString(""), n.path("kind").asString(""),
          n.path("listKind").asString(""), strings(n.get("shortNames")), strings(n.get("categories")));
    }

    boolean isEmpty() { return plural.isEmpty() && kind.isEmpty(); }

    ObjectNode toJson() {
      ObjectNode o = Json.object();
      if (!categories.isEmpty()) categories.forEach(o.putArray("categories")::add);
      o.put("kind", kind);
      if (!listKind.isEmpty()) o.put("listKind", listKind);
      o.put("plural", plural);
      if (!shortNames.isEmpty()) shortNames.forEach(o.putArray("shortNames")::add);
      if (!singular.isEmpty()) o.put("singular", singular);
      return o;
    }
  }

  public static String name(JsonNode crd) { return crd.path("metadata").path("name").asString(""); }

  public static String group(JsonNode crd) { return crd.path("spec").path("group").asString(""); }

  public static boolean namespaced(JsonNode crd) { return "Namespaced".equals(crd.path("spec").path("scope").asString("")); }

  public static Names specNames(JsonNode crd) { return Names.of(crd.path("spec").path("names")); }

  public static Names acceptedNames(JsonNode crd) { return Names.of(crd.path("status").path("acceptedNames")); }

  /** spec.versions, in the order written. */
  public static List<JsonNode> versions(JsonNode crd) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode vs = crd.path("spec").path("versions");
    if (vs.isArray()) vs.forEach(out::add);
    return out;
  }

  /** The name of the version marked {@code storage: true}, or null. */
  public static String storageVersion(JsonNode crd) {
    for (JsonNode v : versions(crd)) if (v.path("storage").asBoolean(false)) return v.path("name").asString("");
    return null;
  }

  public static List<String> storedVersions(JsonNode crd) { return strings(crd.path("status").get("storedVersions")); }

  public static boolean isDeleting(JsonNode crd) { return crd.path("metadata").has("deletionTimestamp"); }

  public static boolean hasFinalizer(JsonNode crd, String finalizer) {
    for (JsonNode f : crd.path("metadata").path("finalizers")) if (f.asString("").equals(finalizer)) return true;
    return false;
  }

  /** The condition of {@code type} in status.conditions, or null. */
  public static JsonNode condition(JsonNode crd, String type) {
    for (JsonNode c : crd.path("status").path("conditions")) if (type.equals(c.path("type").asString(""))) return c;
    return null;
  }

  public static boolean conditionTrue(JsonNode crd, String type) {
    JsonNode c = condition(crd, type);
    return c != null && "True".equals(c.path("status").asString(""));
  }

  /**
   * Sets a condition in {@code status}, keeping its lastTransitionTime when the status does not change (upstream's
   * SetCRDCondition). Conditions keep their order; a new one is appended.
   */
  static void setCondition(ObjectNode status, String type, String value, String reason, String message, String now) {
    ArrayNode conditions = status.withArray("conditions");
    ObjectNode existing = null;
    for (JsonNode c : conditions) if (type.equals(c.path("type").asString(""))) existing = (ObjectNode) c;
    String transition = existing != null && value.equals(existing.path("status").asString("")) && existing.has("lastTransitionTime")
        ? existing.path("lastTransitionTime").asString() : now;
    ObjectNode c = existing != null ? existing : conditions.addObject();
    c.removeAll();
    c.put("lastTransitionTime", transition);
    c.put("message", message);
    c.put("reason", reason);
    c.put("status", value);
    c.put("type", type);
  }

  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) for (JsonNode s : n) out.add(s.asString(""));
    return out;
  }

  static String lower(String s) { return s.toLowerCase(Locale.ROOT); }

  // ------------------------------------------------------------------ version priority

  private static final Pattern KUBE_VERSION = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

  /**
   * Upstream's kube-aware version order, highest priority first: GA before beta before alpha, higher numbers first
   * (v2, v1, v1beta2, v1beta1, v1alpha1), then versions of any other form in lexical order.
   */
  public static final Comparator<String> VERSION_PRIORITY = (a, b) -> {
    Matcher ma = KUBE_VERSION.matcher(a);
    Matcher mb = KUBE_VERSION.matcher(b);
    boolean ka = ma.matches();
    boolean kb = mb.matches();
    if (!ka || !kb) {
      if (ka != kb) return ka ? -1 : 1;
      return a.compareTo(b);
    }
    int stability = Integer.compare(stability(mb.group(2)), stability(ma.group(2)));
    if (stability != 0) return stability;
    int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
    if (major != 0) return major;
    if (ma.group(3) == null) return 0;
    return Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
  };

  private static int stability(String level) {
    if (level == null) return 2;
    return level.equals("beta") ? 1 : 0;
  }

  /** Converts a simple JSON path ({@code .spec.replicas}) to a JSON pointer ({@code /spec/replicas}). */
  static String pointer(String jsonPath) {
    if (jsonPath == null || jsonPath.isEmpty()) return null;
    String p = jsonPath.startsWith(".") ? jsonPath.substring(1) : jsonPath;
    StringBuilder b = new StringBuilder();
    for (String part : p.split("\\.")) b.append('/').append(part.replace("~", "~0").replace("/", "~1"));
    return b.toString();
  }
}
