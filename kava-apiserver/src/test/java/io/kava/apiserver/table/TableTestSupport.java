package io.kava.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Shared fixtures: a fixed "now" and JSON parsing. */
final class TableTestSupport {
  private TableTestSupport() {
  }

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** All ages in the tests are relative to this instant. */
  static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

  /** Five minutes before {@link #NOW}. */
  static final String FIVE_MINUTES_AGO = "2024-06-01T11:55:00Z";

  static JsonNode json(String text) {
    return MAPPER.readTree(text);
  }

  /** Cells of {@code object} rendered by the convertor of group/kind, checked to match the column count. */
  static List<Object> cells(String group, String kind, String objectJson) {
    TableConvertor c = TableConvertors.forKind(group, kind);
    List<Object> cells = c.cells(json(objectJson), NOW);
    assertThat(cells).hasSameSizeAs(c.columns());
    return cells;
  }

  static List<String> columnNames(String group, String kind) {
    return TableConvertors.forKind(group, kind).columns().stream().map(TableColumn::name).toList();
  }

  static List<String> wideColumnNames(String group, String kind) {
    return TableConvertors.forKind(group, kind).columns().stream()
        .filter(c -> c.priority() > 0).map(TableColumn::name).toList();
  }
}
