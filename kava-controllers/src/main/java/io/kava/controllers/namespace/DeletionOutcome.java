package io.kava.controllers.namespace;

import java.util.Map;
import java.util.SortedMap;

/**
 * What one pass over a terminating namespace's content found.
 *
 * @param discoveryFailures   group versions discovery could not read, with the reason
 * @param deletionFailures    resources whose deletion failed, with the error
 * @param remaining           "plural.group" to the number of objects still present
 * @param finalizersRemaining finalizer to the number of remaining objects that carry it
 * @param estimateSeconds     how long until the remaining content is expected to be gone (0 = unknown)
 */
record DeletionOutcome(SortedMap<String, String> discoveryFailures, SortedMap<String, String> deletionFailures,
                       SortedMap<String, Integer> remaining, SortedMap<String, Integer> finalizersRemaining,
                       long estimateSeconds) {
  boolean failed() { return !discoveryFailures.isEmpty() || !deletionFailures.isEmpty(); }

  boolean contentRemains() { return !remaining.isEmpty(); }

  static String describe(Map<String, ?> m) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(": ").append(v));
    return b.toString();
  }
}
