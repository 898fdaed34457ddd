package io.kava.store;

import java.util.List;

/**
 * Outcome of {@link Store#txn}.
 *
 * @param succeeded whether every compare held (the success branch ran)
 * @param revision  the store revision after the txn: the new revision when it wrote, else the current one
 * @param results   one entry per op of the branch that ran, in order: for Put the key's new {@link KeyValue};
 *                  for Delete the deleted {@link KeyValue} (null if the key did not exist);
 *                  for Get the current {@link KeyValue} (null if absent)
 */
public record TxnResult(boolean succeeded, long revision, List<KeyValue> results) {}
