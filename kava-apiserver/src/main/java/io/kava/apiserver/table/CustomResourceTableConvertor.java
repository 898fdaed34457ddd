package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The table of a custom resource: NAME plus the CRD version's {@code additionalPrinterColumns} (JSONPath
 * columns), or NAME and AGE when the CRD declares none, as apiextensions-apiserver serves them.
 */
public final class CustomResourceTableConvertor implements TableConvertor {
  private final List<TableColumn> columns;
  private final List<JsonPath> paths; // null entry: the column's path did not parse

  private CustomResourceTableConvertor(List<TableColumn> columns, List<JsonPath> paths) {
    this.columns = List.copyOf(columns);
    this.paths = paths;
  }

  /**
   * @param additionalPrinterColumns the version's {@code additionalPrinterColumns} array (name, type, format,
   *                                 description, priority, jsonPath); null or empty for the default AGE column
   */
  public static CustomResourceTableConvertor of(JsonNode additionalPrinterColumns) {
    List<JsonNode> defs = new ArrayList<>();
    if (additionalPrinterColumns != null && additionalPrinterColumns.isArray()) {
      additionalPrinterColumns.forEach(defs::add);
    }
    List<TableColumn> columns = new ArrayList<>();
    List<JsonPath> paths = new ArrayList<>();
    columns.add(TableColumn.nameColumn());
    if (defs.isEmpty()) {
      columns.add(new TableColumn("Age", "date", "", Docs.CREATION_TIMESTAMP, 0));
      paths.add(JsonPath.parse(".metadata.creationTimestamp"));
    }
    for (JsonNode d : defs) {
      String jsonPath = Nodes.str(d, "jsonPath");
      String description = Nodes.str(d, "description");
      if (description.isEmpty()) {
        description = "Custom resource definition column (in JSONPath format): " + jsonPath;
      }
      columns.add(new TableColumn(Nodes.str(d, "name"), Nodes.str(d, "type"), Nodes.str(d, "format"),
          description, (int) Nodes.lng(d, "priority")));
      JsonPath path;
      try {
        path = JsonPath.parse(jsonPath);
      } catch (RuntimeException e) {
        path = null; // upstream rejects such a CRD; print the column empty rather than fail the request
      }
      paths.add(path);
    }
    return new CustomResourceTableConvertor(columns, paths);
  }

  @Override
  public List<TableColumn> columns() {
    return columns;
  }

  @Override
  public List<Object> cells(JsonNode object, Instant now) {
    List<Object> cells = new ArrayList<>(columns.size());
    cells.add(Nodes.name(object));
    for (int i = 0; i < paths.size(); i++) {
      JsonPath path = paths.get(i);
      List<JsonNode> results;
      try {
        results = path == null ? List.of() : path.find(object);
      } catch (RuntimeException e) {
        results = List.of(); // a failed lookup prints an empty cell, as upstream's FindResults error does
      }
      if (results.isEmpty() || results.get(0) == null || results.get(0).isNull()) {
        cells.add(null);
        continue;
      }
      // Only simple paths are meant here: the first value is the cell.
      cells.add(cell(columns.get(i + 1).type(), results.get(0), now));
    }
    return cells;
  }

  private static Object cell(String type, JsonNode value, Instant now) {
    switch (type) {
      case "string" -> {
        return text(value);
      }
      case "integer" -> {
        if (!value.isNumber()) {
          return null;
        }
        if (value.isIntegralNumber()) {
          return value.canConvertToLong() ? (Object) value.longValue() : null;
        }
        return (long) value.doubleValue();
      }
      case "number" -> {
        return value.isNumber() ? (Object) value.doubleValue() : null;
      }
      case "boolean" -> {
        return value.isBoolean() ? (Object) value.booleanValue() : null;
      }
      case "date" -> {
        if (!value.isString()) {
          return null;
        }
        Instant t = Nodes.parseTime(value.stringValue());
        if (t == null) {
          return "<invalid>";
        }
        return HumanDuration.since(t, now);
      }
      default -> {
        return null;
      }
    }
  }

  /** How Kubernetes' JSONPath prints one value: strings raw, scalars as Go formats them, the rest as JSON. */
  static String text(JsonNode v) {
    if (v.isString()) {
      return v.stringValue();
    }
    if (v.isBoolean()) {
      return Boolean.toString(v.booleanValue());
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().toString();
    }
    if (v.isNumber()) {
      return goFloat(v.doubleValue());
    }
    StringBuilder sb = new StringBuilder();
    writeJson(v, sb);
    return sb.toString();
  }

  /** Go's %v of a float64 (strconv 'g', shortest): exponent form when the exponent is below -4 or from 6. */
  static String goFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d) < 0 ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exp = bd.precision() - 1 - bd.scale();
    if (exp < -4 || exp >= 6) {
      return eFormat(d);
    }
    return bd.toPlainString();
  }

  /** strconv 'e' with shortest digits: "1.5e+06", "1e-07". */
  private static String eFormat(double d) {
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    String digits = bd.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - bd.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String e = Integer.toString(Math.abs(exp));
    return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
  }

  /** Compact JSON as Go's encoding/json writes it: object keys sorted, HTML characters escaped. */
  private static void writeJson(JsonNode v, StringBuilder sb) {
    if (v == null || v.isNull()) {
      sb.append("null");
    } else if (v.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        sorted.put(e.getKey(), e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(e.getKey(), sb);
        sb.append(':');
        writeJson(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v.isArray()) {
      sb.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        writeJson(v.get(i), sb);
      }
      sb.append(']');
    } else if (v.isString()) {
      writeString(v.stringValue(), sb);
    } else if (v.isIntegralNumber()) {
      sb.append(v.bigIntegerValue());
    } else if (v.isNumber()) {
      sb.append(jsonFloat(v.doubleValue()));
    } else {
      sb.append(Nodes.text(v));
    }
  }

  /** encoding/json's float64 format: like %v but exponent form only below 1e-6 or from 1e21. */
  private static String jsonFloat(double d) {
    double abs = Math.abs(d);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
      // e-07 -> e-7, as encoding/json trims a negative exponent
      return eFormat(d).replaceFirst("e-0(\\d)$", "e-$1");
    }
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    return bd.toPlainString();
  }

  private static void writeString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
