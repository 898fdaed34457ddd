package io.kava.scheduler.framework;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Pods held at Permit, by uid; a plugin (or anything with the handle) allows or rejects them. Thread-safe. */
public final class WaitingPods {
  private final ConcurrentHashMap<String, CompletableFuture<Status>> waiting = new ConcurrentHashMap<>();

  /** Registers {@code uid} as waiting; {@link #await} then blocks until allowed, rejected or timed out. */
  void add(String uid) { waiting.put(uid, new CompletableFuture<>()); }

  public boolean isWaiting(String uid) { return waiting.containsKey(uid); }

  public void allow(String uid) {
    CompletableFuture<Status> f = waiting.get(uid);
    if (f != null) f.complete(Status.SUCCESS);
  }

  public void reject(String uid, String reason) {
    CompletableFuture<Status> f = waiting.get(uid);
    if (f != null) f.complete(Status.unschedulable(reason));
  }

  Status await(String uid, Duration timeout) {
    CompletableFuture<Status> f = waiting.get(uid);
    if (f == null) return Status.SUCCESS;
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Status.unschedulable("rejected due to timeout after waiting " + timeout.toSeconds() + "s at plugin Permit");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.error("interrupted while waiting at Permit");
    } catch (ExecutionException e) {
      return Status.error(e.getCause());
    } finally {
      waiting.remove(uid);
    }
  }
}
