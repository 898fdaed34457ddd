package io.kava.controllers.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kava.client.ClientConfigs;
import io.kava.client.EventBroadcaster;
import io.kava.client.LeaderElector;
import io.kava.client.RawApi;
import io.kava.client.SharedLeadership;
import io.kava.client.ClientSerialization;
import io.kava.client.SharedVertx;
import io.kava.client.Threads;
import io.kava.client.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs controllers against an API server, as a client of it. It owns one fabric8 {@link KubernetesClient} (and, per
 * leadership term, one informer factory), campaigns for the {@code kube-system/kava-controller-manager} Lease and
 * runs the controllers only while it holds it: when several servers share a store, one of them reconciles.
 *
 * <p>Inside a {@code kava server} the manager campaigns for nothing itself: it joins the process's
 * {@link SharedLeadership} (one Lease for the controllers, the scheduler and the simulated nodes) and runs its
 * controllers during that election's terms.
 *
 * <p>{@link #start} returns at once; connecting, the election and informer syncs happen on a background thread, so a
 * server embedding the manager is not slowed down. Each term builds fresh controllers from the registered factories
 * and tears them down completely when the lease is lost or the manager is closed.
 *
 * <pre>{@code
 * ControllerManager m = ControllerManager.builder(Config.fromKubeconfig(file))
 *     .controller("namespace", NamespaceController::new)
 *     .build().start();
 * ...
 * m.close();
 * }</pre>
 */
public final class ControllerManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "kava-controller-manager";

  /** A controller as registered: its name (queue, logs) and the factory that builds it for each term. */
  public record Registration(String name, Controller.Factory factory) {}

  private final Supplier<Config> config;
  private final List<Registration> registrations;
  private final LeaderElector.Config election;
  private final SharedLeadership leadership;
  private final io.kava.client.SharedInformers sharedInformers;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Thread thread;
  private volatile LeaderElector elector;
  // Touched by the manager thread and the elector callbacks, which the elector (or the shared one) serializes.
  private volatile RunningControllers term;

  private ControllerManager(Supplier<Config> config, List<Registration> registrations, LeaderElector.Config election,
                            SharedLeadership leadership, io.kava.client.SharedInformers sharedInformers) {
    this.config = config;
    this.sharedInformers = sharedInformers;
    this.registrations = List.copyOf(registrations);
    this.election = election;
    this.leadership = leadership;
  }

  public static Builder builder(Config config) { return new Builder(() -> config); }

  /** A manager for the cluster in {@code kubeconfig} (read when the manager starts, not now). */
  public static Builder builder(Path kubeconfig) {
    return new Builder(() -> {
      try {
        return Config.fromKubeconfig(Files.readString(kubeconfig));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Starts the manager in the background and returns at once. */
  public synchronized ControllerManager start() {
    if (thread != null) throw new IllegalStateException("already started");
    // A platform thread: building the client is seconds of CPU-bound class loading, which on a virtual thread would
    // hold a carrier the API server's request handlers need (virtual threads are not time-sliced).
    thread = Thread.ofPlatform().daemon().name("kava-controller-manager").start(this::run);
    return this;
  }

  /** Whether this manager currently holds the lease (and so runs its controllers). */
  public boolean isLeading() {
    if (leadership != null) return leadership.isLeader() && term != null;
    LeaderElector e = elector;
    return e != null && e.isLeader();
  }

  public String identity() { return leadership != null ? leadership.election().identity() : election.identity(); }

  private void run() {
    KubernetesClient client = null;
    EventBroadcaster events = null;
    try {
      long t0 = System.nanoTime();
      client = new KubernetesClientBuilder().withConfig(clientConfig()).withHttpClientFactory(SharedVertx.httpClientFactory())
          .withKubernetesSerialization(ClientSerialization.shared()).build();
      log.debug("controller manager: client ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
      events = new EventBroadcaster(client, hostname(), Clock.systemUTC());
      KubernetesClient c = client;
      EventBroadcaster ev = events;
      RawApi raw = new RawApi(client);
      LeaderElector.Callbacks callbacks = new LeaderElector.Callbacks() {
        @Override
        public void startedLeading() {
          RunningControllers t = new RunningControllers(c, raw, ev, registrations, sharedInformers);
          term = t;
          t.start();
        }

        @Override
        public void stoppedLeading() {
          RunningControllers t = term;
          term = null;
          if (t != null) t.close();
        }
      };
      if (leadership != null) {
        try (SharedLeadership.Membership m = leadership.join("controller manager", callbacks)) {
          stopped.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      LeaderElector le = new LeaderElector(client, election, callbacks, Ticker.system(), Clock.systemUTC());
      elector = le;
      if (stopped.getCount() == 0) return;
      le.run();
    } catch (RuntimeException e) {
      log.error("controller manager stopped", e);
    } finally {
      RunningControllers t = term;
      term = null;
      if (t != null) t.close();
      if (events != null) events.close();
      if (client != null) client.close();
    }
  }

  private Config clientConfig() {
    Config c = ClientConfigs.prepare(config.get());
    // Streamed HTTP watches, as ClientConfigs.prepare sets them (see there why not fabric8's WebSocket default).
    c.setOnlyHttpWatches(true);
    // Managers in managedFields and request logs come from the User-Agent, as upstream's do.
    c.setUserAgent("kube-controller-manager/v1.33.0 (kava)");
    return c;
  }

  /** Stops the controllers, releases the lease if held, and closes the client. */
  @Override
  public void close() {
    stopped.countDown();
    LeaderElector e = elector;
    if (e != null) e.stop();
    Threads.joinOrInterrupt(thread, Duration.ofSeconds(15), () -> log.warn("controller manager did not stop in time; interrupting it"));
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  public static final class Builder {
    private final Supplier<Config> config;
    private final List<Registration> registrations = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private String identity;
    private String leaseNamespace = LEASE_NAMESPACE;
    private String leaseName = LEASE_NAME;
    private Duration leaseDuration = Duration.ofSeconds(15);
    private Duration renewDeadline = Duration.ofSeconds(10);
    private Duration retryPeriod = Duration.ofSeconds(2);
    private SharedLeadership leadership;
    private io.kava.client.SharedInformers sharedInformers;

    private Builder(Supplier<Config> config) { this.config = config; }

    public Builder controller(String name, Controller.Factory factory) {
      if (!names.add(name)) throw new IllegalArgumentException("controller " + name + " registered twice");
      registrations.add(new Registration(name, Objects.requireNonNull(factory)));
      return this;
    }

    /** Defaults to hostname_uuid, unique per manager like upstream's, so two candidates never share one. */
    public Builder identity(String id) {
      this.identity = id;
      return this;
    }

    public Builder lease(String namespace, String name) {
      this.leaseNamespace = namespace;
      this.leaseName = name;
      return this;
    }

    public Builder leaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
      this.leaseDuration = leaseDuration;
      this.renewDeadline = renewDeadline;
      this.retryPeriod = retryPeriod;
      return this;
    }

    /** Runs the controllers during the terms of {@code shared} instead of campaigning for a lease of its own. */
    public Builder leadership(SharedLeadership shared) {
      this.leadership = shared;
      return this;
    }

    /** Takes pods from the process's shared informer instead of watching them with an informer of its own. */
    public Builder sharedInformers(io.kava.client.SharedInformers shared) {
      this.sharedInformers = shared;
      return this;
    }

    public ControllerManager build() {
      // $HOSTNAME rather than a resolver lookup: building must stay instant for the embedding server.
      String id = identity != null ? identity : System.getenv().getOrDefault("HOSTNAME", "kava") + "_" + UUID.randomUUID();
      return new ControllerManager(config, registrations,
          new LeaderElector.Config(leaseNamespace, leaseName, id, leaseDuration, renewDeadline, retryPeriod), leadership, sharedInformers);
    }
  }
}
