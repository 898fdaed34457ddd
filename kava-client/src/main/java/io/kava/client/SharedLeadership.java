package io.kava.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leader election for several components of one process: the controllers, the scheduler and the simulated nodes
 * of a {@code kava server} run while this process holds one Lease, and stop together when it is lost. Upstream's
 * kube-controller-manager and kube-scheduler elect separately because they are separate processes; inside one
 * process separate elections only add Lease writes, and let the components lose their leases one by one (each after
 * its own missed deadline) when the machine is starved of CPU. When several servers share a store, the holder of the
 * Lease runs the whole control plane and the others wait.
 *
 * <p>Members join with the callbacks of their own leadership term. A member that joins while the process leads starts
 * its term at once, on the joining thread; members start in the order they joined and stop in the reverse order.
 * Transitions are serialized: a member never sees a start and a stop at the same time.
 */
public final class SharedLeadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SharedLeadership.class);
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "kava-control-plane";

  /**
   * Timings for a control plane that shares its process (and its CPUs) with an API server and thousands of
   * simulated nodes: a 60 s lease, given up when it could not be renewed for 40 s, renewed every 5 s. Upstream's
   * 15/10/2 s lose the lease when a 2-core machine is busy for 10 s; a successor then waits up to 60 s instead of 15 s
   * when a server dies without releasing it (a server that stops releases it, and the successor takes over at once).
   */
  public static LeaderElector.Config controlPlane(String identity) {
    return new LeaderElector.Config(LEASE_NAMESPACE, LEASE_NAME, identity, Duration.ofSeconds(60), Duration.ofSeconds(40), Duration.ofSeconds(5));
  }

  private record Member(String name, LeaderElector.Callbacks callbacks) {}

  /** Leaves the election's membership; a member leaving while the process leads stops its term first. */
  public interface Membership extends AutoCloseable {
    @Override
    void close();
  }

  private final Object lock = new Object();
  // Guarded by lock.
  private final List<Member> members = new ArrayList<>();
  private boolean leading;
  private final Supplier<Config> config;
  private final LeaderElector.Config election;
  private volatile LeaderElector elector;
  private volatile boolean closed;
  private Thread thread;

  SharedLeadership(Supplier<Config> config, LeaderElector.Config election) {
    this.config = config;
    this.election = election;
  }

  /** Campaigns in the background (returns at once) with {@code election}'s lease, against the cluster of {@code config}. */
  public static SharedLeadership start(Supplier<Config> config, LeaderElector.Config election) {
    SharedLeadership s = new SharedLeadership(config, election);
    // A platform thread: building the client is CPU-bound class loading, and the elector must keep renewing while
    // virtual-thread carriers are busy.
    s.thread = Thread.ofPlatform().daemon().name("kava-control-plane-election").start(s::run);
    return s;
  }

  public LeaderElector.Config election() { return election; }

  /** Whether this process holds the lease now. */
  public boolean isLeader() {
    synchronized (lock) {
      return leading;
    }
  }

  /** Adds a member; its {@code startedLeading} runs now (on this thread) when the process leads already. */
  public Membership join(String name, LeaderElector.Callbacks callbacks) {
    Member m = new Member(name, callbacks);
    synchronized (lock) {
      members.add(m);
      if (leading) start(m);
    }
    return () -> {
      synchronized (lock) {
        if (members.remove(m) && leading) stop(m);
      }
    };
  }

  /** What the one elector calls: fans each transition out to every member. */
  final LeaderElector.Callbacks fanOut = new LeaderElector.Callbacks() {
    @Override
    public void startedLeading() {
      synchronized (lock) {
        leading = true;
        for (Member m : members) start(m);
      }
    }

    @Override
    public void stoppedLeading() {
      synchronized (lock) {
        leading = false;
        for (int i = members.size() - 1; i >= 0; i--) stop(members.get(i));
      }
    }
  };

  private static void start(Member m) {
    try {
      m.callbacks().startedLeading();
    } catch (RuntimeException e) {
      log.error("{} failed to start its leadership term", m.name(), e);
    }
  }

  private static void stop(Member m) {
    try {
      m.callbacks().stoppedLeading();
    } catch (RuntimeException e) {
      log.error("{} failed to end its leadership term", m.name(), e);
    }
  }

  private void run() {
    KubernetesClient client = null;
    try {
      client = new KubernetesClientBuilder().withConfig(config.get()).withHttpClientFactory(SharedVertx.httpClientFactory())
          .withKubernetesSerialization(ClientSerialization.shared()).build();
      LeaderElector le = new LeaderElector(client, election, fanOut);
      elector = le;
      if (closed) return;
      le.run(); // ends with stoppedLeading (when it led) and the lease released
    } catch (RuntimeException e) {
      if (!closed) log.error("control plane election stopped", e);
    } finally {
      if (client != null) client.close();
    }
  }

  /** Stops every member's term, releases the lease and closes the client. */
  @Override
  public void close() {
    closed = true;
    LeaderElector le = elector;
    if (le != null) le.stop();
    Threads.joinOrInterrupt(thread, Duration.ofSeconds(20), () -> log.warn("control plane election did not stop in time; interrupting it"));
  }
}
