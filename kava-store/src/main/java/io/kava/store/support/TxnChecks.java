package io.kava.store.support;

import io.kava.store.Compare;
import io.kava.store.Op;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Argument checks every backend applies before a txn reaches its writer, so a bad txn fails only its caller. */
public final class TxnChecks {
  /**
   * Most writes one txn may carry. etcd's default is 128; kava writes one or two keys per txn, and the sqlite
   * backend numbers the writes of a revision in 16 bits.
   */
  public static final int MAX_WRITES_PER_TXN = 0xFFFF;

  private TxnChecks() {}

  public static void check(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
    Objects.requireNonNull(compares, "compares");
    for (Compare c : compares) {
      Objects.requireNonNull(c, "compare");
      checkKey(c.key());
      if (c instanceof Compare.ModRevision m && m.modRevision() < 0) {
        throw new IllegalArgumentException("negative mod revision in compare on " + c.key());
      }
    }
    checkBranch(onSuccess, "onSuccess");
    checkBranch(onFailure, "onFailure");
  }

  private static void checkBranch(List<Op> ops, String name) {
    Objects.requireNonNull(ops, name);
    Set<String> written = null;
    int writes = 0;
    for (Op op : ops) {
      Objects.requireNonNull(op, "op in " + name);
      checkKey(op.key());
      if (op instanceof Op.Get) continue;
      if (op instanceof Op.Put p) Objects.requireNonNull(p.value(), "value of " + p.key());
      if (written == null) written = new HashSet<>();
      if (!written.add(op.key())) {
        throw new IllegalArgumentException("duplicate key given in txn request: " + op.key() + " (" + name + ")");
      }
      if (++writes > MAX_WRITES_PER_TXN) throw new IllegalArgumentException("too many writes in one txn");
    }
  }

  private static void checkKey(String key) {
    if (key == null || key.isEmpty()) throw new IllegalArgumentException("empty key");
  }

  /** Whether the branch can write at all (a txn that cannot never advances the revision). */
  public static boolean writes(List<Op> ops) {
    for (Op op : ops) if (!(op instanceof Op.Get)) return true;
    return false;
  }
}
