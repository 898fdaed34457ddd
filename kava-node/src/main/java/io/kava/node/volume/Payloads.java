package io.kava.node.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.kava.node.env.ContainerResources;
import io.kava.node.env.NodeAllocatable;
import io.kava.node.env.PodFields;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files of configMap, secret and downwardAPI volumes (and projected sources), as upstream's MakePayload. */
final class Payloads {
  /** configMap, secret, downwardAPI and projected volumes default to 0644 (secrets too, as upstream). */
  static final int DEFAULT_MODE = 0644;

  private Payloads() {}

  static Map<String, FileProjection> configMap(List<KeyToPath> items, ConfigMap cm, int defaultMode, boolean optional) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (cm.getData() != null) cm.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    if (cm.getBinaryData() != null) cm.getBinaryData().forEach((k, v) -> data.putIfAbsent(k, Base64.getDecoder().decode(v)));
    return project(items, data, defaultMode, optional, "configmap references non-existent config key: ");
  }

  static Map<String, FileProjection> secret(List<KeyToPath> items, Secret secret, int defaultMode, boolean optional) {
    return project(items, secretData(secret), defaultMode, optional, "references non-existent secret key: ");
  }

  /** A secret's data decoded (fabric8 carries it base64), with stringData merged as the API server would. */
  static Map<String, byte[]> secretData(Secret secret) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret.getData() != null) secret.getData().forEach((k, v) -> data.put(k, Base64.getMimeDecoder().decode(v)));
    if (secret.getStringData() != null) secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return data;
  }

  private static Map<String, FileProjection> project(List<KeyToPath> items, Map<String, byte[]> data, int defaultMode,
      boolean optional, String missingKey) {
    Map<String, FileProjection> payload = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.forEach((k, v) -> payload.put(k, new FileProjection(v, defaultMode)));
      return payload;
    }
    for (KeyToPath item : items) {
      byte[] v = data.get(item.getKey());
      if (v == null) {
        if (optional) continue;
        throw new VolumeException(missingKey + item.getKey());
      }
      payload.put(item.getPath(), new FileProjection(v, item.getMode() != null ? item.getMode() : defaultMode));
    }
    return payload;
  }

  /** The downwardAPI files; every failing item is reported, as upstream aggregates them. */
  static Map<String, FileProjection> downwardApi(List<DownwardAPIVolumeFile> items, Pod pod, int defaultMode,
      NodeAllocatable node) {
    Map<String, FileProjection> payload = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    if (items == null) return payload;
    for (DownwardAPIVolumeFile item : items) {
      int mode = item.getMode() != null ? item.getMode() : defaultMode;
      String value = "";
      try {
        if (item.getFieldRef() != null) {
          value = PodFields.metadata(pod, item.getFieldRef().getFieldPath());
        } else if (item.getResourceFieldRef() != null) {
          value = ContainerResources.value(pod, item.getResourceFieldRef().getContainerName(), item.getResourceFieldRef(), node);
        }
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
      payload.put(Path.of(item.getPath()).normalize().toString(), new FileProjection(value.getBytes(StandardCharsets.UTF_8), mode));
    }
    if (!errors.isEmpty()) throw new VolumeException(aggregate(errors));
    return payload;
  }

  /** Upstream's utilerrors aggregate: one error as itself, several as {@code [a, b]}. */
  static String aggregate(List<String> errors) {
    return errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]";
  }
}
