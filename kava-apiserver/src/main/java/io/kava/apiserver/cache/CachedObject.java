package io.kava.apiserver.cache;

import io.kava.api.json.Json;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One object as the watch cache holds it: its serialized bytes (with metadata.resourceVersion already set) plus the
 * few fields that lists and watches filter on. Lists and watch fan-out only copy the bytes; the tree is parsed on
 * demand ({@link #object()}) for the rarer readers that need fields (Table and YAML output, conversions,
 * admission). The cache keeps no tree: a Jackson tree costs several times the bytes it was parsed from (a pod's
 * tree was ~60 KiB of maps and nodes against ~3 KiB of JSON), and the cache holds every object of the cluster.
 *
 * <p>Objects built around a tree that is at hand anyway (a converted view, an object read from the store for one
 * request) keep it, so short-lived objects do not parse twice.
 *
 * @see #compact
 */
public final class CachedObject {
  private final String key;
  private final String namespace;
  private final String name;
  private final byte[] bytes;
  private final long revision;
  private final Map<String, String> labels;
  private final Map<String, String> fields;
  // Only for short-lived objects; null in the watch cache.
  private final ObjectNode tree;

  /**
   * An object that keeps {@code object} beside its bytes (for results built per request).
   *
   * @param fields selectable field values (metadata.name, metadata.namespace and the kind's own)
   */
  public CachedObject(String key, String namespace, String name, ObjectNode object, byte[] bytes, long revision,
                      Map<String, String> labels, Map<String, String> fields) {
    this(key, namespace, name, bytes, revision, labels, fields, object);
  }

  private CachedObject(String key, String namespace, String name, byte[] bytes, long revision, Map<String, String> labels,
                       Map<String, String> fields, ObjectNode tree) {
    this.key = key;
    this.namespace = namespace;
    this.name = name;
    this.bytes = bytes;
    this.revision = revision;
    this.labels = labels;
    this.fields = fields;
    this.tree = tree;
  }

  /** An object held by its bytes alone: {@link #object()} parses them on each call. */
  public static CachedObject compact(String key, String namespace, String name, byte[] bytes, long revision,
                                     Map<String, String> labels, Map<String, String> fields) {
    return new CachedObject(key, namespace, name, bytes, revision, labels, fields, null);
  }

  public String key() { return key; }

  public String namespace() { return namespace; }

  public String name() { return name; }

  /** The serialized object, shared: never modify. */
  public byte[] bytes() { return bytes; }

  public long revision() { return revision; }

  public Map<String, String> labels() { return labels; }

  public Map<String, String> fields() { return fields; }

  /** True when {@link #object()} parses the bytes (the form the watch cache keeps). */
  public boolean isCompact() { return tree == null; }

  /**
   * The object as a tree. For a compact object each call parses a fresh tree that the caller owns; otherwise the
   * tree is shared and read-only by convention (copy before changing).
   */
  public ObjectNode object() {
    if (tree != null) return tree;
    return (ObjectNode) Json.parse(bytes);
  }

  @Override
  public String toString() { return "CachedObject[" + key + "@" + revision + "]"; }
}
