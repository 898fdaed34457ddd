package io.kava.apiserver.http;

import io.kava.apiserver.auth.Authorizer;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.openapi.OpenApiEndpoints;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The top of request handling: health and version endpoints, discovery, then the generic resource endpoint.
 * Every failure becomes a Status response here; nothing escapes to the HTTP layer.
 */
public final class ApiHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

  private final Discovery discovery;
  private final ResourceHandler resources;
  private final byte[] version;
  private final OpenApiEndpoints openApi;
  private volatile boolean ready = true;

  public ApiHandler(Discovery discovery, ResourceHandler resources, byte[] version, OpenApiEndpoints openApi) {
    this.discovery = discovery;
    this.resources = resources;
    this.version = version;
    this.openApi = openApi;
  }

  /** Whether /readyz answers ok (true until told otherwise: handlers built without a bootstrap step serve at once). */
  public void setReady(boolean ready) { this.ready = ready; }

  public boolean ready() { return ready; }

  /**
   * Whether a body-less request for {@code path} is answered from constants (health checks, version) and so may be
   * handled on the event loop: probes then get their answer even while start-up work keeps the virtual-thread
   * carriers busy (a CPU-bound virtual thread holds its carrier until it blocks).
   */
  public boolean answersOnEventLoop(String method, String path) {
    return (method.equals("GET") || method.equals("HEAD")) && Authorizer.PUBLIC_PATHS.contains(path);
  }

  /**
   * On the event loop: answers a GET of one object that the watch cache can answer at once (an authenticated
   * resource GET of the latest or any version, as JSON) and returns true; returns false, having answered nothing, for
   * every other request and whenever answering could block or fail — {@link #handle} on a worker then answers it.
   */
  public boolean answeredWithoutBlocking(Exchange ex) {
    String path = ex.path();
    if (!ex.method().equals("GET") || !(path.startsWith("/api/") || path.startsWith("/apis/"))) return false;
    if (!Authorizer.allowsAnything(ex.user())) return false;
    try {
      RequestInfo ri = RequestInfo.parse("GET", path, ex.flag("watch"));
      return ri.resourceRequest() && resources.getWithoutBlocking(ex, ri);
    } catch (RuntimeException e) {
      return false; // e.g. a malformed Accept header: the worker path reports it
    }
  }

  public void handle(Exchange ex) {
    try {
      dispatch(ex);
    } catch (StatusException e) {
      Responses.error(ex, e);
    } catch (Throwable t) {
      log.error("{} {} failed", ex.method(), ex.path(), t);
      Responses.error(ex, StatusException.internal(t.toString()));
    }
  }

  private void dispatch(Exchange ex) {
    String path = ex.path();
    if (Authorizer.PUBLIC_PATHS.contains(path)) {
      if (path.equals("/version")) ex.respond(200, MediaTypes.JSON, version);
      else health(ex, path);
      return;
    }
    if (!Authorizer.allowsAnything(ex.user())) throw StatusException.unauthorized();
    if (path.startsWith("/healthz/") || path.startsWith("/livez/") || path.startsWith("/readyz/")) {
      health(ex, path);
      return;
    }
    if (openApi.handles(path)) {
      if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) throw StatusException.methodNotSupported("", path, ex.method());
      OpenApiEndpoints.Response r = openApi.get(path, ex.param("hash"), ex.header("Accept"), ex.header("If-None-Match"),
          ex.header("Accept-Encoding"));
      r.headers().forEach((k, v) -> ex.request().response().putHeader(k, v));
      ex.respond(r.status(), r.contentType(), r.body());
      return;
    }
    Discovery.Aggregated aggregated = discovery.aggregated(path, ex.header("Accept"));
    if (aggregated != null) {
      ex.request().response().putHeader("Vary", "Accept");
      ex.respond(200, aggregated.contentType(), aggregated.body());
      return;
    }
    byte[] doc = discovery.document(path);
    if (doc != null) {
      if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) throw StatusException.methodNotSupported("", path, ex.method());
      ex.respond(200, MediaTypes.JSON, doc);
      return;
    }
    RequestInfo ri = RequestInfo.parse(ex.method(), path, ex.flag("watch"));
    if (!ri.resourceRequest() || ri.resource().isEmpty()) {
      throw new StatusException(404, "NotFound", "the server could not find the requested resource");
    }
    resources.handle(ex, ri);
  }

  private void health(Exchange ex, String path) {
    boolean ok = !path.startsWith("/readyz") || ready;
    if (ex.param("verbose") != null) {
      String checks = "[+]ping ok\n[+]log ok\n[+]etcd ok\n" + (path.startsWith("/readyz") ? "[+]informer-sync ok\n" + (ready ? "[+]poststarthook/bootstrap-controller ok\n"
              : "[-]poststarthook/bootstrap-controller failed: not finished\n") : "")
          + (path.startsWith("/readyz") ? "readyz" : path.startsWith("/livez") ? "livez" : "healthz") + " check " + (ok ? "passed" : "failed") + "\n";
      ex.respond(ok ? 200 : 500, "text/plain; charset=utf-8", checks.getBytes(StandardCharsets.UTF_8));
    } else {
      ex.respond(ok ? 200 : 500, "text/plain; charset=utf-8", (ok ? "ok" : "not ready").getBytes(StandardCharsets.UTF_8));
    }
  }
}
