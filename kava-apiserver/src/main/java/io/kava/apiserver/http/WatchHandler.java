package io.kava.apiserver.http;

import io.kava.api.json.AsciiJson;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves watch requests from the watch cache as a stream of JSON watch events, over a streamed HTTP response or,
 * when the client asks to upgrade, a WebSocket. Events reach every watcher as the same pre-built frame bytes unless
 * the client asked for Table rows.
 */
public final class WatchHandler {
  /** Upstream's default --min-request-timeout: watches without timeoutSeconds last 30–60 minutes. */
  static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;
  /** How often a watch that allows bookmarks gets one. */
  static volatile long bookmarkIntervalMillis = 60_000;
  /**
   * Bytes of live events a slow watcher may have queued before it is closed (its client re-watches from its last
   * revision). The replay at the start of a watch does not count ({@link WriteBacklog}). Generous, because the frames
   * share the cache's bytes and because a watcher cut off relists: an informer of a CPU-starved component in this
   * process must be able to lag a burst of creates by seconds without being sent back to an O(cluster) list.
   */
  static final long MAX_LAGGING_BYTES = 128L * 1024 * 1024;
  /**
   * How long a watch ended for being too slow may take to read what is still queued for it (up to
   * {@link #MAX_LAGGING_BYTES}) before its stream is reset and the queue freed: a client that stopped reading for good
   * must not hold that memory for as long as its connection stays open. The system property is for tests.
   */
  static long slowClientGraceMillis() { return Long.getLong("kava.watch.slowClientGraceMillis", 60_000); }

  private static final byte[] FRAME_TAIL = "}\n".getBytes(StandardCharsets.US_ASCII);
  private static final Map<WatchEvent.Type, byte[]> FRAME_HEADS = frameHeads();

  private static Map<WatchEvent.Type, byte[]> frameHeads() {
    Map<WatchEvent.Type, byte[]> heads = new EnumMap<>(WatchEvent.Type.class);
    for (WatchEvent.Type t : WatchEvent.Type.values()) {
      heads.put(t, ("{\"type\":\"" + t.name() + "\",\"object\":").getBytes(StandardCharsets.US_ASCII));
    }
    return heads;
  }

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
    boolean metadataOnly = n.output() == MediaTypes.Output.PARTIAL_METADATA;
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

    WatchOutput out = ex.webSocketRequested()
        ? new WatchOutput.WebSocketMessages(ex.acceptWebSocket().await())
        : new WatchOutput.HttpChunks(ex.stream(MediaTypes.JSON), ex.request().connection(), ex.request().version());
    TableConvertor conv = table ? Responses.convertor(def) : null;
    Stream stream = new Stream(out, table, metadataOnly, ManagedFieldsCut.requested(ex), asciiOnly(ex), conv, n.metaVersion(),
        ex.param("includeObject"), def);
    ResourceCache rc = cache.cache(def.keyPrefix());
    WatchFilter filter = new WatchFilter(def.namespaced() ? namespace : null, options.labelSelector(), options.fieldSelector());
    ResourceCache.Registration reg = rc.watch(filter, stream, from, initial ? o -> stream.send(WatchEvent.Type.ADDED, o) : null);
    stream.backlog.replayDone();
    if (reg == null) {
      stream.error(StatusException.gone("too old resource version: " + from + " (" + cache.revision() + ")"));
      out.end();
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
    out.onClientGone(() -> stream.finish(rc, reg));
    ex.request().connection().closeHandler(v -> stream.finish(rc, reg));
  }

