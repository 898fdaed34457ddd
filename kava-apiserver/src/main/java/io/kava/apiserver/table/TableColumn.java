package io.kava.apiserver.table;

/**
 * A column of a meta.k8s.io Table (TableColumnDefinition). Columns with {@code priority > 0} are shown by kubectl
 * only with {@code -o wide}.
 *
 * @param type   OpenAPI type: string, integer, number, boolean, date
 * @param format e.g. "name" for the NAME column, "" otherwise
 */
public record TableColumn(String name, String type, String format, String description, int priority) {
  public static TableColumn nameColumn() {
    return new TableColumn("Name", "string", "name",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0);
  }

  public static TableColumn ageColumn() {
    return new TableColumn("Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", 0);
  }

  public static TableColumn string(String name, String description) { return new TableColumn(name, "string", "", description, 0); }

  public static TableColumn wide(String name, String description) { return new TableColumn(name, "string", "", description, 1); }

  public static TableColumn integer(String name, String description) { return new TableColumn(name, "integer", "", description, 0); }
}
