package io.kava.apiserver.registry.kinds;

import io.kava.apiserver.registry.StorageConversion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * events.k8s.io/v1 Events are core/v1 Events under other field names, stored once (as upstream stores both
 * versions at the same key), so `kubectl get events` and `kubectl events` see the same objects.
 */
public enum EventsV1Conversion implements StorageConversion {
  INSTANCE;

  /** events.k8s.io/v1 name → core/v1 name. */
  private static final String[][] RENAMES = {
      {"regarding", "involvedObject"},
      {"note", "message"},
      {"deprecatedSource", "source"},
      {"deprecatedFirstTimestamp", "firstTimestamp"},
      {"deprecatedLastTimestamp", "lastTimestamp"},
      {"deprecatedCount", "count"},
      {"reportingController", "reportingComponent"},
  };

  @Override
  public String storagePrefix() { return "/core/events/"; }

  @Override
  public ObjectNode toStorage(ObjectNode served) {
    served.put("apiVersion", "v1");
    for (String[] r : RENAMES) move(served, r[0], r[1]);
    return served;
  }

  @Override
  public ObjectNode fromStorage(ObjectNode stored) {
    stored.put("apiVersion", "events.k8s.io/v1");
    for (String[] r : RENAMES) move(stored, r[1], r[0]);
    return stored;
  }

  private static void move(ObjectNode o, String from, String to) {
    JsonNode v = o.remove(from);
    if (v != null && !v.isNull()) o.set(to, v);
    else o.remove(to);
  }
}
