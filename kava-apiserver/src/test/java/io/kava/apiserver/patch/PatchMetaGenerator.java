package io.kava.apiserver.patch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Regenerates {@code PatchMetaData.java} (the strategic-merge / list-type table) from the Go API type definitions.
 * Not a test: run it by hand when the served API changes.
 *
 * <p>Usage: {@code PatchMetaGenerator <out PatchMetaData.java> <source note> <pkgId>=<group>=<dir> ...}, where each dir
 * holds the {@code .go} files of one API package, e.g. {@code core/v1==/tmp/k8stypes/core/v1} and
 * {@code apps/v1=apps=/tmp/k8stypes/apps/v1}; a group of {@code -} parses a package without taking kinds from it
 * ({@code meta/v1} from apimachinery must be among them). It reads only the
 * protocol facts: JSON field names, the {@code patchStrategy}/{@code patchMergeKey} struct tags and the
 * {@code +listType}, {@code +listMapKey}, {@code +mapType}, {@code +structType} markers, and keeps only what differs from
 * the defaults (fields that lead to such a tag, or carry one).
 *
 * <p>How the checked-in table was made: {@code $D/<pkg>/} holds {@code types.go} of each package from kubernetes/api
 * (plus {@code meta/v1/types.go} and {@code group_version.go} from apimachinery's {@code pkg/apis/meta/v1},
 * {@code apiextensions/v1/types*.go} from apiextensions-apiserver, {@code apiregistration/v1/types.go} from
 * kube-aggregator), then, from the module root with JDK 25's source launcher:
 * <pre>
 * java src/test/java/io/kava/apiserver/patch/PatchMetaGenerator.java \
 *   src/main/java/io/kava/apiserver/patch/PatchMetaData.java "&lt;source note&gt;" \
 *   core/v1==$D/core/v1 apps/v1=apps=$D/apps/v1 batch/v1=batch=$D/batch/v1 autoscaling/v1=autoscaling=$D/autoscaling/v1
 *   autoscaling/v2=autoscaling=$D/autoscaling/v2 networking/v1=networking.k8s.io=$D/networking/v1
 *   rbac/v1=rbac.authorization.k8s.io=$D/rbac/v1 discovery/v1=discovery.k8s.io=$D/discovery/v1 policy/v1=policy=$D/policy/v1
 *   coordination/v1=coordination.k8s.io=$D/coordination/v1 storage/v1=storage.k8s.io=$D/storage/v1
 *   scheduling/v1=scheduling.k8s.io=$D/scheduling/v1 node/v1=node.k8s.io=$D/node/v1
 *   certificates/v1=certificates.k8s.io=$D/certificates/v1 events/v1=events.k8s.io=$D/events/v1
 *   flowcontrol/v1=flowcontrol.apiserver.k8s.io=$D/flowcontrol/v1
 *   admissionregistration/v1=admissionregistration.k8s.io=$D/admissionregistration/v1 resource/v1=resource.k8s.io=$D/resource/v1
 *   authentication/v1=authentication.k8s.io=$D/authentication/v1 authorization/v1=authorization.k8s.io=$D/authorization/v1
 *   storagemigration/v1=storagemigration.k8s.io=$D/storagemigration/v1 meta/v1=-=$D/meta/v1
 *   apiextensions/v1=apiextensions.k8s.io=$D/apiextensions/v1 apiregistration/v1=apiregistration.k8s.io=$D/apiregistration/v1
 *   scheduling/v1alpha3=-=$D/scheduling/v1alpha3
 * </pre>
 * (scheduling/v1alpha3 only because batch/v1 refers to one of its types.) To serve another group version, add it
 * and regenerate.
 */
