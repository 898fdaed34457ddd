package io.kava.apiserver.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * All served resources. Reads are lock-free over an immutable snapshot; registration (built-ins at start, CRDs
 * later) swaps the snapshot, so the per-request lookup never contends.
 */
public final class ResourceRegistry {
  private record Snapshot(Map<String, ResourceDefinition> byPath, Map<String, ResourceDefinition> byKind,
                          Map<String, ResourceDefinition> byKeyPrefix, List<ResourceDefinition> all) {}

  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), List.of());
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private static String pathKey(String group, String version, String plural) { return group + "/" + version + "/" + plural; }

  private static String kindKey(String group, String version, String kind) { return group + "/" + version + "/" + kind; }

  public synchronized void register(ResourceDefinition def) {
    List<ResourceDefinition> all = new ArrayList<>(snapshot.all());
    all.removeIf(d -> d.group().equals(def.group()) && d.version().equals(def.version()) && d.plural().equals(def.plural()));
    all.add(def);
    publish(all);
  }

  public synchronized void unregister(String group, String version, String plural) {
    List<ResourceDefinition> all = new ArrayList<>(snapshot.all());
    if (all.removeIf(d -> d.group().equals(group) && d.version().equals(version) && d.plural().equals(plural))) publish(all);
  }

  private void publish(List<ResourceDefinition> all) {
    Map<String, ResourceDefinition> byPath = new LinkedHashMap<>();
    Map<String, ResourceDefinition> byKind = new LinkedHashMap<>();
    Map<String, ResourceDefinition> byPrefix = new LinkedHashMap<>();
    for (ResourceDefinition d : all) {
      byPath.put(pathKey(d.group(), d.version(), d.plural()), d);
      byKind.put(kindKey(d.group(), d.version(), d.kind()), d);
      byPrefix.putIfAbsent(d.keyPrefix(), d);
    }
    snapshot = new Snapshot(Map.copyOf(byPath), Map.copyOf(byKind), Map.copyOf(byPrefix), List.copyOf(all));
    listeners.forEach(Runnable::run);
  }

  /** Called after every change (discovery and OpenAPI rebuild their documents then). */
  public void onChange(Runnable listener) { listeners.add(listener); }

  public Optional<ResourceDefinition> byPath(String group, String version, String plural) {
    return Optional.ofNullable(snapshot.byPath().get(pathKey(group, version, plural)));
  }

  public Optional<ResourceDefinition> byKind(String group, String version, String kind) {
    return Optional.ofNullable(snapshot.byKind().get(kindKey(group, version, kind)));
  }

  /** The resource whose objects are stored under the storage key {@code key}. */
  public Optional<ResourceDefinition> byStorageKey(String key) {
    int second = key.indexOf('/', 1);
    int third = second < 0 ? -1 : key.indexOf('/', second + 1);
    if (third < 0) return Optional.empty();
    return Optional.ofNullable(snapshot.byKeyPrefix().get(key.substring(0, third + 1)));
  }

  public List<ResourceDefinition> all() { return snapshot.all(); }

  /** Group names in registration order, "" (core) first if present. */
  public List<String> groups() {
    List<String> groups = new ArrayList<>();
    for (ResourceDefinition d : snapshot.all()) if (!groups.contains(d.group())) groups.add(d.group());
    return groups;
  }

  public List<String> versions(String group) {
    List<String> versions = new ArrayList<>();
    for (ResourceDefinition d : snapshot.all()) if (d.group().equals(group) && !versions.contains(d.version())) versions.add(d.version());
    return versions;
  }

  public List<ResourceDefinition> resources(String group, String version) {
    return snapshot.all().stream().filter(d -> d.group().equals(group) && d.version().equals(version)).toList();
  }
}
