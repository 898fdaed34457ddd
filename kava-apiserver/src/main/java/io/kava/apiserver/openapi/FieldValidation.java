package io.kava.apiserver.openapi;

import io.kava.api.json.Json;
import io.kava.apiserver.registry.validation.GoValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Server-side field validation ({@code ?fieldValidation=Strict|Warn|Ignore}): finds the unknown and duplicate fields
 * of a request body, against the kind's OpenAPI schema, with upstream's messages.
 *
 * <p>Upstream decodes with sigs.k8s.io/json in strict mode: {@code unknown field "spec.foo"},
 * {@code duplicate field "metadata.name"} (paths join struct fields and map keys with dots and list indexes as
 * {@code [0]}; a field that is both unknown and repeated is reported once, as unknown), in the order of the
 * document. A YAML body is first checked for repeated keys by the YAML decoder
 * ({@code line 7: key "name" already set in map}, one error for all of them), then converted to JSON (keys sorted,
 * repeats dropped) and checked for unknown fields.
 *
 * <p>What the HTTP layer does with a {@link Report}: Strict and not {@link Report#clean()} → 400 BadRequest with
 * {@link Report#badRequestMessage}; Warn → one {@code Warning} header per {@link Report#warnings()} entry; Ignore → nothing.
 * The directive defaults to Warn when the parameter is absent, as upstream. Protobuf bodies are not checked (their
 * decoder drops unknown fields, as upstream's does).
 *
 * <p>Thread-safe. The first check of a kind compiles its schema (and waits for the OpenAPI models the first time);
 * later checks only walk the body.
 */
public final class FieldValidation {
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  /** The {@code fieldValidation} query parameter. */
  public enum Directive {
    IGNORE("Ignore"), WARN("Warn"), STRICT("Strict");

    private final String value;

    Directive(String value) { this.value = value; }

    public String value() { return value; }

    /**
     * The directive of a request: absent or empty is {@link #WARN} (upstream's default since 1.23); an unknown value
     * is null, which upstream answers with 400 BadRequest
     * ({@code fieldValidation: Unsupported value: "x": supported values: "Ignore", "Strict", "Warn"}).
     */
    public static Directive parse(String param) {
      if (param == null || param.isEmpty()) return WARN;
      for (Directive d : values()) if (d.value.equals(param)) return d;
      return null;
    }
  }

  /** The problems of one body. */
  public record Report(List<String> warnings, List<String> strictErrors) {
    public static final Report CLEAN = new Report(List.of(), List.of());

    public boolean clean() { return warnings.isEmpty(); }

    /** {@code strict decoding error: unknown field "spec.foo", duplicate field "spec.bar"}, or null when clean. */
    public String strictError() {
      return clean() ? null : "strict decoding error: " + String.join(", ", strictErrors);
    }

    /**
     * The message of upstream's 400 for a create or update under Strict:
     * {@code Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"}.
     */
    public String badRequestMessage(String apiVersion, String kind) {
      String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
      return kind + " in version \"" + version + "\" cannot be handled as a " + kind + ": " + strictError();
    }
  }

  /** Where schemas come from: {@link OpenApiService}. */
  interface Schemas {
    /** The compiled shape of a kind, or null when nothing is known of it (then nothing is checked). */
    Shape shape(String apiVersion, String kind);
  }

  private final Schemas schemas;

  FieldValidation(Schemas schemas) { this.schemas = schemas; }

  /** The messages of every unknown and duplicate field, one per entry (the {@code Warning} headers of Warn). */
  public List<String> problems(String apiVersion, String kind, byte[] body, boolean yaml) {
    return check(apiVersion, kind, body, yaml).warnings();
  }

  /** Checks a JSON (or YAML) create/update body of {@code apiVersion}/{@code kind}. Malformed bodies are clean here: decoding reports them. */
  public Report check(String apiVersion, String kind, byte[] body, boolean yaml) {
    Shape shape = schemas.shape(apiVersion, kind);
    if (shape == null || body == null || body.length == 0) return Report.CLEAN;
    return yaml ? checkYaml(shape, body) : checkJson(shape, body);
  }

  /** Checks an object tree (e.g. the result of a patch) for unknown fields; a tree has no duplicates. */
  public Report check(String apiVersion, String kind, JsonNode object) {
    Shape shape = schemas.shape(apiVersion, kind);
    if (shape == null || object == null) return Report.CLEAN;
    List<String> errs = new ArrayList<>();
    walkTree(object, shape, "", errs, false);
    return errs.isEmpty() ? Report.CLEAN : new Report(List.copyOf(errs), List.copyOf(errs));
  }

  /**
   * The repeated fields of a JSON patch body ({@code duplicate field "spec.replicas"}): what upstream's strict decoding
   * of a merge or strategic merge patch reports before applying it (the patched object is then checked for unknown
   * fields with {@link #check(String, String, JsonNode)}).
   */
  public List<String> duplicateFields(byte[] json) {
    List<String> errs = new ArrayList<>();
    try (JsonParser p = Json.MAPPER.createParser(json)) {
      if (p.nextToken() != null) walk(p, Shape.FREE, "", errs);
    } catch (JacksonException e) {
      return List.of();
    }
    return List.copyOf(errs);
  }

  /**
   * Makes a decoded object of a built-in kind what upstream stores: upstream decodes bodies into Go structs and keeps
   * them as protobuf, so unknown fields are dropped (after {@link #check} warned or refused), and empty or null lists,
   * maps and optional values read back as absent. Structs, even empty ones ({@code emptyDir: {}}), are kept, and so
   * are map entries and list items. Custom resources keep their JSON (their CRD's pruning applies instead). Changes
   * {@code object} in place.
   */
  public void normalize(String apiVersion, String kind, JsonNode object) {
    Shape shape = schemas.shape(apiVersion, kind);
    if (shape == null || !shape.builtIn || object == null) return;
    normalize(object, shape);
  }

  private static void normalize(JsonNode n, Shape shape) {
    if (n instanceof tools.jackson.databind.node.ObjectNode o) {
      switch (shape.kind) {
        case STRUCT -> {
          var members = o.properties().iterator();
          while (members.hasNext()) {
            Map.Entry<String, JsonNode> e = members.next();
            Shape field = shape.fields.get(e.getKey());
            JsonNode v = e.getValue();
            if (field == null) {
              if (!shape.open) members.remove();
            } else if (v.isNull() || (field.kind == Kind.LIST || field.kind == Kind.MAP) && v.isEmpty() && v.isContainer()) {
              members.remove();
            } else {
              normalize(v, field);
            }
          }
        }
        case MAP -> {
          for (Map.Entry<String, JsonNode> e : o.properties()) normalize(e.getValue(), shape.element);
        }
        default -> { }
      }
    } else if (n.isArray() && shape.kind == Kind.LIST) {
      for (JsonNode item : n) normalize(item, shape.element);
    }
  }

  // ------------------------------------------------------------------ JSON: one streaming pass

  private static Report checkJson(Shape shape, byte[] body) {
    List<String> errs = new ArrayList<>();
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() == null) return Report.CLEAN;
      walk(p, shape, "", errs);
    } catch (JacksonException e) {
      return Report.CLEAN;
    }
    return errs.isEmpty() ? Report.CLEAN : new Report(List.copyOf(errs), List.copyOf(errs));
  }

  /** Walks the value at the parser's current token; leaves the parser on the value's last token. */
  private static void walk(JsonParser p, Shape shape, String path, List<String> errs) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      switch (shape.kind) {
        case STRUCT -> {
          Set<String> seen = new HashSet<>();
          Set<String> unknown = new HashSet<>();
          while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            String child = join(path, key);
            p.nextToken();
            Shape field = shape.fields.get(key);
            if (field == null) {
              if (shape.open) {
                if (!seen.add(key)) errs.add("duplicate field \"" + child + "\"");
                walk(p, Shape.FREE, child, errs);
              } else {
                if (unknown.add(key)) errs.add("unknown field \"" + child + "\"");
                p.skipChildren();
              }
            } else {
              if (!seen.add(key)) errs.add("duplicate field \"" + child + "\"");
              walk(p, field, child, errs);
            }
          }
        }
        case MAP, FREE -> {
          Set<String> seen = new HashSet<>();
          Shape element = shape.kind == Kind.FREE ? Shape.FREE : shape.element;
          while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            String child = join(path, key);
            p.nextToken();
            if (!seen.add(key)) errs.add("duplicate field \"" + child + "\"");
            walk(p, element, child, errs);
          }
        }
        default -> p.skipChildren();
      }
    } else if (t == JsonToken.START_ARRAY) {
      if (shape.kind == Kind.LIST || shape.kind == Kind.FREE) {
        Shape element = shape.kind == Kind.FREE ? Shape.FREE : shape.element;
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          walk(p, element, path + "[" + i + "]", errs);
          i++;
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  // ------------------------------------------------------------------ YAML: repeated keys, then the JSON conversion

  private static Report checkYaml(Shape shape, byte[] body) {
    List<String> dups = new ArrayList<>();
    JsonNode tree;
    try (JsonParser p = YAML.createParser(body)) {
      yamlDuplicates(p, dups);
      tree = YAML.readTree(body);
    } catch (JacksonException e) {
      return Report.CLEAN;
    }
    List<String> unknown = new ArrayList<>();
    if (tree != null && !tree.isMissingNode()) walkTree(tree, shape, "", unknown, true);
    if (dups.isEmpty() && unknown.isEmpty()) return Report.CLEAN;
    List<String> warnings = new ArrayList<>(dups);
    warnings.addAll(unknown);
    List<String> strict = new ArrayList<>();
    if (!dups.isEmpty()) strict.add("yaml: unmarshal errors:\n  " + String.join("\n  ", dups));
    strict.addAll(unknown);
    return new Report(List.copyOf(warnings), List.copyOf(strict));
  }

  /** Repeated keys of every mapping, as the YAML decoder reports them (1-based line of the repeat). */
  private static void yamlDuplicates(JsonParser p, List<String> dups) {
    List<Map<String, Integer>> stack = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != null) {
      switch (t) {
        case START_OBJECT -> stack.add(new HashMap<>());
        case END_OBJECT -> stack.remove(stack.size() - 1);
        case PROPERTY_NAME -> {
          Map<String, Integer> keys = stack.get(stack.size() - 1);
          String key = p.currentName();
          int before = keys.merge(key, 1, Integer::sum) - 1;
          int line = p.currentTokenLocation().getLineNr();
          for (int i = 0; i < before; i++) dups.add("line " + line + ": key " + GoValue.quote(key) + " already set in map");
        }
        default -> { }
      }
    }
  }

  /** Unknown fields of a tree; {@code sorted} visits object members by name, as JSON converted from YAML has them. */
  private static void walkTree(JsonNode n, Shape shape, String path, List<String> errs, boolean sorted) {
    if (n.isObject()) {
      Iterable<Map.Entry<String, JsonNode>> members = n.properties();
      if (sorted) {
        TreeMap<String, JsonNode> m = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) m.put(e.getKey(), e.getValue());
        members = m.entrySet();
      }
      for (Map.Entry<String, JsonNode> e : members) {
        String child = join(path, e.getKey());
        switch (shape.kind) {
          case STRUCT -> {
            Shape field = shape.fields.get(e.getKey());
            if (field != null) walkTree(e.getValue(), field, child, errs, sorted);
            else if (!shape.open) errs.add("unknown field \"" + child + "\"");
          }
          case MAP -> walkTree(e.getValue(), shape.element, child, errs, sorted);
          default -> { }
        }
      }
    } else if (n.isArray() && shape.kind == Kind.LIST) {
      for (int i = 0; i < n.size(); i++) walkTree(n.get(i), shape.element, path + "[" + i + "]", errs, sorted);
    }
  }

  // ------------------------------------------------------------------ compiled schemas

  enum Kind {
    /** A Go struct: known fields only (unless open). */
    STRUCT,
    /** A map with string keys. */
    MAP,
    LIST,
    /** A string, number or boolean, or a type with a scalar JSON form. */
    SCALAR,
    /** A type with its own decoder (RawExtension, FieldsV1, JSON): nothing inside is checked. */
    ANY,
    /** Untyped JSON (custom resources without a schema): repeated keys only. */
    FREE
  }

  /** What the validator needs of a schema: the fields of structs, the elements of maps and lists. Immutable once built. */
  static final class Shape {
    static final Shape ANY_SHAPE = new Shape(Kind.ANY);
    static final Shape SCALAR_SHAPE = new Shape(Kind.SCALAR);
    static final Shape FREE = new Shape(Kind.FREE);

    Kind kind;
    Map<String, Shape> fields = Map.of();
    Shape element;
    /** A struct that also keeps unknown fields ({@code x-kubernetes-preserve-unknown-fields}). */
    boolean open;
    /** The top-level shape of a built-in kind (a Go type upstream), set once when the kind's shape is first looked up. */
    boolean builtIn;

    Shape(Kind kind) { this.kind = kind; }
  }

  /** Compiles v2 schemas (with {@code #/definitions/} references) into shapes; one compiler per set of definitions. */
  static final class Compiler {
    private final java.util.function.Function<String, JsonNode> definitions;
    private final Map<String, Shape> memo = new HashMap<>();

    Compiler(java.util.function.Function<String, JsonNode> definitions) { this.definitions = definitions; }

    Shape definition(String name) {
      Shape s = memo.get(name);
      if (s != null) return s;
      JsonNode node = definitions.apply(name);
      if (node == null) return Shape.ANY_SHAPE;
      s = new Shape(Kind.ANY);
      memo.put(name, s);
      fill(s, node);
      return s;
    }

    Shape schema(JsonNode node) {
      JsonNode ref = node.get("$ref");
      if (ref != null) {
        String r = ref.asString();
        return definition(r.substring(r.lastIndexOf('/') + 1));
      }
      Shape s = new Shape(Kind.ANY);
      fill(s, node);
      return s;
    }

    private void fill(Shape s, JsonNode node) {
      boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      String type = node.path("type").asString("");
      JsonNode props = node.get("properties");
      JsonNode additional = node.get("additionalProperties");
      if (props != null && props.isObject()) {
        s.kind = Kind.STRUCT;
        s.open = preserve;
        Map<String, Shape> fields = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : props.properties()) fields.put(e.getKey(), schema(e.getValue()));
        s.fields = fields;
      } else if (preserve) {
        s.kind = Kind.FREE;
      } else if (additional != null && additional.isObject()) {
        s.kind = Kind.MAP;
        s.element = schema(additional);
      } else if (type.equals("array") && node.has("items")) {
        s.kind = Kind.LIST;
        s.element = schema(node.get("items"));
      } else if (type.isEmpty() || type.equals("object") || type.equals("array")) {
        s.kind = Kind.ANY;
      } else {
        s.kind = Kind.SCALAR;
      }
    }
  }
}
