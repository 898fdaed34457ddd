package io.kava.api.validation;

/**
 * An immutable path to a field, rendered as upstream's field.Path renders it: {@code spec.containers[0].image},
 * {@code metadata.labels[app]} (a map key), {@code values[0][app]}.
 *
 * <p>Built from the root: {@code FieldPath.of("metadata").child("name")}. A {@code null} FieldPath is not used; the
 * rendering of upstream's nil path ({@code <nil>}) is available as {@link #NIL_STRING} for callers that need it.
 */
public final class FieldPath {
  /** What upstream prints for a nil path, e.g. in label-selector parse errors. */
  public static final String NIL_STRING = "<nil>";

  private final FieldPath parent;
  private final String name;  // set for a named element
  private final String index; // set for an index or key element

  private FieldPath(FieldPath parent, String name, String index) {
    this.parent = parent;
    this.name = name;
    this.index = index;
  }

  /** A root path of one or more names: {@code of("spec", "template")} is {@code spec.template}. */
  public static FieldPath of(String name, String... more) {
    FieldPath p = new FieldPath(null, name, null);
    for (String m : more) p = new FieldPath(p, m, null);
    return p;
  }

  public FieldPath child(String name, String... more) {
    FieldPath p = new FieldPath(this, name, null);
    for (String m : more) p = new FieldPath(p, m, null);
    return p;
  }

  public FieldPath index(int i) { return new FieldPath(this, null, Integer.toString(i)); }

  public FieldPath key(String key) { return new FieldPath(this, null, key); }

  public FieldPath parent() { return parent; }

  public FieldPath root() {
    FieldPath p = this;
    while (p.parent != null) p = p.parent;
    return p;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    append(sb);
    return sb.toString();
  }

  private void append(StringBuilder sb) {
    if (parent != null) parent.append(sb);
    if (index != null) {
      sb.append('[').append(index).append(']');
    } else {
      if (parent != null) sb.append('.');
      sb.append(name);
    }
  }

  @Override
  public boolean equals(Object o) { return o instanceof FieldPath f && f.toString().equals(toString()); }

  @Override
  public int hashCode() { return toString().hashCode(); }
}
