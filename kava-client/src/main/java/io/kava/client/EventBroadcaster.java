package io.kava.client;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one thread that writes Events for all recorders of a manager. Reports go through a bounded queue (full =
 * dropped, as upstream's broadcaster does) so a controller never waits on event writes.
 */
public final class EventBroadcaster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventBroadcaster.class);
  static final int QUEUE_SIZE = 1000;

  private record Report(ObjectReference involved, String type, String reason, String message, String component) {}

  private static final Report STOP = new Report(null, null, null, null, null);

  private final KubernetesClient client;
  private final RawApi rest;
  private final String host;
  private final Clock clock;
  private final BlockingQueue<Report> reports = new ArrayBlockingQueue<>(QUEUE_SIZE);
  private final EventCorrelator correlator = new EventCorrelator(); // owned by the sender thread
  private final Thread sender;

  public EventBroadcaster(KubernetesClient client, String host, Clock clock) {
    this.client = client;
    this.rest = new RawApi(client);
    this.host = host;
    this.clock = clock;
    this.sender = Thread.ofVirtual().name("kava-events").start(this::run);
  }

  public EventRecorder recorder(String component) { return new EventRecorder(this, component); }

  void submit(ObjectReference involved, String type, String reason, String message, String component) {
    if (!reports.offer(new Report(involved, type, reason, message, component))) {
      log.debug("event queue full; dropping {} {} for {}", type, reason, involved.getName());
    }
  }

  private void run() {
    try {
      for (Report r; (r = reports.take()) != STOP; ) write(r);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(Report r) {
    EventCorrelator.Write w = correlator.correlate(r.involved, r.type, r.reason, r.message, r.component, host, clock.instant());
    if (w == null) return;
    Event e = w.event();
    try {
      if (w.patch()) {
        try {
          Event patch = new Event();
          patch.setCount(e.getCount());
          patch.setLastTimestamp(e.getLastTimestamp());
          patch.setMessage(e.getMessage());
          client.v1().events().inNamespace(e.getMetadata().getNamespace()).withName(e.getMetadata().getName())
              .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
          return;
        } catch (KubernetesClientException ex) {
          if (ex.getCode() != 404) throw ex;
          // The Event expired or was deleted: start a new one.
          correlator.forgetEvent(e.getMetadata().getNamespace(), e.getMetadata().getName());
          w = correlator.correlate(r.involved, r.type, r.reason, r.message, r.component, host, clock.instant());
          if (w == null || w.patch()) return;
          e = w.event();
        }
      }
      // The answer is not read: parsing it back into an Event was a third of the sender's time under load.
      rest.postDiscardingResponse("/api/v1/namespaces/" + e.getMetadata().getNamespace() + "/events",
          client.getKubernetesSerialization().asJson(e));
    } catch (KubernetesClientException | ApiException ex) {
      // Events are best effort (the namespace may be terminating); the controller's work does not depend on them.
      log.debug("could not write event {} {} for {}: {}", r.type, r.reason, r.involved.getName(), ex.getMessage());
    }
  }

  /** Stops the sender; reports still queued are dropped. */
  @Override
  public void close() {
    reports.clear();
    reports.offer(STOP);
    try {
      sender.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.interrupt();
  }
}
