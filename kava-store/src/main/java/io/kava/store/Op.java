package io.kava.store;

/** An operation inside a txn. */
public sealed interface Op {
  String key();

  record Put(String key, byte[] value) implements Op {}

  record Delete(String key) implements Op {}

  record Get(String key) implements Op {}

  static Op put(String key, byte[] value) { return new Put(key, value); }

  static Op delete(String key) { return new Delete(key); }

  static Op get(String key) { return new Get(key); }
}
