package io.kava.apiserver.patch;

import io.kava.apiserver.errors.StatusException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The PATCH body formats, named by the request's Content-Type (upstream's {@code types.PatchType}).
 *
 * <p>Parsing follows kube-apiserver: everything from the first {@code ;} on (charset and other parameters) is
 * dropped and the rest must match one of the media types exactly; anything else is 415 UnsupportedMediaType
 * listing the accepted types. Custom resources do not accept strategic merge patch, so their list omits it.
 */
public enum PatchType {
  JSON_PATCH("application/json-patch+json"),
  MERGE_PATCH("application/merge-patch+json"),
  STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json"),
  /** Server-side apply; recognised here, applied elsewhere. */
  APPLY_YAML("application/apply-patch+yaml");

  private final String mediaType;

  PatchType(String mediaType) { this.mediaType = mediaType; }

  public String mediaType() { return mediaType; }

  /** Types a built-in kind accepts, in upstream's order (used in the 415 message). */
  public static final List<PatchType> BUILT_IN = List.of(JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_YAML);

  /** Types a custom resource (or any kind without strategic-merge metadata) accepts. */
  public static final List<PatchType> CUSTOM = List.of(JSON_PATCH, MERGE_PATCH, APPLY_YAML);

  /** The patch type named by a Content-Type header value, parameters ignored; empty when it names none. */
  public static Optional<PatchType> parse(String contentType) {
    if (contentType == null) return Optional.empty();
    String bare = contentType;
    int semi = bare.indexOf(';');
    if (semi > 0) bare = bare.substring(0, semi);
    bare = bare.trim();
    for (PatchType t : values()) {
      if (t.mediaType.equals(bare)) return Optional.of(t);
    }
    return Optional.empty();
  }

  /**
   * The patch type for a request, or 415 UnsupportedMediaType exactly as kube-apiserver words it:
   * {@code the body of the request was in an unknown format - accepted media types include: ...}.
   *
   * @param strategicSupported false for custom resources (see {@link PatchMeta#supports}), which reject
   *                           strategic merge patch with the shorter accepted list
   */
  public static PatchType fromContentType(String contentType, boolean strategicSupported) {
    List<PatchType> accepted = strategicSupported ? BUILT_IN : CUSTOM;
    Optional<PatchType> t = parse(contentType);
    if (t.isEmpty() || !accepted.contains(t.get())) throw unsupported(accepted);
    return t.get();
  }

  static StatusException unsupported(List<PatchType> accepted) {
    return new StatusException(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
            + accepted.stream().map(PatchType::mediaType).collect(Collectors.joining(", ")));
  }
}
