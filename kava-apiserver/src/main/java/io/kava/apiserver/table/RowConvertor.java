package io.kava.apiserver.table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/**
 * A convertor made of a fixed column list and a function computing one row's cells. Most kinds are one of these;
 * the helpers below build columns the way upstream declares them.
 */
final class RowConvertor implements TableConvertor {
  private final List<TableColumn> columns;
  private final BiFunction<JsonNode, Instant, List<Object>> row;

  RowConvertor(List<TableColumn> columns, BiFunction<JsonNode, Instant, List<Object>> row) {
    this.columns = List.copyOf(columns);
    this.row = row;
  }

  @Override
  public List<TableColumn> columns() {
    return columns;
  }

  @Override
  public List<Object> cells(JsonNode object, Instant now) {
    List<Object> cells = row.apply(object, now);
    if (cells.size() != columns.size()) {
      throw new IllegalStateException("row has " + cells.size() + " cells for " + columns.size() + " columns");
    }
    return cells;
  }

  /** A row of cells; null cells are allowed (they print as {@code <none>}). */
  static List<Object> row(Object... cells) {
    return Arrays.asList(cells);
  }

  // Column helpers. Upstream names columns in title case ("Up-to-date"); kubectl prints them upper-cased.

  static TableColumn name() {
    return TableColumn.nameColumn();
  }

  static TableColumn age() {
    return TableColumn.ageColumn();
  }

  static TableColumn str(String name, String description) {
    return new TableColumn(name, "string", "", description, 0);
  }

  static TableColumn wideStr(String name, String description) {
    return new TableColumn(name, "string", "", description, 1);
  }

  static TableColumn integer(String name, String description) {
    return new TableColumn(name, "integer", "", description, 0);
  }

  static TableColumn bool(String name, String description) {
    return new TableColumn(name, "boolean", "", description, 0);
  }

  static TableColumn containers() {
    return wideStr("Containers", Docs.CONTAINERS);
  }

  static TableColumn images() {
    return wideStr("Images", Docs.IMAGES);
  }
}
