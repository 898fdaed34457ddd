package io.kava.controllers.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kava.api.json.Json;
import io.kava.controllers.workload.Serial;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod-template-hash that names a Deployment's ReplicaSets ({@code <deployment>-<hash>}) and labels their pods.
 * Upstream's algorithm (controller.ComputeHash):
 *
 * <ol>
 *   <li>a 32-bit FNV-1a hash over a deterministic dump of the pod template;</li>
 *   <li>if the Deployment has a status.collisionCount, 8 more bytes: the count as a little-endian uint32 followed by
 *       four zero bytes (so bumping the count after a name collision gives a new name);</li>
 *   <li>the hash's decimal digits, each mapped through the "safe" alphabet {@code bcdfghjklmnpqrstvwxz2456789} by
 *       its character code modulo 27 (so names never spell words and only {@code 4-9 b c d f} appear).</li>
 * </ol>
 *
 * Upstream dumps the Go struct with go-spew, which depends on the Go type definitions of the Kubernetes release (the
 * same template hashes differently across releases). kava dumps the template's canonical JSON instead: keys sorted,
 * nulls and empty lists and objects dropped. Names therefore have upstream's form and stability (same template and
 * count give the same name, on every kava) but not the digits a given Kubernetes release would print.
 */
public final class PodTemplateHash {
  /** apps/v1 DefaultDeploymentUniqueLabelKey. */
  public static final String LABEL = "pod-template-hash";
  static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private PodTemplateHash() {}

  public static String compute(PodTemplateSpec template, Integer collisionCount) {
    int h = fnv1a(FNV_OFFSET, canonicalJson(canonical(Serial.tree(template))).getBytes(StandardCharsets.UTF_8));
    if (collisionCount != null) {
      int c = collisionCount;
      byte[] count = {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24), 0, 0, 0, 0};
      h = fnv1a(h, count);
    }
    return safeEncode(Integer.toUnsignedString(h));
  }

  static int fnv1a(int hash, byte[] data) {
    for (byte b : data) {
      hash ^= (b & 0xff);
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** Upstream's rand.SafeEncodeString: each character replaced by alphabet[code % 27]. */
  static String safeEncode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(c -> out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length())));
    return out.toString();
  }

  /**
   * Upstream's EqualIgnoreHash: the templates are equal apart from the pod-template-hash label. Compared
   * semantically: an absent field, a null and an empty list or map are the same.
   */
  public static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
    return canonical(withoutHashLabel(Serial.tree(a))).equals(canonical(withoutHashLabel(Serial.tree(b))));
  }

  /** The templates are equal in the same semantic sense (a ControllerRevision holds the template). */
  public static boolean sameTemplate(PodTemplateSpec a, PodTemplateSpec b) {
    return Objects.equals(canonical(Serial.tree(a)), canonical(Serial.tree(b)));
  }

  private static JsonNode withoutHashLabel(JsonNode t) {
    if (t instanceof ObjectNode o && o.path("metadata").path("labels") instanceof ObjectNode labels && labels.has(LABEL)) {
      ObjectNode copy = o.deepCopy();
      ((ObjectNode) copy.get("metadata").get("labels")).remove(LABEL);
      return copy;
    }
    return t;
  }

  /** A copy without nulls and without empty lists and objects (after their own contents were cleaned); null if empty. */
  static JsonNode canonical(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    if (n.isObject()) {
      ObjectNode out = Json.object();
      List<String> names = new ArrayList<>();
      n.propertyNames().forEach(names::add);
      names.sort(null);
      for (String k : names) {
        JsonNode v = canonical(n.get(k));
        if (v != null) out.set(k, v);
      }
      return out.isEmpty() ? null : out;
    }
    if (n.isArray()) {
      ArrayNode out = Json.NODES.arrayNode();
      for (JsonNode e : n) {
        JsonNode v = canonical(e);
        out.add(v == null ? Json.NODES.nullNode() : v); // keep positions
      }
      return out.isEmpty() ? null : out;
    }
    return n;
  }

  /** Compact JSON with object keys in sorted order. */
  static String canonicalJson(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    write(n, sb);
    return sb.toString();
  }

  private static void write(JsonNode n, StringBuilder sb) {
    if (n == null || n.isNull()) {
      sb.append("null");
    } else if (n.isObject()) {
      sb.append('{');
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(n.properties());
      entries.sort(Map.Entry.comparingByKey());
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : entries) {
        if (!first) sb.append(',');
        first = false;
        sb.append(Json.MAPPER.writeValueAsString(e.getKey())).append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) sb.append(',');
        write(n.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(Json.MAPPER.writeValueAsString(n));
    }
  }
}
