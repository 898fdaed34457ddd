package io.kava.apiserver.apply;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What field management needs to know about one position of an object's schema: how a JSON object there merges
 * (granular, key by key, or atomic) and how a JSON array there merges ({@link ListType}). Positions are walked with
 * {@link #field} and {@link #element}; walking never fails (an unknown position answers like {@link #DEDUCED}).
 *
 * <p>Built-in kinds get their answers from the Go type markers ({@code PatchMeta}); custom resources from their
 * schema ({@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys}, {@code x-kubernetes-map-type}), which a
 * {@link TypeResolver} supplies. Implementations must be immutable and cheap to walk: they are consulted for every
 * field of every write.
 */
public interface ApplyType {
  /** How server-side apply treats a list ({@code x-kubernetes-list-type}). */
  enum ListType {
    /** Replaced as a whole; one owner. */
    ATOMIC,
    /** Scalars, each item owned apart, identified by value ({@code v:}). */
    SET,
    /** Objects, each item owned apart, identified by its {@link #listMapKeys} ({@code k:}). */
    MAP
  }

  /** True when an object here is replaced as a whole ({@code mapType/structType=atomic}); false = granular. */
  boolean atomicObject();

  /** How an array here merges. */
  ListType listType();

  /** The key fields of a {@link ListType#MAP} list; empty otherwise. */
  List<String> listMapKeys();

  /** The value a missing key field of a map-list item stands for (upstream: the key field's schema default), or null. */
  default JsonNode keyDefault(String key) { return null; }

  /** The type of an object's field (or of any value of a map). */
  ApplyType field(String name);

  /** The type of a list's items. */
  ApplyType element();

  /**
   * No schema (upstream's "deduced" type, used for custom resources without one): every object is granular with
   * fields of the deduced type, every list is atomic.
   */
  ApplyType DEDUCED = new ApplyType() {
    @Override public boolean atomicObject() { return false; }
    @Override public ListType listType() { return ListType.ATOMIC; }
    @Override public List<String> listMapKeys() { return List.of(); }
    @Override public ApplyType field(String name) { return this; }
    @Override public ApplyType element() { return this; }
    @Override public String toString() { return "deduced"; }
  };
}
