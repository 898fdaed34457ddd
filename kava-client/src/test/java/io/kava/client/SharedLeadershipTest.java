package io.kava.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedLeadershipTest {
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final SharedLeadership shared = new SharedLeadership(() -> null, SharedLeadership.controlPlane("me"));

  private LeaderElector.Callbacks member(String name) {
    return new LeaderElector.Callbacks() {
      @Override public void startedLeading() { log.add("start " + name); }

      @Override public void stoppedLeading() { log.add("stop " + name); }
    };
  }

  @Test
  void membersStartInTheOrderTheyJoinedAndStopInReverse() {
    shared.join("controllers", member("controllers"));
    shared.join("scheduler", member("scheduler"));
    assertThat(log).as("nothing runs before the lease is held").isEmpty();
    assertThat(shared.isLeader()).isFalse();

    shared.fanOut.startedLeading();
    assertThat(shared.isLeader()).isTrue();
    shared.fanOut.stoppedLeading();
    shared.fanOut.startedLeading(); // a new term after the lease was lost and taken again

    assertThat(log).containsExactly("start controllers", "start scheduler", "stop scheduler", "stop controllers",
        "start controllers", "start scheduler");
  }

  @Test
  void aMemberJoiningWhileLeadingStartsAtOnceAndOneLeavingStopsItsTerm() {
    shared.fanOut.startedLeading();
    SharedLeadership.Membership nodes = shared.join("sim-nodes", member("sim-nodes"));
    assertThat(log).containsExactly("start sim-nodes");

    nodes.close();
    nodes.close(); // leaving twice stops once
    shared.fanOut.stoppedLeading();
    assertThat(log).containsExactly("start sim-nodes", "stop sim-nodes");
  }

  @Test
  void aMemberThatFailsToStartDoesNotKeepTheOthersFromRunning() {
    shared.join("broken", new LeaderElector.Callbacks() {
      @Override public void startedLeading() { throw new IllegalStateException("boom"); }

      @Override public void stoppedLeading() {}
    });
    shared.join("scheduler", member("scheduler"));
    shared.fanOut.startedLeading();
    assertThat(log).containsExactly("start scheduler");
  }

  @Test
  void theControlPlaneLeaseSurvivesLongerStallsThanUpstreamsDefaults() {
    LeaderElector.Config c = SharedLeadership.controlPlane("me");
    assertThat(c.name()).isEqualTo("kava-control-plane");
    assertThat(c.renewDeadline()).isGreaterThan(LeaderElector.Config.defaults("ns", "n", "me").renewDeadline().multipliedBy(3));
    assertThat(c.renewDeadline()).isLessThan(c.leaseDuration());
  }
}
