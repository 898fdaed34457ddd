package io.kava.testing.e2e.controllers;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerManager;
import io.kava.controllers.runtime.Result;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Leader election on a coordination.k8s.io Lease: the server's control plane (controllers, scheduler, simulated nodes)
 * holds one Lease, kube-system/kava-control-plane, and of two managers on one lease only the holder runs its
 * controllers; when it stops the other takes over.
 */
@Tag("e2e")
class LeaderElectionE2ETest {
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  @Test
  void theServersControlPlaneHoldsOneLease() {
    Kubectl k = E2E.kubectl(cluster, "1.33");
    Poll.until(() -> !k.run("get", "lease", "kava-control-plane", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}").out().isEmpty(),
        () -> k.run("get", "leases", "-n", "kube-system", "-o", "yaml").toString());
    String spec = ok(k.run("get", "lease", "kava-control-plane", "-n", "kube-system", "-o",
        "jsonpath={.spec.leaseDurationSeconds}|{.spec.renewTime}|{.spec.acquireTime}")).out();
    assertThat(spec).matches("60\\|\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\|\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
    String firstRenew = spec.split("\\|")[1];
    // The holder keeps renewing (every 5 s).
    Poll.until(() -> !k.run("get", "lease", "kava-control-plane", "-n", "kube-system", "-o", "jsonpath={.spec.renewTime}").out().equals(firstRenew),
        () -> "renewTime stayed " + firstRenew);
  }

  @Test
  void onlyTheHolderRunsControllersAndASuccessorTakesOver() throws Exception {
    AtomicInteger termsA = new AtomicInteger();
    AtomicInteger termsB = new AtomicInteger();
    ControllerManager a = manager("candidate-a", termsA).start();
    ControllerManager b = null;
    try {
      Poll.until(a::isLeading, () -> "candidate-a never led");
      Poll.until(() -> termsA.get() == 1, () -> "candidate-a built no controllers");
      b = manager("candidate-b", termsB).start();
      Kubectl k = E2E.kubectl(cluster, "1.33");
      // Safety, sampled while b campaigns: never two leaders, and b builds no controllers.
      for (int i = 0; i < 20; i++) {
        assertThat(a.isLeading() && b.isLeading()).as("two leaders at once").isFalse();
        Thread.sleep(100);
      }
      String holderSeen = ok(k.run("get", "lease", "e2e-election", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}")).out();
      assertThat(holderSeen).isEqualTo("candidate-a");
      assertThat(b.isLeading()).isFalse();
      assertThat(termsB.get()).isZero();

      a.close(); // releases the lease: b need not wait for it to expire
      ControllerManager successor = b;
      Poll.until(successor::isLeading, () -> "candidate-b never took over");
      Poll.until(() -> termsB.get() == 1, () -> "candidate-b built no controllers");
      assertThat(ok(k.run("get", "lease", "e2e-election", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}|{.spec.leaseTransitions}")).out())
          .isEqualTo("candidate-b|1");
    } finally {
      a.close();
      if (b != null) b.close();
    }
  }

  /** A manager on a test lease whose one controller counts how often it is built (once per leadership term). */
  private static ControllerManager manager(String identity, AtomicInteger terms) {
    return ControllerManager.builder(cluster.kubeconfig())
        .identity(identity)
        .lease("kube-system", "e2e-election")
        .controller("counting", ctx -> {
          terms.incrementAndGet();
          return new Controller() {
            @Override
            public String name() { return "counting"; }

            @Override
            public Result reconcile(String key) { return Result.DONE; }
          };
        })
        .build();
  }
}
