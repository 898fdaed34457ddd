package io.kava.store;

import java.util.List;

/**
 * @param kvs      keys in ascending key order
 * @param revision the revision the range was read at
 * @param more     whether keys beyond {@code limit} exist in the range
 * @param count    total number of keys in the range at that revision
 */
public record RangeResult(List<KeyValue> kvs, long revision, boolean more, long count) {}
