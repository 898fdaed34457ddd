package io.kava.controllers.job;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;

/**
 * A set of completion indexes in the compressed form of {@code status.completedIndexes}: ascending intervals
 * separated by commas, an interval of two or more written "first-last" ("1,3-5,7"). Indexes at or above the job's
 * completions are ignored when parsing, as upstream does after completions shrink.
 */
public final class CompletedIndexes {
  private final BitSet set;

  private CompletedIndexes(BitSet set) { this.set = set; }

  public static CompletedIndexes empty() { return new CompletedIndexes(new BitSet()); }

  /** Parses the status form; malformed parts are skipped (the controller rewrites the field from what it counts). */
  public static CompletedIndexes parse(String s, int completions) {
    BitSet b = new BitSet();
    if (s == null || s.isBlank()) return new CompletedIndexes(b);
    for (String part : s.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      try {
        int dash = p.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
        if (from < 0 || to < from) continue;
        b.set(from, Math.min(to, completions - 1) + 1);
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        // skip the malformed part
      }
    }
    return new CompletedIndexes(b);
  }

  public CompletedIndexes with(Collection<Integer> indexes) {
    BitSet b = (BitSet) set.clone();
    for (int i : indexes) if (i >= 0) b.set(i);
    return new CompletedIndexes(b);
  }

  public boolean has(int index) { return index >= 0 && set.get(index); }

  public int total() { return set.cardinality(); }

  /** The indexes below {@code completions} that are not in the set, lowest first, at most {@code limit} of them. */
  public java.util.List<Integer> missing(int completions, int limit) {
    java.util.List<Integer> out = new ArrayList<>();
    for (int i = set.nextClearBit(0); i < completions && out.size() < limit; i = set.nextClearBit(i + 1)) out.add(i);
    return out;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int from = set.nextSetBit(0); from >= 0; ) {
      int to = set.nextClearBit(from) - 1;
      if (!sb.isEmpty()) sb.append(',');
      sb.append(from);
      if (to > from) sb.append('-').append(to);
      from = set.nextSetBit(to + 1);
    }
    return sb.toString();
  }
}
