package io.kava.scheduler.internal;

import io.kava.api.json.Json;
import io.kava.api.time.Timestamps;
import io.kava.client.ApiException;
import io.kava.client.RawApi;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes core/v1 Events for one component from a single background thread. Recording never blocks: reports go
 * through a bounded queue and are dropped when it is full (events are diagnostics). A repeat of the same event
 * (object, type, reason, message) patches the existing Event's count and lastTimestamp instead of creating one,
 * which is what {@code kubectl describe} shows as "(x3 over 2m)".
 */
public final class EventWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
  static final int QUEUE_SIZE = 2000;
  static final int CORRELATION_CACHE = 4096;

  /** The object an event is about. */
  public record Involved(String apiVersion, String kind, String namespace, String name, String uid, String resourceVersion) {}

  private record Report(Involved involved, String type, String reason, String message) {}

  private record Seen(String name, int count, String firstTimestamp) {}

  private static final Report STOP = new Report(null, null, null, null);

  private final RawApi rest;
  private final String component;
  private final String instance;
  private final Clock clock;
  private final BlockingQueue<Report> reports = new ArrayBlockingQueue<>(QUEUE_SIZE);
  // Owned by the writer thread.
  private final Map<String, Seen> seen = new LinkedHashMap<>(256, 0.75f, true) {
    @Override protected boolean removeEldestEntry(Map.Entry<String, Seen> e) { return size() > CORRELATION_CACHE; }
  };
  private final Thread thread;

  public EventWriter(RawApi rest, String component, String instance, Clock clock) {
    this.rest = rest;
    this.component = component;
    this.instance = instance;
    this.clock = clock;
    this.thread = Thread.ofVirtual().name(component + "-events").start(this::run);
  }

  public void record(Involved involved, String type, String reason, String message) {
    if (!reports.offer(new Report(involved, type, reason, message))) log.debug("event queue full; dropping {} for {}", reason, involved.name());
  }

  private void run() {
    try {
      for (Report r; (r = reports.take()) != STOP; ) write(r);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(Report r) {
    Involved o = r.involved();
    String key = o.namespace() + "/" + o.uid() + "/" + r.type() + "/" + r.reason() + "/" + r.message();
    String now = Timestamps.formatTime(clock.instant());
    String base = "/api/v1/namespaces/" + o.namespace() + "/events";
    Seen s = seen.get(key);
    try {
      if (s != null) {
        ObjectNode patch = Json.object();
        patch.put("count", s.count() + 1);
        patch.put("lastTimestamp", now);
        try {
          rest.patch(base + "/" + s.name(), RawApi.MERGE_PATCH, patch);
          seen.put(key, new Seen(s.name(), s.count() + 1, s.firstTimestamp()));
          return;
        } catch (ApiException e) {
          if (!e.isNotFound()) throw e;
          seen.remove(key); // expired: start a new one
        }
      }
      String name = o.name() + "." + Long.toHexString(clock.millis() * 1_000_000L + ThreadLocalRandom.current().nextInt(1_000_000));
      ObjectNode ev = Json.object();
      ev.put("apiVersion", "v1");
      ev.put("kind", "Event");
      ev.putObject("metadata").put("name", name).put("namespace", o.namespace());
      ObjectNode inv = ev.putObject("involvedObject");
      inv.put("apiVersion", o.apiVersion()).put("kind", o.kind()).put("namespace", o.namespace()).put("name", o.name()).put("uid", o.uid());
      if (o.resourceVersion() != null) inv.put("resourceVersion", o.resourceVersion());
      ev.put("reason", r.reason());
      ev.put("message", r.message());
      ev.put("type", r.type());
      ev.putObject("source").put("component", component);
      ev.put("firstTimestamp", now);
      ev.put("lastTimestamp", now);
      ev.put("count", 1);
      ev.put("reportingComponent", component);
      ev.put("reportingInstance", instance);
      rest.post(base, ev);
      seen.put(key, new Seen(name, 1, now));
    } catch (ApiException e) {
      log.debug("could not write event {} for {}: {}", r.reason(), o.name(), e.getMessage());
    }
  }

  @Override
  public void close() {
    reports.clear();
    reports.offer(STOP);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }
}
