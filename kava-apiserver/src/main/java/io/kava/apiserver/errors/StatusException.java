package io.kava.apiserver.errors;

import io.kava.api.validation.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An API error that becomes a {@code Status} response: HTTP code, reason (upstream's StatusReason), message,
 * and optional details (name, group, kind, causes). Thrown anywhere in request handling; the HTTP layer renders it.
 */
public final class StatusException extends RuntimeException {
  public record Cause(String reason, String message, String field) {}

  private final int code;
  private final String reason;
  private final String name;
  private final String group;
  private final String kind;
  private final List<Cause> causes;
  private final Integer retryAfterSeconds;

  public StatusException(int code, String reason, String message, String name, String group, String kind,
                         List<Cause> causes, Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
    this.name = name;
    this.group = group;
    this.kind = kind;
    this.causes = causes == null ? List.of() : List.copyOf(causes);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public StatusException(int code, String reason, String message) {
    this(code, reason, message, null, null, null, List.of(), null);
  }

  public int code() { return code; }
  public String reason() { return reason; }
  public String name() { return name; }
  public String group() { return group; }
  public String kind() { return kind; }
  public List<Cause> causes() { return causes; }
  public Integer retryAfterSeconds() { return retryAfterSeconds; }
  public boolean hasDetails() { return name != null || group != null || kind != null || !causes.isEmpty() || retryAfterSeconds != null; }

  /** "pods" in group "" renders as {@code pods}; "deployments" in "apps" as {@code deployments.apps}. */
  private static String qualified(String resource, String group) {
    return group == null || group.isEmpty() ? resource : resource + "." + group;
  }

  public static StatusException notFound(String group, String resource, String name) {
    return new StatusException(404, "NotFound", qualified(resource, group) + " \"" + name + "\" not found",
        name, group, resource, List.of(), null);
  }

  public static StatusException alreadyExists(String group, String resource, String name) {
    return new StatusException(409, "AlreadyExists", qualified(resource, group) + " \"" + name + "\" already exists",
        name, group, resource, List.of(), null);
  }

  /** Upstream's fixed optimistic-concurrency message. */
  public static StatusException conflict(String group, String resource, String name) {
    return new StatusException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(resource, group) + " \"" + name
        + "\": the object has been modified; please apply your changes to the latest version and try again",
        name, group, resource, List.of(), null);
  }

  public static StatusException conflict(String group, String resource, String name, String why) {
    return new StatusException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(resource, group) + " \"" + name
        + "\": " + why, name, group, resource, List.of(), null);
  }

  public static StatusException badRequest(String message) { return new StatusException(400, "BadRequest", message); }

  public static StatusException forbidden(String message) { return new StatusException(403, "Forbidden", message); }

  public static StatusException unauthorized() { return new StatusException(401, "Unauthorized", "Unauthorized"); }

  public static StatusException methodNotSupported(String group, String resource, String verb) {
    return new StatusException(405, "MethodNotAllowed", verb + " is not supported on resources of kind \"" + qualified(resource, group) + "\"",
        null, group, resource, List.of(), null);
  }

  public static StatusException notAcceptable(String message) { return new StatusException(406, "NotAcceptable", message); }

  public static StatusException unsupportedMediaType(String contentType) {
    return new StatusException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
        + "application/json, application/yaml, application/vnd.kubernetes.protobuf" + (contentType == null ? "" : ""));
  }

  public static StatusException tooLarge(String message) { return new StatusException(413, "RequestEntityTooLarge", message); }

  public static StatusException gone(String message) { return new StatusException(410, "Expired", message); }

  public static StatusException internal(String message) { return new StatusException(500, "InternalError", "Internal error occurred: " + message); }

  public static StatusException timeout(String message) { return new StatusException(504, "Timeout", message); }

  public static StatusException tooManyRequests(String message, int retryAfter) {
    return new StatusException(429, "TooManyRequests", message, null, null, null, List.of(), retryAfter);
  }

  public static StatusException invalidDeleteOptions(String policy) {
    return invalid("meta.k8s.io", "DeleteOptions", "", List.of(FieldError.notSupported("propagationPolicy", policy,
        List.of("Foreground", "Background", "Orphan", "nil"))));
  }

  /** Upstream's NewInvalid: {@code Pod "x" is invalid: [a: Required value, b: Invalid value: ...]}. */
  public static StatusException invalid(String group, String kind, String name, List<FieldError> errors) {
    String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
    String list = errors.size() == 1 ? errors.get(0).message()
        : errors.stream().map(FieldError::message).collect(Collectors.joining(", ", "[", "]"));
    List<Cause> causes = errors.stream().map(e -> new Cause(e.type().reason, e.errorBody(), e.field())).toList();
    return new StatusException(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + list,
        name, group, kind, causes, null);
  }
}
