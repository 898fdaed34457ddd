package io.kava.store.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A key interval {@code [start, end)} in {@link KeyOrder}; {@code end == null} means unbounded above.
 *
 * <p>{@link #of} turns the SPI's etcd-style arguments into this form: a null or empty end is the single key
 * {@code start} (the interval {@code [start, start + "\0")}, as nothing sorts between a key and that), and
 * {@code "\0"} means unbounded.
 */
public record KeyRange(String start, String end) {
  public KeyRange {
    Objects.requireNonNull(start, "start");
  }

  public static KeyRange of(String start, String end) {
    Objects.requireNonNull(start, "start");
    if (end == null || end.isEmpty()) return new KeyRange(start, start + '\0');
    if (end.equals("\0")) return new KeyRange(start, null);
    return new KeyRange(start, end);
  }

  public static KeyRange all() { return new KeyRange("", null); }

  /** The single key this range covers, or null if it may cover more than one. */
  public String singleKey() {
    return end != null && end.length() == start.length() + 1 && end.endsWith("\0") && end.startsWith(start)
        ? start
        : null;
  }

  public boolean isEmpty() { return end != null && KeyOrder.compare(start, end) >= 0; }

  public boolean contains(String key) {
    return KeyOrder.compare(key, start) >= 0 && (end == null || KeyOrder.compare(key, end) < 0);
  }

  /**
   * The items whose key is in range, in their order; returns {@code items} itself when all are (the common case for
   * a watch on a whole prefix), so callers must pass an immutable list.
   */
  public <T> List<T> filter(List<T> items, Function<T, String> key) {
    int i = 0;
    int n = items.size();
    while (i < n && contains(key.apply(items.get(i)))) i++;
    if (i == n) return items;
    List<T> out = new ArrayList<>(n - 1);
    for (int j = 0; j < n; j++) {
      T item = items.get(j);
      if (j < i || (j > i && contains(key.apply(item)))) out.add(item);
    }
    return List.copyOf(out);
  }
}
