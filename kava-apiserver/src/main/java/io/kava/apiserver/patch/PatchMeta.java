package io.kava.apiserver.patch;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-field merge metadata of the built-in kinds: the Go {@code patchStrategy}/{@code patchMergeKey} struct tags
 * that drive strategic merge patch, and the {@code +listType}/{@code +listMapKey}/{@code +mapType}/{@code +structType}
 * markers that drive server-side apply. The table itself is data ({@link PatchMetaData}, generated from the
 * kubernetes/api Go types); this class parses it once and walks it.
 *
 * <p>Walk from a kind's root: {@code forKind("apps/v1", "Deployment").child("spec").child("template")
 * .child("spec").child("containers")} is the containers list ({@link Node#patchStrategy()} "merge",
 * {@link Node#mergeKey()} "name"); its {@link Node#element()} is a Container, whose {@code child("env")} is the env
 * list, and so on. Walking never fails: where the table knows nothing (scalars, untagged fields, fields of
 * unknown kinds) the walk yields {@link #UNKNOWN}, whose answers are the defaults: objects merge, lists are
 * replaced (atomic), no merge key. Only fields that differ from these defaults, or lead to one that does, are
 * in the table.
 *
 * <p>Kinds without metadata (custom resources, aggregated APIs) do not support strategic merge patch: callers check
 * {@link #supports} and answer 415 (see {@link PatchType#fromContentType}).
 */
public final class PatchMeta {
  /** What a position holds. */
  public enum Shape {
    /** A Go struct: fields by name (see {@link Node#child}). */
    STRUCT,
    /** A map with string keys: every key has the same value type ({@link Node#child} ignores the key). */
    MAP,
    /** A list: see {@link Node#element}, {@link Node#listType}. */
    LIST,
    /** A string, number, boolean, or a type with a scalar JSON form (Quantity, IntOrString, Time). */
    SCALAR,
    /** No metadata: decide by the JSON (objects are granular maps, lists are atomic). */
    UNKNOWN
  }

  /** How server-side apply treats a list ({@code x-kubernetes-list-type}). */
  public enum ListType { ATOMIC, SET, MAP }

  /** The position nothing is known about; all its answers are the defaults. */
  public static final Node UNKNOWN = new Node("*", null, null);

  private static final Map<String, Node> KINDS = new HashMap<>();
  private static final Map<String, StructDef> TYPES = new HashMap<>();
  private static final Map<String, Node> TYPE_NODES = new ConcurrentHashMap<>();

  static {
    load();
  }

  private PatchMeta() {}

  /** True when the kind is built in and so accepts strategic merge patch. */
  public static boolean supports(String apiVersion, String kind) {
    return KINDS.containsKey(apiVersion + " " + kind);
  }

  /** The root of a built-in kind, or {@code null} when the kind has no metadata (e.g. a custom resource). */
  public static Node forKind(String apiVersion, String kind) {
    return KINDS.get(apiVersion + " " + kind);
  }

  /** A type by its qualified Go name ({@code core/v1.PodSpec}, {@code meta/v1.ObjectMeta}), or {@code null}. */
  public static Node forType(String typeName) {
    return TYPES.containsKey(typeName) ? typeNode(typeName) : null;
  }

  /** Every kind in the table, as {@code "apiVersion kind"}. */
  public static Set<String> kinds() {
    return Collections.unmodifiableSet(new TreeSet<>(KINDS.keySet()));
  }

  // ------------------------------------------------------------------ the walker

  /**
   * One position in an object: a field (with the field's tags) or a list element / map value (without tags).
   * Immutable and shared; cheap to walk on the request path.
   */
  public static final class Node {
    private final String type; // "-" scalar, "*" unknown, "[]E", "{}E", or a struct name
    private final Field field;
    private final StructDef struct;
    private volatile Node element;

    private Node(String type, Field field, StructDef struct) {
      this.type = type;
      this.field = field;
      this.struct = struct;
    }

    public Shape shape() {
      return switch (type) {
        case "*" -> Shape.UNKNOWN;
        case "-" -> Shape.SCALAR;
        default -> type.startsWith("[]") ? Shape.LIST : type.startsWith("{}") ? Shape.MAP : Shape.STRUCT;
      };
    }

    /** The Go type: {@code core/v1.Container}, {@code []core/v1.Container}, {@code {}-} (map of scalars), ... */
    public String typeName() { return type; }

    /** A struct's field, or a map's value (any key); {@link #UNKNOWN} when not in the table. */
    public Node child(String name) {
      if (type.startsWith("{}")) return element();
      if (struct == null) return UNKNOWN;
      Field f = struct.fields.get(name);
      return f == null ? UNKNOWN : f.node;
    }

    /** A list's element or a map's value; {@link #UNKNOWN} for other shapes. */
    public Node element() {
      Node e = element;
      if (e == null) {
        e = type.startsWith("[]") || type.startsWith("{}") ? typeNode(type.substring(2)) : UNKNOWN;
        element = e;
      }
      return e;
    }

    /** The field's {@code patchStrategy} tag split at commas (e.g. {@code [merge, retainKeys]}); empty if none. */
    public List<String> patchStrategies() { return field == null ? List.of() : field.strategies; }

    /**
     * The strategy strategic merge patch applies: {@code "merge"}, {@code "replace"} or {@code ""} (default: lists
     * are replaced, maps merged). {@code retainKeys} is reported apart ({@link #retainKeys()}).
     */
    public String patchStrategy() { return field == null ? "" : field.strategy; }

    /** True for {@code patchStrategy} containing {@code retainKeys} (kubectl then sends {@code $retainKeys}). */
    public boolean retainKeys() { return field != null && field.retainKeys; }

    /** The {@code patchMergeKey} tag, or {@code ""}. */
    public String mergeKey() { return field == null ? "" : field.mergeKey; }

    /**
     * The server-side apply list type: the {@code +listType} marker, else (as kube-openapi derives it) a merge
     * strategy makes a map keyed by the merge key, or a set without one; else atomic.
     */
    public ListType listType() {
      if (field == null) return ListType.ATOMIC;
      return field.listType;
    }

    /** Keys of a {@link ListType#MAP} list ({@code +listMapKey}, else the merge key); empty otherwise. */
    public List<String> listMapKeys() { return field == null ? List.of() : field.listMapKeys; }

    /** True when a map ({@code +mapType=atomic}) or struct ({@code +structType=atomic}) is replaced as a whole by apply. */
    public boolean atomic() {
      if (field != null && field.atomic) return true;
      return struct != null && struct.atomic;
    }

    @Override
    public String toString() {
      return field == null ? type : field.name + " " + type + (field.tags.isEmpty() ? "" : " " + field.tags);
    }
  }

  // ------------------------------------------------------------------ data

  private static Node typeNode(String type) {
    Node n = TYPE_NODES.get(type);
    if (n != null) return n;
    if (type.equals("*")) return UNKNOWN;
    n = new Node(type, null, TYPES.get(type));
    Node prev = TYPE_NODES.putIfAbsent(type, n);
    return prev != null ? prev : n;
  }

  private static final class StructDef {
    final String name;
    final boolean atomic;
    final Map<String, Field> fields = new HashMap<>();

    StructDef(String name, boolean atomic) {
      this.name = name;
      this.atomic = atomic;
    }
  }

  private static final class Field {
    final String name;
    final String tags;
    final List<String> strategies;
    final String strategy;
    final boolean retainKeys;
    final String mergeKey;
    final ListType listType;
    final List<String> listMapKeys;
    final boolean atomic;
    Node node;

    Field(String name, String tags, Map<String, String> attrs) {
      this.name = name;
      this.tags = tags;
      String ps = attrs.getOrDefault("ps", "");
      this.strategies = ps.isEmpty() ? List.of() : List.of(ps.split(","));
      this.retainKeys = strategies.contains("retainKeys");
      this.strategy = strategies.stream().filter(s -> !s.equals("retainKeys")).findFirst().orElse("");
      this.mergeKey = attrs.getOrDefault("mk", "");
      String lt = attrs.get("lt");
      List<String> keys = attrs.containsKey("lk") ? List.of(attrs.get("lk").split(",")) : List.of();
      if (lt == null && strategy.equals("merge")) lt = mergeKey.isEmpty() ? "set" : "map";
      this.listType = lt == null ? ListType.ATOMIC : switch (lt) {
        case "set" -> ListType.SET;
        case "map" -> ListType.MAP;
        default -> ListType.ATOMIC;
      };
      this.listMapKeys = listType != ListType.MAP ? List.of() : !keys.isEmpty() ? keys : mergeKey.isEmpty() ? List.of() : List.of(mergeKey);
      this.atomic = "atomic".equals(attrs.get("mt")) || "atomic".equals(attrs.get("st"));
    }
  }

  private static void load() {
    Map<String, String> kindTypes = new HashMap<>();
    StructDef current = null;
    for (String chunk : PatchMetaData.CHUNKS) {
      for (String line : chunk.split("\n")) {
        if (line.isEmpty()) continue;
        String[] p = line.split(" ");
        switch (p[0]) {
          case "K" -> kindTypes.put(p[1] + " " + p[2], p[3]);
          case "T" -> {
            current = new StructDef(p[1], Arrays.asList(p).contains("st=atomic"));
            TYPES.put(p[1], current);
          }
          case "F" -> {
            Map<String, String> attrs = new HashMap<>();
            for (int i = 3; i < p.length; i++) {
              int eq = p[i].indexOf('=');
              attrs.put(p[i].substring(0, eq), p[i].substring(eq + 1));
            }
            String tags = String.join(" ", Arrays.copyOfRange(p, 3, p.length));
            Field f = new Field(p[1], tags, attrs);
            f.node = new Node(p[2], f, null);
            if (current == null) throw new IllegalStateException("PatchMetaData: field before type: " + line);
            current.fields.put(p[1], f);
          }
          default -> throw new IllegalStateException("PatchMetaData: bad line: " + line);
        }
      }
    }
    // struct-typed fields need their StructDef, known only once every type is read
    for (StructDef s : TYPES.values()) {
      for (Map.Entry<String, Field> e : s.fields.entrySet()) {
        Field f = e.getValue();
        StructDef target = TYPES.get(f.node.type);
        if (target != null) {
          Node n = new Node(f.node.type, f, target);
          f.node = n;
        }
      }
    }
    for (Map.Entry<String, String> k : kindTypes.entrySet()) KINDS.put(k.getKey(), typeNode(k.getValue()));
  }
}
