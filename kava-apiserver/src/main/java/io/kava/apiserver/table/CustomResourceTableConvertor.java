package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import io.kava.apiserver.wire.GoJson;
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
    return GoJson.encode(v);
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
      return GoJson.exponentForm(d);
    }
    return bd.toPlainString();
  }
}
