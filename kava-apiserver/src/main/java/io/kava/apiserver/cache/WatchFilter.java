package io.kava.apiserver.cache;

import io.kava.api.selector.FieldSelector;
import io.kava.api.selector.LabelSelector;

/** Which objects a list or watch wants: an optional namespace plus label and field selectors. */
public record WatchFilter(String namespace, LabelSelector labels, FieldSelector fields) {
  public static final WatchFilter ALL = new WatchFilter(null, null, null);

  /** True when only the namespace (a key range) restricts the selection. */
  public boolean isTrivial() {
    return (labels == null || labels.isEmpty()) && (fields == null || fields.isEmpty());
  }

  public boolean matches(CachedObject o) {
    if (namespace != null && !namespace.equals(o.namespace())) return false;
    if (labels != null && !labels.isEmpty() && !labels.matches(o.labels())) return false;
    return fields == null || fields.isEmpty() || fields.matches(f -> o.fields().getOrDefault(f, ""));
  }
}
