package io.kava.scheduler.internal;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a coordination.k8s.io Lease with upstream's rules (15 s lease, 10 s renew deadline, 2 s
 * retry): take the lease when absent, released or not renewed for its duration as measured by this process's
 * monotonic clock since the record last changed; renew with writes conditional on the resourceVersion read; step
 * down when renewing fails for the renew deadline or another holder appears; release on stop.
 */
public final class LeaseElector {
  private static final Logger log = LoggerFactory.getLogger(LeaseElector.class);

  public interface Callbacks {
    /** Called on the elector's thread; return promptly. */
    void startedLeading();

    void stoppedLeading();
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Duration leaseDuration = Duration.ofSeconds(15);
  private final Duration renewDeadline = Duration.ofSeconds(10);
  private final Duration retryPeriod = Duration.ofSeconds(2);
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile boolean leading;
  // Owned by the thread in run().
  private String observedVersion;
  private String observedHolder;
  private long observedAt;

  public LeaseElector(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  public boolean isLeader() { return leading; }

  public void stop() { stop.countDown(); }

  public void run(Callbacks callbacks) {
    try {
      while (!stopped()) {
        while (!stopped() && !tryAcquireOrRenew()) sleep(retryPeriod.plusMillis((long) (retryPeriod.toMillis() * 1.2 * ThreadLocalRandom.current().nextDouble())));
        if (stopped()) break;
        log.info("{} acquired lease {}/{}", identity, namespace, name);
        leading = true;
        callbacks.startedLeading();
        try {
          long lastRenew = System.nanoTime();
          while (!stopped()) {
            sleep(retryPeriod);
            if (stopped()) break;
            if (tryAcquireOrRenew()) {
              lastRenew = System.nanoTime();
            } else if ((observedHolder != null && !observedHolder.isEmpty() && !observedHolder.equals(identity))
                || System.nanoTime() - lastRenew >= renewDeadline.toNanos()) {
              log.warn("{} lost lease {}/{}", identity, namespace, name);
              break;
            }
          }
        } finally {
          leading = false;
          callbacks.stoppedLeading();
        }
      }
    } finally {
      release();
    }
  }

  private boolean tryAcquireOrRenew() {
    try {
      var leases = client.leases().inNamespace(namespace);
      Lease current = leases.withName(name).get();
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      if (current == null) {
        Lease created = leases.resource(new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
            .withSpec(spec(now, now, 0)).build()).create();
        observe(created);
        return true;
      }
      observe(current);
      LeaseSpec old = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
      boolean mine = identity.equals(old.getHolderIdentity());
      boolean held = old.getHolderIdentity() != null && !old.getHolderIdentity().isEmpty();
      int duration = old.getLeaseDurationSeconds() == null ? (int) leaseDuration.toSeconds() : old.getLeaseDurationSeconds();
      if (held && !mine && System.nanoTime() - observedAt < TimeUnit.SECONDS.toNanos(duration)) return false;
      int transitions = old.getLeaseTransitions() == null ? 0 : old.getLeaseTransitions();
      LeaseSpec next = mine ? spec(old.getAcquireTime() == null ? now : old.getAcquireTime(), now, transitions) : spec(now, now, transitions + 1);
      observe(leases.resource(new LeaseBuilder(current).withSpec(next).build()).update());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) log.debug("lease {}/{}: {}", namespace, name, e.getMessage());
      return false;
    }
  }

  private void observe(Lease l) {
    String rv = l.getMetadata().getResourceVersion();
    if (!Objects.equals(rv, observedVersion)) {
      observedVersion = rv;
      observedHolder = l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
      observedAt = System.nanoTime();
    }
  }

  private void release() {
    try {
      var leases = client.leases().inNamespace(namespace);
      Lease current = leases.withName(name).get();
      if (current == null || current.getSpec() == null || !identity.equals(current.getSpec().getHolderIdentity())) return;
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      LeaseSpec released = new LeaseSpec();
      released.setHolderIdentity("");
      released.setLeaseDurationSeconds(1);
      released.setAcquireTime(now);
      released.setRenewTime(now);
      released.setLeaseTransitions(current.getSpec().getLeaseTransitions());
      leases.resource(new LeaseBuilder(current).withSpec(released).build()).update();
    } catch (KubernetesClientException e) {
      log.debug("releasing lease {}/{}: {}", namespace, name, e.getMessage());
    }
  }

  private LeaseSpec spec(ZonedDateTime acquired, ZonedDateTime renewed, int transitions) {
    LeaseSpec s = new LeaseSpec();
    s.setHolderIdentity(identity);
    s.setLeaseDurationSeconds((int) leaseDuration.toSeconds());
    s.setAcquireTime(acquired);
    s.setRenewTime(renewed);
    s.setLeaseTransitions(transitions);
    return s;
  }

  private boolean stopped() { return stop.getCount() == 0; }

  private void sleep(Duration d) {
    try {
      stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.countDown();
    }
  }
}
