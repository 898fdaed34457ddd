package io.kava.controllers.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.client.ApiException;
import io.kava.client.EventBroadcaster;
import io.kava.client.RawApi;
import io.kava.client.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers of one leadership term: fresh informers, queues and controller instances, so that nothing a
 * previous term cached survives into the next. Each controller's workers start once the informers it asked for have
 * synced; one slow informer therefore delays only the controller that needs it.
 */
final class RunningControllers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunningControllers.class);
  /** How long to wait for a sync before saying so in the log (waiting goes on). */
  static final Duration SYNC_LOG_INTERVAL = Duration.ofSeconds(10);
  /** How long running reconciles get to finish on close before their threads are interrupted. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final RawApi raw;
  private final EventBroadcaster events;
  private final List<ControllerManager.Registration> registrations;
  private final Informers informers;
  private final List<WorkQueue<String>> queues = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  RunningControllers(KubernetesClient client, RawApi raw, EventBroadcaster events, List<ControllerManager.Registration> registrations) {
    this(client, raw, events, registrations, null);
  }

  RunningControllers(KubernetesClient client, RawApi raw, EventBroadcaster events, List<ControllerManager.Registration> registrations,
                     io.kava.client.SharedInformers shared) {
    this.client = client;
    this.raw = raw;
    this.events = events;
    this.registrations = registrations;
    this.informers = new Informers(client, shared);
  }

  /**
   * Builds the controllers and starts the informers on a thread of its own (factories may read discovery, which the
   * elector's renewals must not wait for); workers follow per controller as its caches sync.
   */
  void start() { spawn("kava-controllers-start", this::startNow); }

  private void startNow() {
    List<Runnable> starters = new ArrayList<>();
    for (ControllerManager.Registration reg : registrations) {
      if (closed) return;
      WorkQueue<String> queue = WorkQueue.withDefaultRateLimiter(reg.name());
      ControllerContext ctx = new ControllerContext(reg.name(), client, raw, informers, queue, events);
      Controller controller;
      try {
        controller = reg.factory().create(ctx);
      } catch (RuntimeException e) {
        log.error("controller {} could not be created; it will not run this term", reg.name(), e);
        continue;
      }
      queues.add(queue);
      if (closed) queue.shutdown(); // close() may have passed over the queue list already
      starters.add(() -> runWhenSynced(controller, ctx));
    }
    informers.start();
    for (Runnable s : starters) spawn("kava-controller-start", s);
  }

  private void runWhenSynced(Controller controller, ControllerContext ctx) {
    var required = ctx.requiredInformers();
    while (!closed && !Informers.awaitSynced(required, SYNC_LOG_INTERVAL)) {
      if (Thread.currentThread().isInterrupted()) return;
      long waiting = required.stream().filter(i -> !i.hasSynced()).count();
      log.info("controller {} still waiting for {} informer(s) to sync", controller.name(), waiting);
    }
    if (closed) return;
    log.debug("controller {} synced; starting {} worker(s)", controller.name(), controller.workers());
    for (int i = 0; i < controller.workers(); i++) spawn("kava-" + controller.name() + "-" + i, () -> work(controller, ctx.queue()));
  }

  /** The worker loop of STYLE §2: success forgets the backoff, failure re-queues rate-limited, done always. */
  private static void work(Controller controller, WorkQueue<String> queue) {
    while (true) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) return;
      try {
        log.trace("{}: reconciling {}", controller.name(), key);
        Result r = controller.reconcile(key);
        queue.forget(key);
        if (r != null && r.requeue()) queue.addAfter(key, r.requeueAfter());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (queue.isShuttingDown()) return;
        logFailure(controller, key, queue.numRequeues(key), e);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  }

  private static void logFailure(Controller controller, String key, int failures, Exception e) {
    // Conflicts are the normal outcome of racing a cache that lags; they are retried and not worth a warning.
    boolean routine = e instanceof KubernetesClientException k && k.getCode() == 409
        || e instanceof ApiException a && a.isConflict();
    if (routine) log.debug("{}: sync of {} conflicted (retry {}): {}", controller.name(), key, failures + 1, e.getMessage());
    else if (log.isDebugEnabled()) log.debug("{}: sync of {} failed (retry {})", controller.name(), key, failures + 1, e);
    else log.warn("{}: sync of {} failed (retry {}): {}", controller.name(), key, failures + 1, e.toString());
  }

  private void spawn(String name, Runnable r) {
    if (closed) return;
    threads.add(Thread.ofVirtual().name(name).start(r));
  }

  /** Stops workers (a reconcile in progress finishes or is interrupted), then the informers. */
  @Override
  public void close() {
    closed = true;
    queues.forEach(WorkQueue::shutdown);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (Thread t : threads) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        if (!t.join(Duration.ofNanos(left))) t.interrupt();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    informers.stop();
  }
}
