package io.kava.controllers.runtime;

/**
 * One control loop. The contract (upstream's controller pattern):
 *
 * <ul>
 *   <li><b>Construction</b> (by a {@link Factory}, once per leadership term) declares what the controller reads:
 *       it asks {@link ControllerContext#informer(Class)} for the informers it needs and adds event handlers to them
 *       that do nothing but turn events into keys on {@link ControllerContext#queue()} (see {@link Handlers}).
 *       It may read discovery to decide what to watch, but must not write: nothing is synced yet.</li>
 *   <li><b>{@link #reconcile}</b> runs on a worker only after every informer the controller asked for has synced. It is level-triggered and
 *       idempotent: it re-reads the current state of the key from the informer caches, writes the difference
 *       through the client, and never trusts the event that queued the key. A key is never reconciled by two
 *       workers at once.</li>
 *   <li>Throwing means "retry": the key is re-queued with per-key exponential backoff. Returning
 *       {@link Result#requeueAfter} asks for another look later without counting as a failure.</li>
 * </ul>
 */
public interface Controller {
  /** Short name for logs and the queue, e.g. "namespace". */
  String name();

  /** How many keys may be reconciled in parallel. */
  default int workers() { return 1; }

  Result reconcile(String key) throws Exception;

  /** Builds a controller for one leadership term; everything it needs comes from the context. */
  @FunctionalInterface
  interface Factory {
    Controller create(ControllerContext ctx);
  }
}
