package io.kava.apiserver.http;

import io.kava.api.json.Json;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.cache.ResourceCache;
import io.kava.apiserver.cache.WatchCache;
import io.kava.apiserver.cache.WatchEvent;
import io.kava.apiserver.cache.WatchFilter;
import io.kava.apiserver.cache.WatchSink;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ListOptions;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.table.TableConvertor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves watch requests from the watch cache as a stream of JSON watch events. Events reach every watcher as
 * the same pre-built frame bytes unless the client asked for Table rows.
 */
public final class WatchHandler {
  /** Upstream's default --min-request-timeout: watches without timeoutSeconds last 30–60 minutes. */
  static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;
  /** How often a watch that allows bookmarks gets one. */
  static volatile long bookmarkIntervalMillis = 60_000;
  /** Bytes a slow watcher may have queued before it is closed (its client re-watches from its last revision). */
  static final int MAX_QUEUED_BYTES = 32 * 1024 * 1024;

  private final Vertx vertx;
  private final GenericStore store;
  private final WatchCache cache;
  private final Clock clock;

  public WatchHandler(Vertx vertx, GenericStore store, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.cache = store.cache();
    this.clock = clock;
  }

  public void serve(Exchange ex, ResourceDefinition def, String namespace, ListOptions options) {
    store.checkFieldSelector(def, options);
    MediaTypes.Negotiated n = MediaTypes.negotiate(ex.header("Accept"), false);
    boolean table = n.output() == MediaTypes.Output.TABLE;
    boolean bookmarks = ex.flag("allowWatchBookmarks");
    String rv = options.resourceVersion();
    boolean fromNow = rv == null || rv.isEmpty() || rv.equals("0");
    String sendInitialParam = ex.param("sendInitialEvents");
    boolean sendInitialEvents = "true".equals(sendInitialParam);
    if (sendInitialParam != null && !"NotOlderThan".equals(options.resourceVersionMatch())) {
      throw StatusException.invalid("meta.k8s.io", "ListOptions", "", java.util.List.of(io.kava.api.validation.FieldError.forbidden(
          "resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")));
    }
    boolean initial = sendInitialParam == null ? fromNow : sendInitialEvents;
    if (rv == null || rv.isEmpty()) store.awaitConsistent();
    long from = fromNow ? cache.revision() : GenericStore.parseResourceVersion(rv);
    if (!fromNow) store.awaitRevision(from);

    if ("websocket".equalsIgnoreCase(ex.header("Upgrade"))) {
      // Clients (fabric8) fall back to a streamed HTTP watch on a plain refusal.
      throw StatusException.badRequest("watches over WebSocket are not supported by this server; use an HTTP watch");
    }
    HttpServerResponse response = ex.stream(MediaTypes.JSON);
    response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    // Send the headers now: clients wait for them before treating the watch as established.
    response.writeHead();
    TableConvertor conv = table ? Responses.convertor(def) : null;
    Stream stream = new Stream(response, table, conv, n.metaVersion(), ex.param("includeObject"), def);
    ResourceCache rc = cache.cache(def.keyPrefix());
    WatchFilter filter = new WatchFilter(def.namespaced() ? namespace : null, options.labelSelector(), options.fieldSelector());
    ResourceCache.Registration reg = rc.watch(filter, stream, from, initial ? o -> stream.send(WatchEvent.Type.ADDED, o) : null);
    if (reg == null) {
      stream.error(StatusException.gone("too old resource version: " + from + " (" + cache.revision() + ")"));
      response.end();
      return;
    }
    if (sendInitialEvents) stream.bookmark(cache.revision(), true);
    long timeoutSeconds = parseTimeout(ex.param("timeoutSeconds"));
    long timer = vertx.setTimer(timeoutSeconds * 1000, id -> stream.finish(rc, reg));
    long bookmarkTimer = bookmarks ? vertx.setPeriodic(bookmarkIntervalMillis, id -> rc.bookmark(reg, cache.revision())) : -1;
    stream.onFinish(() -> {
      vertx.cancelTimer(timer);
      if (bookmarkTimer >= 0) vertx.cancelTimer(bookmarkTimer);
    });
    try {
      response.closeHandler(v -> stream.finish(rc, reg));
    } catch (IllegalStateException ended) {
      // The stream already ended: a client too slow for the first events (its write queue filled before we got here).
      stream.finish(rc, reg);
      return;
    }
    ex.request().connection().closeHandler(v -> stream.finish(rc, reg));
  }

  private static long parseTimeout(String param) {
    if (param != null && !param.isEmpty()) {
      try {
        long t = Long.parseLong(param);
        if (t > 0) return t;
      } catch (NumberFormatException e) {
        throw StatusException.badRequest("invalid timeoutSeconds: " + param);
      }
    }
    return MIN_REQUEST_TIMEOUT_SECONDS + ThreadLocalRandom.current().nextLong(MIN_REQUEST_TIMEOUT_SECONDS);
  }

  /** One client's watch stream. */
  final class Stream implements WatchSink {
    private final HttpServerResponse response;
    private final boolean table;
    private final TableConvertor conv;
    private final String metaVersion;
    private final String includeObject;
    private final ResourceDefinition def;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Runnable onFinish = () -> {};

    Stream(HttpServerResponse response, boolean table, TableConvertor conv, String metaVersion, String includeObject, ResourceDefinition def) {
      this.response = response;
      this.table = table;
      this.conv = conv;
      this.metaVersion = metaVersion;
      this.includeObject = includeObject;
      this.def = def;
    }

    void onFinish(Runnable r) {
      onFinish = r;
      if (finished.get()) r.run();
    }

    @Override
    public boolean send(WatchEvent.Type type, CachedObject stored) {
      if (finished.get()) return false;
      CachedObject object = store.view(def, stored);
      if (response.writeQueueFull()) {
        // Too slow: end the watch; the client resumes from the last resourceVersion it saw.
        finishQuietly();
        return false;
      }
      byte[] frame;
      if (table) {
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/" + (metaVersion == null ? "v1" : metaVersion));
        t.putObject("metadata").put("resourceVersion", Long.toString(object.revision()));
        t.set("columnDefinitions", Responses.columns(conv));
        t.putArray("rows").add(Responses.row(conv, object.object(), clock.instant(), metaVersion, includeObject));
        frame = WatchEvent.frame(type.name(), Json.bytes(t));
      } else {
        frame = WatchEvent.frame(type.name(), object.bytes());
      }
      response.write(Buffer.buffer(frame));
      return true;
    }

    @Override
    public void bookmark(long revision) { bookmark(revision, false); }

    void bookmark(long revision, boolean initialEventsEnd) {
      if (finished.get()) return;
      ObjectNode o = Json.object();
      o.put("kind", def.kind());
      o.put("apiVersion", def.apiVersion());
      ObjectNode meta = o.putObject("metadata");
      meta.put("resourceVersion", Long.toString(revision));
      if (initialEventsEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
      response.write(Buffer.buffer(WatchEvent.frame("BOOKMARK", Json.bytes(o))));
    }

    void error(StatusException e) {
      response.write(Buffer.buffer(WatchEvent.frame("ERROR", Json.bytes(Responses.status(e)))));
    }

    void finish(ResourceCache rc, ResourceCache.Registration reg) {
      rc.unwatch(reg);
      finishQuietly();
    }

    private void finishQuietly() {
      if (!finished.compareAndSet(false, true)) return;
      onFinish.run();
      try {
        response.end();
      } catch (RuntimeException ignored) {
        // the connection is already gone
      }
    }
  }
}