  /**
   * The in-process components' HTTP watches get their events in ASCII (AsciiJson): fabric8's HTTP watch reader, which
   * they use, corrupts multi-byte UTF-8 that a chunk boundary or its own buffer handling splits. Every other client
   * gets the stored bytes as they are.
   */
  private static boolean asciiOnly(Exchange ex) {
    return !ex.webSocketRequested() && ex.fromInProcessComponent();
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
    private final WatchOutput out;
    private final boolean table;
    /** Events carry PartialObjectMetadata (metadata informers: the garbage collector, quota, namespace deletion). */
    private final boolean metadataOnly;
    /** Objects go out without metadata.managedFields (in-process informers that drop them). */
    private final boolean withoutManagedFields;
    /** Events go out with every character outside ASCII escaped (in-process fabric8 HTTP watches). */
    private final boolean asciiOnly;
    private final TableConvertor conv;
    private final String metaVersion;
    private final String includeObject;
    private final ResourceDefinition def;
    private final AtomicBoolean finished = new AtomicBoolean();
    final WriteBacklog backlog = new WriteBacklog();
    private volatile Runnable onFinish = () -> {};

    Stream(WatchOutput out, boolean table, boolean metadataOnly, boolean withoutManagedFields, boolean asciiOnly,
           TableConvertor conv, String metaVersion, String includeObject, ResourceDefinition def) {
      this.asciiOnly = asciiOnly;
      this.out = out;
      this.table = table;
      this.metadataOnly = metadataOnly;
      this.withoutManagedFields = withoutManagedFields;
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
      if (backlog.tooSlow(MAX_LAGGING_BYTES)) {
        // Too slow: end the watch; the client resumes from the last resourceVersion it saw.
        if (finishQuietly()) {
          vertx.setTimer(slowClientGraceMillis(), id -> {
            if (backlog.queued() > 0) out.abort();
          });
        }
        return false;
      }
      CachedObject object = store.view(def, stored);
      if (metadataOnly) {
        byte[] partial = Responses.partialBytes(object, metaVersion);
        write(WatchEvent.frame(type.name(), ascii(withoutManagedFields ? ManagedFieldsCut.apply(partial) : partial)));
        return true;
      }
      if (!table) {
        byte[] head = FRAME_HEADS.get(type);
        byte[] body = ascii(withoutManagedFields ? ManagedFieldsCut.apply(object.bytes()) : object.bytes());
        write(head.length + body.length + FRAME_TAIL.length, () -> out.write(head, body, FRAME_TAIL));
        return true;
      }
      ObjectNode t = Json.object();
      t.put("kind", "Table");
      t.put("apiVersion", "meta.k8s.io/" + (metaVersion == null ? "v1" : metaVersion));
      t.putObject("metadata").put("resourceVersion", Long.toString(object.revision()));
      t.set("columnDefinitions", Responses.columns(conv));
      t.putArray("rows").add(Responses.row(conv, object.object(), clock.instant(), metaVersion, includeObject));
      write(WatchEvent.frame(type.name(), ascii(Json.bytes(t))));
      return true;
    }

    private byte[] ascii(byte[] json) { return asciiOnly ? AsciiJson.escapeNonAscii(json) : json; }

    private void write(byte[] frame) { write(frame.length, () -> out.write(frame)); }

    /** Writes through {@code write}, counting its {@code size} bytes in the backlog until the connection took them. */
    private void write(int size, Supplier<Future<Void>> write) {
      backlog.written(size);
      Future<Void> f;
      try {
        f = write.get();
      } catch (RuntimeException gone) { // the response has already ended
        backlog.flushed(size);
        return;
      }
      f.onComplete(ar -> backlog.flushed(size));
    }

    @Override
    public void bookmark(long revision) { bookmark(revision, false); }

    void bookmark(long revision, boolean initialEventsEnd) {
      if (finished.get()) return;
      ObjectNode o = Json.object();
      o.put("kind", metadataOnly ? "PartialObjectMetadata" : def.kind());
      o.put("apiVersion", metadataOnly ? "meta.k8s.io/" + (metaVersion == null ? "v1" : metaVersion) : def.apiVersion());
      ObjectNode meta = o.putObject("metadata");
      meta.put("resourceVersion", Long.toString(revision));
      if (initialEventsEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
      write(WatchEvent.frame("BOOKMARK", Json.bytes(o)));
    }

    /** The cache dropped this watch because an event could not be sent: tell the client and end, so it resumes. */
    @Override
    public void abort(RuntimeException cause) {
      if (finished.get()) return;
      try {
        error(StatusException.internal("the watch could not send an event: " + cause.getMessage()));
      } finally {
        finishQuietly();
      }
    }

    void error(StatusException e) {
      write(WatchEvent.frame("ERROR", ascii(Json.bytes(Responses.status(e)))));
    }

    void finish(ResourceCache rc, ResourceCache.Registration reg) {
      rc.unwatch(reg);
      finishQuietly();
    }

    /** Ends the response after what is queued; false when it had ended already. */
    private boolean finishQuietly() {
      if (!finished.compareAndSet(false, true)) return false;
      onFinish.run();
      out.end();
      return true;
    }
  }
}
