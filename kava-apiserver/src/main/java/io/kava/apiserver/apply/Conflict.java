package io.kava.apiserver.apply;

import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.validation.GoValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Fields an apply would change that another manager's entry owns. */
record Conflict(ManagedFieldsEntry entry, FieldSet fields) {
  /** The cause type upstream gives apply conflicts. */
  static final String CAUSE = "FieldManagerConflict";

  /**
   * Upstream's 409: {@code Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas}, or for
   * several, one {@code conflicts with "m" ...:} block per manager (sorted) listing {@code - path} lines; one
   * FieldManagerConflict cause per path.
   */
  static StatusException error(List<Conflict> conflicts) {
    List<Conflict> sorted = new ArrayList<>(conflicts);
    sorted.sort(Comparator.comparing(c -> identifier(c.entry())));
    List<StatusException.Cause> causes = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (Conflict c : sorted) {
      String who = c.entry().describe();
      lines.add("conflicts with " + who + ":");
      c.fields().forEachPath(path -> {
        String p = PathElements.describe(path);
        causes.add(new StatusException.Cause(CAUSE, "conflict with " + who, p));
        lines.add("- " + p);
      });
    }
    String message;
    if (causes.size() == 1) {
      message = "Apply failed with 1 conflict: " + causes.get(0).message() + ": " + causes.get(0).field();
    } else {
      message = "Apply failed with " + causes.size() + " conflicts: " + String.join("\n", lines);
    }
    return new StatusException(409, "Conflict", message, null, null, null, causes, null);
  }

  /** Upstream sorts managers by their identifier, the JSON of the entry's identity. */
  private static String identifier(ManagedFieldsEntry e) {
    StringBuilder sb = new StringBuilder("{\"manager\":").append(GoValue.quote(e.manager()))
        .append(",\"operation\":").append(GoValue.quote(e.operation()));
    if (!e.applied()) sb.append(",\"apiVersion\":").append(GoValue.quote(e.apiVersion()));
    if (!e.subresource().isEmpty()) sb.append(",\"subresource\":").append(GoValue.quote(e.subresource()));
    return sb.append('}').toString();
  }
}
