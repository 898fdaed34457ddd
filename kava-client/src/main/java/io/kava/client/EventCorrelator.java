package io.kava.client;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.kava.api.time.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a stream of reported events into API writes the way upstream's event correlator does, so that a
 * controller retrying in a loop produces one Event with a growing count instead of thousands of objects:
 *
 * <ol>
 *   <li>spam filter: per source and object a token bucket (burst 25, one token per 5 minutes); beyond it events are
 *       dropped;</li>
 *   <li>aggregation: when one source reports 10 different messages with the same object, type and reason
 *       within 10 minutes, further ones become a single "(combined from similar events): …" event;</li>
 *   <li>deduplication: an event identical to one already written (same source, object, type, reason, message)
 *       becomes a patch of that Event's count, lastTimestamp and message.</li>
 * </ol>
 *
 * Not thread-safe: the broadcaster's single sender thread owns it. State is kept in bounded LRU maps.
 */
final class EventCorrelator {
  static final int CACHE_SIZE = 4096;
  static final int SPAM_BURST = 25;
  static final Duration SPAM_REFILL = Duration.ofMinutes(5);
  static final int AGGREGATE_MAX_MESSAGES = 10;
  static final Duration AGGREGATE_WINDOW = Duration.ofMinutes(10);
  static final String COMBINED_PREFIX = "(combined from similar events): ";

  /** A write to make: create {@code event}, or (patch) update the existing Event of that name. */
  record Write(Event event, boolean patch) {}

  private record Observed(String name, String namespace, int count, String firstTimestamp) {}

  private static final class Bucket {
    double tokens = SPAM_BURST;
    Instant last;
  }

  private static final class Similar {
    final Set<String> messages = new HashSet<>();
    Instant last;
  }

  private final Map<String, Bucket> spam = lru();
  private final Map<String, Similar> similar = lru();
  private final Map<String, Observed> observed = lru();

  /**
   * Correlates one report.
   *
   * @return the write to make, or null when the spam filter drops it
   */
  Write correlate(ObjectReference obj, String type, String reason, String message, String component, String host, Instant now) {
    String objectKey = String.join("\u0000", component, host, obj.getKind(), obj.getNamespace(), obj.getName(),
        obj.getUid(), obj.getApiVersion());
    if (!takeToken(objectKey, now)) return null;

    String aggregateKey = String.join("\u0000", objectKey, type, reason);
    Similar sim = similar.computeIfAbsent(aggregateKey, k -> new Similar());
    if (sim.last != null && Duration.between(sim.last, now).compareTo(AGGREGATE_WINDOW) > 0) sim.messages.clear();
    sim.last = now;
    sim.messages.add(message);
    // As upstream's event key: the fieldPath too, so the same message about two containers of a pod stays two Events.
    String eventKey = String.join("\u0000", aggregateKey, obj.getFieldPath() == null ? "" : obj.getFieldPath(), message);
    if (sim.messages.size() >= AGGREGATE_MAX_MESSAGES) {
      sim.messages.remove(message); // keep the set bounded; it only has to show "many different messages"
      message = COMBINED_PREFIX + message;
      eventKey = aggregateKey; // every further similar event updates the one combined Event
    }

    String time = Timestamps.formatTime(now);
    Observed prev = observed.get(eventKey);
    if (prev != null) {
      observed.put(eventKey, new Observed(prev.name, prev.namespace, prev.count + 1, prev.firstTimestamp));
      Event patch = new EventBuilder()
          .withNewMetadata().withName(prev.name).withNamespace(prev.namespace).endMetadata()
          .withCount(prev.count + 1).withLastTimestamp(time).withMessage(message)
          .build();
      return new Write(patch, true);
    }
    // Upstream's naming: the object's name and the time in hex nanoseconds, unique enough per object.
    String name = obj.getName() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    String namespace = obj.getNamespace() == null || obj.getNamespace().isEmpty() ? "default" : obj.getNamespace();
    observed.put(eventKey, new Observed(name, namespace, 1, time));
    Event event = new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withInvolvedObject(obj)
        .withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(component).withHost(host).endSource()
        .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
        .withReportingComponent(component).withReportingInstance(host)
        .build();
    return new Write(event, false);
  }

  /** The Event named in a patch is gone (expired or deleted): forget it so the next report creates a new one. */
  void forgetEvent(String namespace, String name) {
    observed.values().removeIf(o -> o.name.equals(name) && o.namespace.equals(namespace));
  }

  private boolean takeToken(String key, Instant now) {
    Bucket b = spam.computeIfAbsent(key, k -> new Bucket());
    if (b.last != null) {
      double refill = (double) Duration.between(b.last, now).toMillis() / SPAM_REFILL.toMillis();
      b.tokens = Math.min(SPAM_BURST, b.tokens + Math.max(0, refill));
    }
    b.last = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) { return size() > CACHE_SIZE; }
    };
  }
}
