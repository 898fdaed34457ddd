package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Turns objects of one kind into Table rows with upstream's columns (as kubectl prints them against a real
 * cluster). Pure: reads the object, never mutates it.
 */
public interface TableConvertor {
  /** All columns, wide ones included (priority 1). */
  List<TableColumn> columns();

  /**
   * One row's cells, one per column, in column order. Cells are String, Long/Integer, Boolean or null (JSON
   * null prints as {@code <none>}). {@code now} is used for ages ("5m", "3d4h" as upstream's HumanDuration).
   */
  List<Object> cells(JsonNode object, Instant now);
}
