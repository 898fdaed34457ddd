package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The table of kinds without a printer (Role, ClusterRole, LimitRange, CustomResourceDefinition, ...): NAME and
 * CREATED AT, the creation timestamp in RFC 3339 UTC (a "date" column, which kubectl prints as is). This is
 * upstream's rest.NewDefaultTableConvertor.
 */
public final class DefaultTableConvertor implements TableConvertor {
  public static final DefaultTableConvertor INSTANCE = new DefaultTableConvertor();

  private static final List<TableColumn> COLUMNS = List.of(
      TableColumn.nameColumn(),
      new TableColumn("Created At", "date", "", Docs.CREATION_TIMESTAMP, 0));

  private static final DateTimeFormatter RFC3339_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private DefaultTableConvertor() {
  }

  @Override
  public List<TableColumn> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode object, Instant now) {
    Instant created = Nodes.time(object, "metadata", "creationTimestamp");
    return Arrays.asList(Nodes.name(object), formatTimestamp(created));
  }

  /** Go's Time.UTC().Format(time.RFC3339): whole seconds, "Z"; a missing time prints as Go's zero time. */
  static String formatTimestamp(Instant t) {
    return RFC3339_SECONDS.format(t == null ? HumanDuration.GO_ZERO_TIME : t);
  }
}
