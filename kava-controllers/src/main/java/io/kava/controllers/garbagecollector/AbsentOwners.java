package io.kava.controllers.garbagecollector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Owners a live GET found missing, so other dependents of the same owner skip the GET. Safe to cache: a uid is
 * never reused, so an owner once absent stays absent. Bounded LRU, as upstream's absentOwnerCache (500 entries).
 */
final class AbsentOwners {
  static final int SIZE = 500;

  private final Map<String, Boolean> seen = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) { return size() > SIZE; }
  };

  /** {@code namespace} is where the owner was looked for ("" for cluster-scoped owners). */
  synchronized boolean contains(String uid, String namespace) { return seen.containsKey(namespace + "/" + uid); }

  synchronized void add(String uid, String namespace) { seen.put(namespace + "/" + uid, Boolean.TRUE); }
}
