package io.kava.store;

/**
 * One stored key at one revision, as etcd v3 reports it.
 *
 * @param createRevision revision of the txn that created this incarnation of the key
 * @param modRevision    revision of the txn that last wrote it (the object's resourceVersion)
 * @param version        number of writes since creation (1 after create); 0 for a deletion
 * @param value          the stored bytes; callers must not mutate the array
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {}
