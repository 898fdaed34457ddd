package io.kava.store.sqlite;

/**
 * History row ids: {@code revision << 16 | sub}, where {@code sub} numbers the writes of one txn (etcd's
 * {@code (main, sub)} revision in one integer). Rows are thus stored in revision order in SQLite's rowid B-tree, so a
 * revision range is a rowid range, and the newest row is {@code max(id)}.
 */
final class Ids {
  static final int SUB_BITS = 16;

  private Ids() {}

  static long id(long revision, int sub) { return revision << SUB_BITS | sub; }

  static long revision(long id) { return id >>> SUB_BITS; }

  /** The smallest id of {@code revision}: ids of revisions {@code [a, b]} are {@code [first(a), first(b + 1))}. */
  static long first(long revision) { return revision << SUB_BITS; }
}
