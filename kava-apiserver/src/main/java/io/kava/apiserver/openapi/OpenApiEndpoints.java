package io.kava.apiserver.openapi;

import io.kava.apiserver.registry.ResourceRegistry;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAPI endpoints, as the HTTP layer calls them: {@code GET /openapi/v2} (JSON, or gnostic protobuf for
 * {@code Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf}), {@code GET /openapi/v3} (the index of
 * group versions) and {@code GET /openapi/v3/api/v1}, {@code /openapi/v3/apis/apps/v1}, ... (one document per group
 * version, immutable under its {@code ?hash=}), with entity tags and {@code If-None-Match} as upstream.
 *
 * <p>Also the home of {@link #fieldValidation()}, which checks request bodies against the same schemas.
 *
 * <p>Cheap to construct: the documents are generated on the first request (about a second), or ahead of it by
 * {@link #prepareInBackground()}. They are rebuilt, once, after the registry changes.
 */
public final class OpenApiEndpoints {
  private static final Logger log = LoggerFactory.getLogger(OpenApiEndpoints.class);

  public static final String JSON = "application/json";
  /** What kubectl asks for; upstream answers with {@link #PROTOBUF_V2}. */
  public static final String PROTOBUF_V2_REQUEST = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
  public static final String PROTOBUF_V2 = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  /**
   * One answer. {@code headers} are to be set on the response as they are (ETag, Vary, Cache-Control, Expires,
   * Location, Last-Modified); a 304 has an empty body.
   */
  public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {}

  private final OpenApiService service;
  private final FieldValidation fieldValidation;
  private final String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));

  public OpenApiEndpoints(ResourceRegistry registry) {
    this.service = new OpenApiService(registry);
    this.fieldValidation = new FieldValidation(service);
  }

  /** Publishes custom resources with their CRD's schema (call before serving). */
  public void customResourceSchemas(CustomResourceSchemas schemas) { service.customResourceSchemas(schemas); }

  /** Server-side field validation against the served schemas. */
  public FieldValidation fieldValidation() { return fieldValidation; }

  /** Generates the documents on a background thread, so that no request waits for them; returns at once. */
  public void prepareInBackground() {
    Thread t = new Thread(this::prepare, "openapi-prepare");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Builds the documents now, on the calling thread (a failure is logged: requests then build what they need). */
  public void prepare() {
    try {
      service.prepare();
    } catch (Throwable e) {
      log.warn("preparing the OpenAPI documents failed", e);
    }
  }

  /** True for the paths served here: {@code /openapi/v2}, {@code /openapi/v3} and {@code /openapi/v3/...}. */
  public boolean handles(String path) {
    return path.equals("/openapi/v2") || path.equals("/openapi/v3") || path.startsWith("/openapi/v3/");
  }

  /**
   * Answers a GET (or HEAD) of a path {@link #handles} accepts.
   *
   * @param hash the {@code hash} query parameter, or null
   * @param accept the {@code Accept} header, or null
   * @param ifNoneMatch the {@code If-None-Match} header, or null
   */
  public Response get(String path, String hash, String accept, String ifNoneMatch) {
    return get(path, hash, accept, ifNoneMatch, null);
  }

  /**
   * As {@link #get(String, String, String, String)}, for a client whose {@code Accept-Encoding} header is
   * {@code acceptEncoding} (or null): when it accepts gzip, a document's body is gzip-compressed and the headers say
   * {@code Content-Encoding: gzip}.
   */
  public Response get(String path, String hash, String accept, String ifNoneMatch, String acceptEncoding) {
    boolean gzip = Gzip.accepted(acceptEncoding);
    if (path.equals("/openapi/v2")) return v2(accept, ifNoneMatch, gzip);
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      OpenApiService.Doc index = service.v3().index();
      return ok(JSON, index.gzip(), index.etag(), ifNoneMatch, Map.of(), gzip);
    }
    return v3(path.substring("/openapi/v3/".length()), hash, accept, ifNoneMatch, gzip);
  }

  private Response v2(String accept, String ifNoneMatch, boolean gzip) {
    for (String[] clause : clauses(accept)) {
      String type = clause[0];
      String sub = clause[1];
      if (!type.equals("application") && !type.equals("*")) continue;
      boolean proto = sub.equals("com.github.proto-openapi.spec.v2@v1.0+protobuf") || sub.equals("com.github.proto-openapi.spec.v2.v1.0+protobuf");
      if (!sub.equals("json") && !sub.equals("*") && !proto) continue;
      OpenApiService.V2 v2 = service.v2();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Vary", "Accept");
      return proto ? ok(PROTOBUF_V2, v2.protoGzip(), v2.etag(), ifNoneMatch, headers, gzip)
          : ok(JSON, v2.jsonGzip(), v2.etag(), ifNoneMatch, headers, gzip);
    }
    return notAcceptable();
  }

  private Response v3(String groupVersion, String hash, String accept, String ifNoneMatch, boolean gzip) {
    for (String[] clause : clauses(accept)) {
      if (!clause[0].equals("application") && !clause[0].equals("*")) continue;
      if (!clause[1].equals("json") && !clause[1].equals("*")) continue; // the v3 protobuf form is not served
      OpenApiService.Doc doc = service.v3().groupVersions().get(groupVersion);
      if (doc == null) {
        return new Response(404, "text/plain; charset=utf-8", "404 page not found\n".getBytes(StandardCharsets.UTF_8), Map.of());
      }
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Vary", "Accept");
      if (hash != null && !hash.isEmpty()) {
        if (!hash.equals(doc.etag())) {
          headers.put("ETag", quote(doc.etag()));
          headers.put("Location", "/openapi/v3/" + groupVersion + "?hash=" + doc.etag());
          return new Response(301, "text/html; charset=utf-8", new byte[0], headers);
        }
        headers.put("Cache-Control", "public, immutable");
        headers.put("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusYears(1)));
      }
      return ok(JSON, doc.gzip(), doc.etag(), ifNoneMatch, headers, gzip);
    }
    return notAcceptable();
  }

  /** A document's answer from its gzip-compressed bytes: sent as they are to a client that accepts gzip. */
  private Response ok(String contentType, byte[] gzipBody, String etag, String ifNoneMatch, Map<String, String> extra, boolean gzip) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("ETag", quote(etag));
    headers.put("Last-Modified", lastModified);
    headers.merge("Vary", "Accept-Encoding", (a, b) -> a + ", " + b);
    if (matches(ifNoneMatch, etag)) return new Response(304, contentType, new byte[0], headers);
    if (!gzip) return new Response(200, contentType, Gzip.decompress(gzipBody), headers);
    headers.put("Content-Encoding", "gzip");
    return new Response(200, contentType, gzipBody, headers);
  }

  private static Response notAcceptable() {
    return new Response(406, "text/plain; charset=utf-8", new byte[0], Map.of());
  }

  private static String quote(String etag) { return "\"" + etag + "\""; }

  /** {@code If-None-Match}: {@code *} or a list of (possibly weak) entity tags. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) return false;
    for (String t : ifNoneMatch.split(",")) {
      String v = t.trim();
      if (v.equals("*")) return true;
      if (v.startsWith("W/")) v = v.substring(2);
      if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
      if (v.equals(etag)) return true;
    }
    return false;
  }

  /** The media ranges of an Accept header, best first: by quality, then specific before wildcard (as goautoneg). */
  static List<String[]> clauses(String accept) {
    String header = accept == null || accept.isBlank() ? "*/*" : accept;
    record Clause(String type, String sub, double q, int order) {}
    List<Clause> clauses = new ArrayList<>();
    int order = 0;
    for (String part : header.split(",")) {
      String[] params = part.split(";");
      String range = params[0].trim().toLowerCase(Locale.ROOT);
      if (range.isEmpty()) continue;
      double q = 1;
      for (int i = 1; i < params.length; i++) {
        String p = params[i].trim();
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (q <= 0) continue;
      int slash = range.indexOf('/');
      String type = slash < 0 ? range : range.substring(0, slash);
      String sub = slash < 0 ? "*" : range.substring(slash + 1);
      clauses.add(new Clause(type, sub, q, order++));
    }
    clauses.sort(Comparator.comparingDouble((Clause c) -> -c.q())
        .thenComparingInt(c -> c.type().equals("*") ? 1 : 0)
        .thenComparingInt(c -> c.sub().equals("*") ? 1 : 0)
        .thenComparingInt(Clause::order));
    List<String[]> out = new ArrayList<>();
    for (Clause c : clauses) out.add(new String[] {c.type(), c.sub()});
    return out;
  }
}
