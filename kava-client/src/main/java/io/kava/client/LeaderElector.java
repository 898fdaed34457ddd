package io.kava.client;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
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
 * Leader election on a coordination.k8s.io/v1 Lease, with upstream's rules, so that of several control planes
 * sharing one store only one runs controllers:
 *
 * <ul>
 *   <li>a candidate takes the lease when it is absent, unheld (released), or not renewed for leaseDuration;</li>
 *   <li>expiry is judged by this process's own monotonic clock, from when it last saw the lease record change, never
 *       by comparing the holder's renewTime with the local wall clock (clocks of two machines differ);</li>
 *   <li>the leader renews every retryPeriod and steps down when it could not renew for renewDeadline, which is
 *       shorter than leaseDuration so it stops before anyone else may start; it steps down at once if it sees
 *       another holder;</li>
 *   <li>every write is an update conditional on the resourceVersion read, so two candidates cannot both win;</li>
 *   <li>on {@link #stop} a leader releases the lease (empty holder) so a successor need not wait for expiry.</li>
 * </ul>
 */
public final class LeaderElector {
  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  /** Upstream's defaults (kube-controller-manager): lease 15 s, renew deadline 10 s, retry every 2 s. */
  public record Config(String namespace, String name, String identity, Duration leaseDuration, Duration renewDeadline,
                       Duration retryPeriod) {
    public Config {
      if (renewDeadline.compareTo(leaseDuration) >= 0) throw new IllegalArgumentException("renewDeadline must be < leaseDuration");
      if (retryPeriod.compareTo(renewDeadline) >= 0) throw new IllegalArgumentException("retryPeriod must be < renewDeadline");
    }

    public static Config defaults(String namespace, String name, String identity) {
      return new Config(namespace, name, identity, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  /** Called on the elector's thread; must return promptly (start work elsewhere). */
  public interface Callbacks {
    void startedLeading();

    void stoppedLeading();
  }

  private final KubernetesClient client;
  private final Config config;
  private final Callbacks callbacks;
  private final Ticker ticker;
  private final Clock clock;
  private final CountDownLatch stop = new CountDownLatch(1);
  // Written only by the thread in run(); read by others through isLeader().
  private volatile boolean leading;
  // Owned by the thread in run().
  private LeaseSpec observedSpec;
  private String observedResourceVersion;
  private long observedAtNanos;

  public LeaderElector(KubernetesClient client, Config config, Callbacks callbacks) {
    this(client, config, callbacks, Ticker.system(), Clock.systemUTC());
  }

  public LeaderElector(KubernetesClient client, Config config, Callbacks callbacks, Ticker ticker, Clock clock) {
    this.client = client;
    this.config = config;
    this.callbacks = callbacks;
    this.ticker = ticker;
    this.clock = clock;
  }

  public boolean isLeader() { return leading; }

  public Config config() { return config; }

  /** Campaigns, leads, and campaigns again after losing the lease, until {@link #stop}; then releases it. */
  public void run() {
    try {
      while (!stopped()) {
        while (!stopped() && !tryAcquireOrRenew()) sleep(jittered(config.retryPeriod()));
        if (stopped()) break;
        log.info("{} acquired lease {}/{}", config.identity(), config.namespace(), config.name());
        leading = true;
        callbacks.startedLeading();
        try {
          renewUntilLost();
        } finally {
          leading = false;
          callbacks.stoppedLeading();
        }
      }
    } finally {
      release();
    }
  }

  public void stop() { stop.countDown(); }

  private void renewUntilLost() {
    long lastRenew = ticker.nanoTime();
    while (!stopped()) {
      sleep(config.retryPeriod());
      if (stopped()) return;
      if (tryAcquireOrRenew()) {
        lastRenew = ticker.nanoTime();
      } else if (heldByOther() || ticker.nanoTime() - lastRenew >= config.renewDeadline().toNanos()) {
        log.warn("{} lost lease {}/{}", config.identity(), config.namespace(), config.name());
        return;
      }
    }
  }

  /** One attempt to take or keep the lease; false on any failure (the caller retries). */
  boolean tryAcquireOrRenew() {
    try {
      Lease current = leases().withName(config.name()).get();
      ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
      if (current == null) {
        Lease fresh = new LeaseBuilder()
            .withNewMetadata().withName(config.name()).withNamespace(config.namespace()).endMetadata()
            .withSpec(spec(now, now, 0))
            .build();
        Lease created = leases().resource(fresh).create();
        observe(created);
        return true;
      }
      observe(current);
      LeaseSpec old = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
      boolean mine = config.identity().equals(old.getHolderIdentity());
      boolean held = old.getHolderIdentity() != null && !old.getHolderIdentity().isEmpty();
      if (held && !mine && !expired(old)) return false;
      int transitions = old.getLeaseTransitions() == null ? 0 : old.getLeaseTransitions();
      LeaseSpec next = mine
          ? spec(old.getAcquireTime() == null ? now : old.getAcquireTime(), now, transitions)
          : spec(now, now, transitions + 1);
      Lease updated = new LeaseBuilder(current).withSpec(next).build();
      observe(leases().resource(updated).update()); // conditional on current's resourceVersion
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) log.debug("lease {}/{}: {}", config.namespace(), config.name(), e.getMessage());
      return false;
    }
  }

  private boolean expired(LeaseSpec spec) {
    int seconds = spec.getLeaseDurationSeconds() == null ? (int) config.leaseDuration().toSeconds() : spec.getLeaseDurationSeconds();
    return ticker.nanoTime() - observedAtNanos >= TimeUnit.SECONDS.toNanos(seconds);
  }

  private boolean heldByOther() {
    String holder = observedSpec == null ? null : observedSpec.getHolderIdentity();
    return holder != null && !holder.isEmpty() && !holder.equals(config.identity());
  }

  /** Remembers the record and, when it changed, the local time of the change (what expiry is measured from). */
  private void observe(Lease lease) {
    String rv = lease.getMetadata().getResourceVersion();
    if (observedSpec == null || !Objects.equals(rv, observedResourceVersion)) {
      observedSpec = lease.getSpec();
      observedResourceVersion = rv;
      observedAtNanos = ticker.nanoTime();
    }
  }

  /** Gives the lease up (if still ours) so that a successor takes over at once instead of after expiry. */
  private void release() {
    try {
      Lease current = leases().withName(config.name()).get();
      if (current == null || current.getSpec() == null || !config.identity().equals(current.getSpec().getHolderIdentity())) return;
      ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
      LeaseSpec released = new LeaseSpec();
      released.setHolderIdentity("");
      released.setLeaseDurationSeconds(1);
      released.setAcquireTime(now);
      released.setRenewTime(now);
      released.setLeaseTransitions(current.getSpec().getLeaseTransitions());
      leases().resource(new LeaseBuilder(current).withSpec(released).build()).update();
      log.info("{} released lease {}/{}", config.identity(), config.namespace(), config.name());
    } catch (KubernetesClientException e) {
      log.debug("releasing lease {}/{}: {}", config.namespace(), config.name(), e.getMessage());
    }
  }

  private LeaseSpec spec(ZonedDateTime acquired, ZonedDateTime renewed, int transitions) {
    LeaseSpec s = new LeaseSpec();
    s.setHolderIdentity(config.identity());
    s.setLeaseDurationSeconds((int) config.leaseDuration().toSeconds());
    s.setAcquireTime(acquired);
    s.setRenewTime(renewed);
    s.setLeaseTransitions(transitions);
    return s;
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Lease, io.fabric8.kubernetes.api.model.coordination.v1.LeaseList,
      io.fabric8.kubernetes.client.dsl.Resource<Lease>> leases() {
    return client.leases().inNamespace(config.namespace());
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

  /** Upstream waits retryPeriod·(1 + up to 1.2) between attempts so candidates do not move in lockstep. */
  private static Duration jittered(Duration d) {
    return d.plusNanos((long) (d.toNanos() * 1.2 * ThreadLocalRandom.current().nextDouble()));
  }
}
