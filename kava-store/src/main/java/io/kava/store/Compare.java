package io.kava.store;

/** A txn guard. The only comparison kava needs is etcd's {@code mod_revision == n}. */
public sealed interface Compare {
  String key();

  /** Holds when the key's current mod revision equals {@code modRevision}; 0 means "the key does not exist". */
  record ModRevision(String key, long modRevision) implements Compare {}

  static Compare absent(String key) { return new ModRevision(key, 0); }

  static Compare modRevision(String key, long rev) { return new ModRevision(key, rev); }
}
