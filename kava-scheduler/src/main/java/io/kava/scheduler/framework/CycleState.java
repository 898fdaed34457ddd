package io.kava.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A per-cycle scratchpad keyed by typed keys: a plugin writes what it computed once (in PreFilter or PreScore) and
 * reads it many times (in Filter or Score for every node). Entries are {@link Data}: preemption's "what if" runs
 * work on a {@link #copy()}, so an entry that can change (PreFilterExtensions add or remove pods) copies itself;
 * immutable entries return themselves.
 *
 * <p>Not thread-safe for writes: the framework writes during PreFilter/PreScore on one thread and only reads while
 * filtering or scoring.
 */
public final class CycleState {
  /** A value kept in the state. */
  public interface Data {
    /** A copy independent of this one; immutable data returns {@code this}. */
    Data copy();
  }

  /** A typed key; two keys are the same if they have the same name. */
  public record Key<T extends Data>(String name) {
    public Key {
      Objects.requireNonNull(name);
    }

    public static <T extends Data> Key<T> of(String name) { return new Key<>(name); }
  }

  private final Map<String, Data> data;
  /** Plugins whose PreFilter said Skip: their Filter does not run this cycle. */
  final Set<String> skipFilter;
  /** Plugins whose PreScore said Skip: their Score does not run this cycle. */
  final Set<String> skipScore;
  /**
   * The filters that run this cycle (the profile's without those in skipFilter), worked out at the first node rather
   * than asking skipFilter for every plugin at each of the hundreds of nodes a cycle filters; null until then, and
   * again whenever skipFilter changes.
   */
  FilterPlugin[] filtersToRun;

  public CycleState() { this(new HashMap<>(), new HashSet<>(), new HashSet<>()); }

  private CycleState(Map<String, Data> data, Set<String> skipFilter, Set<String> skipScore) {
    this.data = data;
    this.skipFilter = skipFilter;
    this.skipScore = skipScore;
  }

  public <T extends Data> void write(Key<T> key, T value) { data.put(key.name(), value); }

  /** The value stored under {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public <T extends Data> T read(Key<T> key) { return (T) data.get(key.name()); }

  public void delete(Key<?> key) { data.remove(key.name()); }

  /** A deep copy for preemption's dry runs. */
  public CycleState copy() {
    Map<String, Data> m = new HashMap<>(data.size() * 2);
    data.forEach((k, v) -> m.put(k, v.copy()));
    CycleState c = new CycleState(m, new HashSet<>(skipFilter), new HashSet<>(skipScore));
    c.filtersToRun = filtersToRun;
    return c;
  }
}