public final class PatchMetaGenerator {
  private static final Pattern TAG = Pattern.compile("(\\w+):\"([^\"]*)\"");
  private static final Pattern IMPORT = Pattern.compile("^\\s*(?:import\\s+)?(\\w+\\s+)?\"([^\"]+)\"\\s*$");
  private static final Set<String> GO_SCALARS = Set.of("string", "bool", "int", "int8", "int16", "int32", "int64", "uint",
      "uint8", "uint16", "uint32", "uint64", "float32", "float64", "byte", "rune");
  /** Types outside the parsed packages (or with custom JSON encodings) and how they look on the wire. */
  private static final Map<String, String> SPECIAL = Map.ofEntries(
      Map.entry("k8s.io/apimachinery/pkg/api/resource.Quantity", "-"),
      Map.entry("k8s.io/apimachinery/pkg/util/intstr.IntOrString", "-"),
      Map.entry("k8s.io/apimachinery/pkg/runtime.RawExtension", "*"),
      Map.entry("meta/v1.Time", "-"),
      Map.entry("meta/v1.MicroTime", "-"),
      Map.entry("meta/v1.Duration", "-"),
      Map.entry("meta/v1.FieldsV1", "*"),
      Map.entry("apiextensions/v1.JSON", "*"),
      Map.entry("apiextensions/v1.JSONSchemaPropsOrArray", "*"),
      Map.entry("apiextensions/v1.JSONSchemaPropsOrBool", "*"),
      Map.entry("apiextensions/v1.JSONSchemaPropsOrStringArray", "*"));

  record Field(String goName, String json, String goType, boolean inline, Map<String, String> tags, List<String> markers) {}

  record GoType(String pkg, String name, List<Field> fields, String alias, List<String> markers, Map<String, String> imports) {
    boolean isStruct() { return fields != null; }
  }

  /** A resolved field, ready to print. */
  record Out(String json, String type, String ps, String mk, String lt, String lk, String mt, String st) {
    boolean hasTags() { return ps != null || mk != null || lt != null || lk != null || mt != null || st != null; }
  }

  private final Map<String, GoType> types = new LinkedHashMap<>();
  private final Map<String, String> pkgGroup = new LinkedHashMap<>();

