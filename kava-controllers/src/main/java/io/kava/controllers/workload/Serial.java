package io.kava.controllers.workload;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.databind.JsonNode;

/**
 * fabric8's serialization, for deep copies of cached objects (never change what an informer holds) and for JSON
 * views of model objects.
 */
public final class Serial {
  private static final KubernetesSerialization SERIAL = new KubernetesSerialization();

  private Serial() {}

  public static <T> T copy(T o) { return o == null ? null : SERIAL.clone(o); }

  public static JsonNode tree(Object o) { return SERIAL.convertValue(o, JsonNode.class); }

  public static String json(Object o) { return SERIAL.asJson(o); }
}
