package io.kava.apiserver.openapi;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream's names for API types. OpenAPI definitions are named after the Go package of the type
 * ({@code io.k8s.api.core.v1.Pod}, {@code io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta}); the patch metadata
 * table names types by their last two package segments ({@code core/v1.Pod}); API groups map to Go packages
 * ({@code rbac.authorization.k8s.io} is {@code rbac}). This class converts between the three.
 */
final class TypeNames {
  private TypeNames() {}

  static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
  static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  static final String TIME = META + "Time";
  static final String MICRO_TIME = META + "MicroTime";
  static final String FIELDS_V1 = META + "FieldsV1";
  static final String PATCH = META + "Patch";
  static final String STATUS = META + "Status";
  static final String DELETE_OPTIONS = META + "DeleteOptions";
  static final String WATCH_EVENT = META + "WatchEvent";
  static final String API_RESOURCE_LIST = META + "APIResourceList";
  static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
  static final String VERSION_INFO = "io.k8s.apimachinery.pkg.version.Info";
  static final String APIEXTENSIONS = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.";
  static final String APIREGISTRATION = "io.k8s.kube-aggregator.pkg.apis.apiregistration.";

  /** Types of k8s.io/apimachinery/pkg/apis/meta/v1 the Java client names V1Xxx. */
  static final Set<String> META_TYPES = Set.of("APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions",
      "Condition", "DeleteOptions", "FieldSelectorRequirement", "GroupVersionForDiscovery", "LabelSelector",
      "LabelSelectorRequirement", "ListMeta", "ManagedFieldsEntry", "ObjectMeta", "OwnerReference", "Preconditions",
      "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails", "WatchEvent");

  private static final Pattern VERSIONED = Pattern.compile("^(V\\d+(?:alpha\\d+|beta\\d+)?)([A-Z]\\w*)$");
  private static final Pattern GROUP_PREFIXED = Pattern.compile("^([A-Z][a-z]+)(V\\d+(?:alpha\\d+|beta\\d+)?)([A-Z]\\w*)$");

  /** A Java model's simple name split into Go package (or null when unknown), version and type name. */
  record ModelName(String pkg, String version, String name) {}

  /**
   * Parses a Java client model name: {@code V1Pod} is (null, v1, Pod); {@code CoreV1Event} is (core, v1, Event) (the
   * client prefixes the Go package where two packages have a type of the same name and version).
   */
  static ModelName parseModel(String simpleName) {
    Matcher m = VERSIONED.matcher(simpleName);
    if (m.matches()) {
      String version = m.group(1).toLowerCase(Locale.ROOT);
      String name = m.group(2);
      return new ModelName(version.equals("v1") && META_TYPES.contains(name) ? "meta" : null, version, name);
    }
    m = GROUP_PREFIXED.matcher(simpleName);
    if (m.matches()) return new ModelName(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT), m.group(3));
    return null;
  }

  /** The Go package of an API group: "" is core, {@code rbac.authorization.k8s.io} is rbac. */
  static String packageOfGroup(String group) {
    if (group.isEmpty()) return "core";
    if (group.equals("internal.apiserver.k8s.io")) return "apiserverinternal";
    int dot = group.indexOf('.');
    return dot < 0 ? group : group.substring(0, dot);
  }

  /** The definition-name prefix of a Go package and version: (core, v1) is {@code io.k8s.api.core.v1.}. */
  static String definitionPrefix(String pkg, String version) {
    return switch (pkg) {
      case "meta" -> "io.k8s.apimachinery.pkg.apis.meta." + version + ".";
      case "apiextensions" -> APIEXTENSIONS + version + ".";
      case "apiregistration" -> APIREGISTRATION + version + ".";
      default -> "io.k8s.api." + pkg + "." + version + ".";
    };
  }

  /** The patch metadata name of a definition: {@code io.k8s.api.core.v1.Pod} is {@code core/v1.Pod}. */
  static String goName(String definition) {
    String[] p = definition.split("\\.");
    if (p.length < 3) return definition;
    return p[p.length - 3] + "/" + p[p.length - 2] + "." + p[p.length - 1];
  }

  /** The definition of a patch metadata struct name ({@code core/v1.Pod}), or null when it is not a struct name. */
  static String fromGoName(String goName) {
    int slash = goName.indexOf('/');
    int dot = goName.indexOf('.', slash + 1);
    if (slash <= 0 || dot < 0) return null;
    return definitionPrefix(goName.substring(0, slash), goName.substring(slash + 1, dot)) + goName.substring(dot + 1);
  }

  /** {@code rbac.authorization.k8s.io} → {@code RbacAuthorization}, "" → {@code Core}: the group in operation ids. */
  static String groupWord(String group) {
    if (group.isEmpty()) return "Core";
    String g = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
    StringBuilder b = new StringBuilder();
    for (String part : g.split("[.-]")) {
      if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.toString();
  }

  /** The operation tag of a group version: {@code core_v1}, {@code rbacAuthorization_v1}. */
  static String tag(String group, String version) {
    String w = groupWord(group);
    return Character.toLowerCase(w.charAt(0)) + w.substring(1) + "_" + version;
  }

  static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
