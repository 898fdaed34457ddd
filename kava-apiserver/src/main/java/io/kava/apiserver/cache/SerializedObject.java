package io.kava.apiserver.cache;

import io.kava.api.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An object's JSON as {@link Json#bytes} writes it, and where its metadata object ends, so that the JSON of the same
 * object with {@code metadata.resourceVersion} added last (what a create answers, once the store has given the
 * revision) is a copy with one field inserted instead of a second serialization.
 *
 * @param bytes       the object's JSON, byte for byte what {@link Json#bytes} gives
 * @param metadataEnd offset of the closing brace of the top-level {@code metadata} object, or -1 when there is none
 *                    or it already has a resourceVersion (then there is no variant to splice)
 */
public record SerializedObject(byte[] bytes, int metadataEnd) {

  /**
   * Output buffers kept between serializations: a fresh 2 KiB stream grew twice and was copied once for a pod of
   * 4 KiB (18 KiB allocated for 4), the largest allocation of a write. Any thread may take one; a few are kept.
   */
  private static final ArrayBlockingQueue<Output> FREE = new ArrayBlockingQueue<>(8);
  private static final int MAX_KEPT_BYTES = 1 << 20;

  private static final class Output extends ByteArrayOutputStream {
    Output() { super(16 * 1024); }

    int capacity() { return buf.length; }
  }

  public static SerializedObject of(ObjectNode object) {
    Output out = FREE.poll();
    if (out == null) out = new Output();
    try {
      return write(object, out);
    } finally {
      if (out.capacity() <= MAX_KEPT_BYTES) {
        out.reset();
        FREE.offer(out);
      }
    }
  }

  private static SerializedObject write(ObjectNode object, Output out) {
    int metadataEnd = -1;
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        g.writeName(e.getKey());
        if (metadataEnd < 0 && e.getKey().equals("metadata") && e.getValue() instanceof ObjectNode meta && !meta.has("resourceVersion")) {
          g.writeStartObject();
          for (Map.Entry<String, JsonNode> m : meta.properties()) {
            g.writeName(m.getKey());
            g.writeTree(m.getValue());
          }
          g.flush();
          metadataEnd = out.size();
          g.writeEndObject();
        } else {
          g.writeTree(e.getValue());
        }
      }
      g.writeEndObject();
    }
    return new SerializedObject(out.toByteArray(), metadataEnd);
  }

  /**
   * The JSON with {@code "resourceVersion":"<revision>"} as the last field of metadata: what {@link Json#bytes} gives
   * for the object after {@code metadata.put("resourceVersion", ...)}, provided metadata had no resourceVersion.
   */
  public byte[] withResourceVersion(long revision) {
    if (metadataEnd < 0) return null;
    boolean empty = bytes[metadataEnd - 1] == '{';
    byte[] field = ((empty ? "" : ",") + "\"resourceVersion\":\"" + revision + "\"").getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(bytes, bytes.length + field.length);
    System.arraycopy(field, 0, out, metadataEnd, field.length);
    System.arraycopy(bytes, metadataEnd, out, metadataEnd + field.length, bytes.length - metadataEnd);
    return out;
  }
}