  public static void main(String[] args) throws IOException {
    PatchMetaGenerator g = new PatchMetaGenerator();
    for (int i = 2; i < args.length; i++) {
      String[] p = args[i].split("=", 3);
      g.pkgGroup.put(p[0], p[1]);
      try (Stream<Path> files = Files.list(Path.of(p[2]))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".go")).sorted().toList()) g.parse(p[0], Files.readAllLines(f));
      }
    }
    Files.writeString(Path.of(args[0]), g.render(args[1]));
  }

  // ---------------------------------------------------------------- Go parsing

  private void parse(String pkg, List<String> lines) {
    Map<String, String> imports = new HashMap<>();
    List<String> comments = new ArrayList<>();
    boolean inImports = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String t = line.trim();
      if (t.startsWith("import (")) { inImports = true; continue; }
      if (inImports) {
        if (t.equals(")")) { inImports = false; continue; }
        addImport(imports, t);
        continue;
      }
      if (t.startsWith("import ")) { addImport(imports, t); continue; }
      if (t.startsWith("//")) { comments.add(t); continue; }
      if (t.isEmpty()) continue;
      if (t.startsWith("/*")) {
        while (!lines.get(i).contains("*/")) i++;
        continue;
      }
      if (line.startsWith("type ") && t.endsWith("struct{}")) {
        types.put(pkg + "." + t.split("\\s+")[1], new GoType(pkg, t.split("\\s+")[1], List.of(), null, markers(comments), imports));
      } else if (line.startsWith("type ") && t.endsWith("struct {")) {
        String name = t.split("\\s+")[1];
        List<Field> fields = new ArrayList<>();
        List<String> fieldComments = new ArrayList<>();
        int depth = 1;
        for (i++; i < lines.size(); i++) {
          String f = lines.get(i).trim();
          if (f.startsWith("//")) { fieldComments.add(f); continue; }
          if (f.startsWith("/*")) {
            while (!lines.get(i).contains("*/")) i++;
            continue;
          }
          if (f.endsWith("{")) depth++;
          if (f.startsWith("}")) { if (--depth == 0) break; continue; }
          if (depth > 1 || f.isEmpty()) continue;
          Field field = parseField(f, fieldComments);
          if (field != null) fields.add(field);
          fieldComments = new ArrayList<>();
        }
        types.put(pkg + "." + name, new GoType(pkg, name, fields, null, markers(comments), imports));
      } else if (line.startsWith("type ")) {
        String[] p = t.split("\\s+", 3);
        types.put(pkg + "." + p[1], new GoType(pkg, p[1], null, p[2].replaceAll("//.*", "").trim(), markers(comments), imports));
      }
      comments = new ArrayList<>();
    }
  }

  private static void addImport(Map<String, String> imports, String t) {
    Matcher m = IMPORT.matcher(t);
    if (!m.matches()) return;
    String path = m.group(2);
    String alias = m.group(1) != null ? m.group(1).trim() : path.substring(path.lastIndexOf('/') + 1);
    imports.put(alias, path);
  }

  private static List<String> markers(List<String> comments) {
    List<String> out = new ArrayList<>();
    for (String c : comments) {
      String s = c.substring(2).trim();
      if (s.startsWith("+listType=") || s.startsWith("+listMapKey=") || s.startsWith("+mapType=") || s.startsWith("+structType=")) {
        out.add(s.substring(1));
      }
    }
    return out;
  }

  private static Field parseField(String f, List<String> comments) {
    int tick = f.indexOf('`');
    String head = (tick >= 0 ? f.substring(0, tick) : f.replaceAll("//.*", "")).trim();
    Map<String, String> tags = new HashMap<>();
    if (tick >= 0) {
      Matcher m = TAG.matcher(f.substring(tick));
      while (m.find()) tags.put(m.group(1), m.group(2));
    }
    String[] parts = head.split("\\s+");
    String json = tags.getOrDefault("json", "");
    String jsonName = json.split(",", -1)[0];
    if (jsonName.equals("-")) return null;
    if (parts.length == 1) { // embedded
      boolean inline = jsonName.isEmpty();
      return new Field(parts[0], inline ? "" : jsonName, parts[0], inline, tags, markers(comments));
    }
    if (parts.length != 2) return null;
    if (!Character.isUpperCase(parts[0].charAt(0))) return null; // unexported
    return new Field(parts[0], jsonName.isEmpty() ? parts[0] : jsonName, parts[1], false, tags, markers(comments));
  }

  // ---------------------------------------------------------------- resolution

  /** A package-qualified path for an import path, or the import path itself when not parsed. */
  private String pkgOf(String importPath) {
    if (importPath.startsWith("k8s.io/api/")) return importPath.substring("k8s.io/api/".length());
    if (importPath.equals("k8s.io/apimachinery/pkg/apis/meta/v1")) return "meta/v1";
    if (importPath.endsWith("/apis/apiextensions/v1")) return "apiextensions/v1";
    if (importPath.endsWith("/apis/apiregistration/v1")) return "apiregistration/v1";
    return importPath;
  }

  /** Type expression: {@code -} scalar, {@code *} any JSON, {@code pkg.Name} struct, {@code []E}, {@code {}E}. */
  String resolve(GoType ctx, String expr) {
    expr = expr.startsWith("*") ? expr.substring(1) : expr;
    if (expr.equals("[]byte")) return "-";
    if (expr.startsWith("[]")) return "[]" + resolve(ctx, expr.substring(2));
    if (expr.startsWith("map[")) {
      int depth = 0, i = 3;
      for (; i < expr.length(); i++) {
        char c = expr.charAt(i);
        if (c == '[') depth++;
        else if (c == ']' && --depth == 0) break;
      }
      return "{}" + resolve(ctx, expr.substring(i + 1));
    }
    if (expr.equals("interface{}") || expr.equals("any")) return "*";
    if (GO_SCALARS.contains(expr)) return "-";
    String qualified;
    int dot = expr.indexOf('.');
    if (dot > 0) {
      String path = ctx.imports().get(expr.substring(0, dot));
      if (path == null) throw new IllegalStateException("unknown import in " + ctx.name() + ": " + expr);
      qualified = pkgOf(path) + "." + expr.substring(dot + 1);
    } else {
      qualified = ctx.pkg() + "." + expr;
    }
    String special = SPECIAL.get(qualified);
    if (special != null) return special;
    if (qualified.startsWith("k8s.io/apimachinery/pkg/types.")) return "-";
    GoType t = types.get(qualified);
    if (t == null) {
      System.err.println("warning: unknown type " + qualified + " (treated as any JSON)");
      return "*";
    }
    if (t.isStruct()) return qualified;
    return resolve(t, t.alias());
  }

  /** The JSON-visible fields of a struct, with inlined (embedded) structs flattened; outer fields win. */
  List<Out> fields(GoType t) {
    Map<String, Out> out = new LinkedHashMap<>();
    for (Field f : t.fields()) {
      if (f.inline()) {
        String ref = resolve(t, f.goType());
        GoType inner = types.get(ref);
        if (inner == null || !inner.isStruct()) continue;
        for (Out o : fields(inner)) out.putIfAbsent(o.json(), o);
        continue;
      }
      String type = resolve(t, f.goType());
      List<String> markers = new ArrayList<>(f.markers());
      // markers on a named list/map type apply to every field of that type
      String bare = f.goType().replace("*", "");
      if (!bare.startsWith("[]") && !bare.startsWith("map[")) {
        GoType named = types.get(bare.contains(".") ? null : t.pkg() + "." + bare);
        if (named != null && !named.isStruct()) markers.addAll(named.markers());
      }
      String lt = null, mt = null, st = null;
      List<String> keys = new ArrayList<>();
      for (String m : markers) {
        String[] kv = m.split("=", 2);
        switch (kv[0]) {
          case "listType" -> lt = kv[1];
          case "listMapKey" -> keys.add(kv[1]);
          case "mapType" -> mt = kv[1];
          case "structType" -> st = kv[1];
          default -> {}
        }
      }
      String ps = emptyToNull(f.tags().get("patchStrategy"));
      // defaults are not recorded: an unmarked list is atomic, an unmarked map or struct granular (an explicit
      // atomic list with a merge strategy is kept: apply would otherwise derive a map or set from the strategy)
      if ("atomic".equals(lt) && (ps == null || !ps.contains("merge"))) lt = null;
      if ("granular".equals(mt)) mt = null;
      if ("granular".equals(st)) st = null;
      String mk = emptyToNull(f.tags().get("patchMergeKey"));
      out.put(f.json(), new Out(f.json(), type, ps, mk, lt, keys.isEmpty() ? null : String.join(",", keys), mt, st));
    }
    return new ArrayList<>(out.values());
  }

  private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }

  private static String elementRef(String type) {
    while (type.startsWith("[]") || type.startsWith("{}")) type = type.substring(2);
    return type.equals("-") || type.equals("*") ? null : type;
  }

  // ---------------------------------------------------------------- output

  String render(String note) {
    // roots: kinds with TypeMeta inline and an ObjectMeta
    Map<String, String> kinds = new TreeMap<>();
    for (GoType t : types.values()) {
      if (!t.isStruct() || "-".equals(pkgGroup.get(t.pkg()))) continue;
      boolean typeMeta = false, objectMeta = false;
      for (Field f : t.fields()) {
        if (f.inline() && f.goType().endsWith("TypeMeta")) typeMeta = true;
        if (f.json().equals("metadata") && f.goType().endsWith("ObjectMeta")) objectMeta = true;
      }
      if (!typeMeta || !objectMeta) continue;
      String group = pkgGroup.get(t.pkg());
      String version = t.pkg().substring(t.pkg().indexOf('/') + 1);
      kinds.put((group.isEmpty() ? version : group + "/" + version) + " " + t.name(), t.pkg() + "." + t.name());
    }
    // interesting types: carry a tag themselves or (transitively) through a field
    Map<String, List<Out>> resolved = new LinkedHashMap<>();
    for (String k : new LinkedHashSet<>(kinds.values())) collect(k, resolved);
    Set<String> interesting = new LinkedHashSet<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<String, List<Out>> e : resolved.entrySet()) {
        if (interesting.contains(e.getKey())) continue;
        boolean yes = typeAtomic(e.getKey()) || e.getValue().stream().anyMatch(o -> o.hasTags() || interesting.contains(elementRef(o.type())));
        if (yes) { interesting.add(e.getKey()); changed = true; }
      }
    }
    StringBuilder data = new StringBuilder();
    for (Map.Entry<String, String> k : kinds.entrySet()) data.append("K ").append(k.getKey()).append(' ').append(k.getValue()).append('\n');
    for (Map.Entry<String, List<Out>> e : resolved.entrySet()) {
      if (!interesting.contains(e.getKey()) && !kinds.containsValue(e.getKey())) continue;
      data.append("T ").append(e.getKey());
      if (typeAtomic(e.getKey())) data.append(" st=atomic");
      data.append('\n');
      for (Out o : e.getValue()) {
        if (!o.hasTags() && !interesting.contains(elementRef(o.type()))) continue;
        data.append("F ").append(o.json()).append(' ').append(shorten(o.type()));
        if (o.ps() != null) data.append(" ps=").append(o.ps());
        if (o.mk() != null) data.append(" mk=").append(o.mk());
        if (o.lt() != null) data.append(" lt=").append(o.lt());
        if (o.lk() != null) data.append(" lk=").append(o.lk());
        if (o.mt() != null) data.append(" mt=").append(o.mt());
        if (o.st() != null) data.append(" st=").append(o.st());
        data.append('\n');
      }
    }
    // Java string constants are limited to 64 KiB: split the table into chunks at line ends
    List<String> chunks = new ArrayList<>();
    String all = data.toString();
    int start = 0;
    while (start < all.length()) {
      int end = Math.min(all.length(), start + 50_000);
      if (end < all.length()) end = all.lastIndexOf('\n', end) + 1;
      chunks.add(all.substring(start, end));
      start = end;
    }
    StringBuilder java = new StringBuilder();
    java.append("package io.kava.apiserver.patch;\n\n");
    java.append("/**\n * GENERATED by PatchMetaGenerator (src/test/java) from ").append(note).append(".\n");
    java.append(" * Do not edit by hand; regenerate instead.\n *\n");
    java.append(" * <p>Lines: {@code K apiVersion kind type} names a root kind; {@code T type [st=atomic]} starts a struct;\n");
    java.append(" * {@code F json type [ps=patchStrategy] [mk=patchMergeKey] [lt=listType] [lk=listMapKeys] [mt=mapType] [st=structType]}\n");
    java.append(" * is one of its fields. Types: {@code -} scalar, {@code *} any JSON, {@code pkg/ver.Name} struct,\n");
    java.append(" * {@code []E} list, {@code {}E} map. Only fields that carry a tag or lead to one are listed: everything else\n");
    java.append(" * has the defaults (maps and structs merge, lists are atomic / replaced).\n */\n");
    java.append("final class PatchMetaData {\n  private PatchMetaData() {}\n\n  static final String[] CHUNKS = {\n");
    for (String c : chunks) java.append("      \"\"\"\n").append(c).append("\"\"\",\n");
    java.append("  };\n}\n");
    return java.toString();
  }

  private boolean typeAtomic(String ref) {
    GoType t = types.get(ref);
    return t != null && t.markers().contains("structType=atomic");
  }

  private void collect(String ref, Map<String, List<Out>> resolved) {
    if (ref == null || resolved.containsKey(ref)) return;
    GoType t = types.get(ref);
    if (t == null || !t.isStruct()) return;
    List<Out> fs = fields(t);
    resolved.put(ref, fs);
    for (Out o : fs) collect(elementRef(o.type()), resolved);
  }

  private static String shorten(String type) { return type; }
}
