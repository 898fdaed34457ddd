package io.kava.apiserver.http;

import io.kava.apiserver.errors.StatusException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Content negotiation: what the client sent and which representation it wants back. */
public final class MediaTypes {
  public static final String JSON = "application/json";
  public static final String YAML = "application/yaml";
  public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  public static final String APPLY_PATCH = "application/apply-patch+yaml";

  private MediaTypes() {}

  /** One media range of an Accept header. */
  public record MediaRange(String type, Map<String, String> params) {
    public String param(String name) { return params.get(name); }
  }

  /** The representation a response takes. */
  public enum Output { OBJECT_JSON, OBJECT_YAML, TABLE, PARTIAL_METADATA, PARTIAL_METADATA_LIST }

  /** The chosen output and, for Table/metadata, the meta.k8s.io version requested (v1 or v1beta1). */
  public record Negotiated(Output output, String metaVersion) {}

  public static List<MediaRange> parseAccept(String header) {
    List<MediaRange> ranges = new ArrayList<>();
    if (header == null || header.isBlank()) return ranges;
    for (String part : header.split(",")) {
      String[] bits = part.trim().split(";");
      if (bits[0].isBlank()) continue;
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 1; i < bits.length; i++) {
        int eq = bits[i].indexOf('=');
        if (eq > 0) params.put(bits[i].substring(0, eq).trim().toLowerCase(Locale.ROOT), bits[i].substring(eq + 1).trim());
      }
      ranges.add(new MediaRange(bits[0].trim().toLowerCase(Locale.ROOT), params));
    }
    return ranges;
  }

  /**
   * Picks the first representation in the Accept header the server can produce for a resource response.
   *
   * @param list whether the response is a list (PartialObjectMetadataList) or a single object
   */
  public static Negotiated negotiate(String accept, boolean list) {
    List<MediaRange> ranges = parseAccept(accept);
    if (ranges.isEmpty()) return new Negotiated(Output.OBJECT_JSON, null);
    for (MediaRange r : ranges) {
      boolean jsonLike = r.type().equals(JSON) || r.type().equals("*/*") || r.type().equals("application/*");
      String as = r.param("as");
      if (as != null) {
        if (!r.type().equals(JSON)) continue; // Tables and metadata are served as JSON only
        String g = r.param("g");
        String v = r.param("v");
        if (!"meta.k8s.io".equals(g) || !("v1".equals(v) || "v1beta1".equals(v))) continue;
        switch (as) {
          case "Table" -> { return new Negotiated(Output.TABLE, v); }
          case "PartialObjectMetadata" -> { if (!list) return new Negotiated(Output.PARTIAL_METADATA, v); }
          case "PartialObjectMetadataList" -> { if (list) return new Negotiated(Output.PARTIAL_METADATA_LIST, v); }
          default -> { }
        }
        continue;
      }
      if (jsonLike) return new Negotiated(Output.OBJECT_JSON, null);
      if (r.type().equals(YAML) || r.type().equals("application/x-yaml") || r.type().equals("text/yaml")) {
        return new Negotiated(Output.OBJECT_YAML, null);
      }
    }
    throw StatusException.notAcceptable("only the following media types are accepted: application/json, application/yaml, "
        + "application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");
  }

  /** The bare media type of a Content-Type header (lowercase, no parameters); JSON when absent. */
  public static String contentType(String header) {
    if (header == null || header.isBlank()) return JSON;
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
