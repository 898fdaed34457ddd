package io.kava.scheduler.framework;

import io.kava.api.selector.LabelSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a profile's plugins at the extension points, in the profile's order, and owns the rules between them: a
 * PreFilter Skip skips that plugin's Filter; filters stop at the first rejection; scores are normalized, weighted
 * and summed; the first binder that does not Skip binds. It does not pick nodes or talk to the queue: that is the
 * scheduler's algorithm ({@code io.kava.scheduler.Scheduler}).
 */
public final class Framework {
  private static final Logger log = LoggerFactory.getLogger(Framework.class);

  /** What the framework's {@link Handle} hands to plugins, provided by the scheduler. */
  public record Services(Supplier<Snapshot> snapshot, Function<String, Map<String, String>> namespaceLabels,
                         Function<LabelSelector, Set<String>> namespacesMatching, Function<String, List<PodInfo>> nominatedPods,
                         Handle.PodActions pods) {
    /** Services for tests: the given snapshot, no namespaces labels, no nominated pods, no API. */
    public static Services of(Supplier<Snapshot> snapshot) {
      return new Services(snapshot, ns -> Map.of(), sel -> Set.of(), n -> List.of(), null);
    }
  }

  private final Profile profile;
  private final List<Plugin> plugins = new ArrayList<>();
  private final List<PreFilterPlugin> preFilter = new ArrayList<>();
  private final List<FilterPlugin> filter = new ArrayList<>();
  private final List<PostFilterPlugin> postFilter = new ArrayList<>();
  private final List<PreScorePlugin> preScore = new ArrayList<>();
  private final List<ScorePlugin> score = new ArrayList<>();
  private final List<ReservePlugin> reserve = new ArrayList<>();
  private final List<PermitPlugin> permit = new ArrayList<>();
  private final List<BindPlugin> bind = new ArrayList<>();
  private final Services services;
  private final WaitingPods waitingPods = new WaitingPods();
  private final Handle handle = new HandleImpl();

  public Framework(Profile profile, Map<String, Plugin.Factory> registry, Services services) {
    this.profile = profile;
    this.services = services;
    for (String name : profile.plugins()) {
      Plugin.Factory f = registry.get(name);
      if (f == null) throw new IllegalArgumentException("plugin " + name + " is not registered");
      Plugin p = Objects.requireNonNull(f.create(handle), () -> "factory of " + name + " returned null");
      if (!p.name().equals(name)) throw new IllegalStateException("plugin registered as " + name + " calls itself " + p.name());
      plugins.add(p);
      if (p instanceof PreFilterPlugin x) preFilter.add(x);
      if (p instanceof FilterPlugin x) filter.add(x);
      if (p instanceof PostFilterPlugin x) postFilter.add(x);
      if (p instanceof PreScorePlugin x) preScore.add(x);
      if (p instanceof ScorePlugin x) score.add(x);
      if (p instanceof ReservePlugin x) reserve.add(x);
      if (p instanceof PermitPlugin x) permit.add(x);
      if (p instanceof BindPlugin x) bind.add(x);
    }
  }

  public Profile profile() { return profile; }

  public List<Plugin> plugins() { return plugins; }

  public Handle handle() { return handle; }

  public boolean hasPostFilter() { return !postFilter.isEmpty(); }

  // ------------------------------------------------------------------------------------------------- filtering

  /**
   * Runs every PreFilter. On a rejection the rejecting plugin is added to {@code diagnosis} and its status (with the
   * plugin's name) returned; node-name narrowings of several plugins intersect.
   */
  public PreFilterPlugin.Result runPreFilter(CycleState state, PodInfo pod, Diagnosis diagnosis) {
    Set<String> names = null;
    for (PreFilterPlugin p : preFilter) {
      PreFilterPlugin.Result r;
      try {
        r = p.preFilter(state, pod);
      } catch (RuntimeException e) {
        log.warn("PreFilter plugin {} failed for {}", p.name(), pod.key(), e);
        return PreFilterPlugin.Result.of(Status.error(e).withPlugin(p.name()));
      }
      Status s = r.status();
      if (s.isSkip()) {
        state.skipFilter.add(p.name());
        state.filtersToRun = null;
        continue;
      }
      if (!s.isSuccess()) {
        if (s.isRejected()) diagnosis.unschedulablePlugins.add(p.name());
        return PreFilterPlugin.Result.of(s.withPlugin(p.name()));
      }
      if (r.nodeNames() != null) {
        diagnosis.narrowedBy.add(p.name());
        if (names == null) names = new HashSet<>(r.nodeNames());
        else names.retainAll(r.nodeNames());
      }
    }
    return names == null ? PreFilterPlugin.Result.SUCCESS : PreFilterPlugin.Result.only(names);
  }

  /** Runs the filters on one node, stopping at the first that does not succeed. */
  public Status runFilter(CycleState state, PodInfo pod, NodeInfo node) {
    FilterPlugin[] run = state.filtersToRun;
    if (run == null) {
      run = filter.stream().filter(p -> !state.skipFilter.contains(p.name())).toArray(FilterPlugin[]::new);
      state.filtersToRun = run;
    }
    for (FilterPlugin p : run) {
      Status s;
      try {
        s = p.filter(state, pod, node);
      } catch (RuntimeException e) {
        log.warn("Filter plugin {} failed for {} on {}", p.name(), pod.key(), node.name(), e);
        s = Status.error(e);
      }
      if (!s.isSuccess()) return s.withPlugin(p.name());
    }
    return Status.SUCCESS;
  }

  /**
   * Filters with the pods nominated to this node (of equal or higher priority) counted as if they ran there, then,
   * if that passed, without them: the pod must fit both when they arrive and if they never do (upstream's rule).
   */
  public Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) {
    List<PodInfo> nominated = services.nominatedPods().apply(node.name());
    if (nominated.isEmpty()) return runFilter(state, pod, node);
    CycleState withState = null;
    NodeInfo withNode = null;
    for (PodInfo n : nominated) {
      if (n.priority() < pod.priority() || Objects.equals(n.uid(), pod.uid())) continue;
      if (withState == null) {
        withState = state.copy();
        withNode = node.copy();
      }
      withNode.addPod(n);
      Status s = runAddPod(withState, pod, n, withNode);
      if (!s.isSuccess()) return s;
    }
    if (withState == null) return runFilter(state, pod, node);
    Status s = runFilter(withState, pod, withNode);
    if (!s.isSuccess()) return s;
    return runFilter(state, pod, node);
  }

  public Status runAddPod(CycleState state, PodInfo toSchedule, PodInfo toAdd, NodeInfo node) {
    for (PreFilterPlugin p : preFilter) {
      PreFilterPlugin.Extensions x = p.extensions();
      if (x == null || state.skipFilter.contains(p.name())) continue;
      Status s = x.addPod(state, toSchedule, toAdd, node);
      if (!s.isSuccess()) return s.withPlugin(p.name());
    }
    return Status.SUCCESS;
  }

  public Status runRemovePod(CycleState state, PodInfo toSchedule, PodInfo toRemove, NodeInfo node) {
    for (PreFilterPlugin p : preFilter) {
      PreFilterPlugin.Extensions x = p.extensions();
      if (x == null || state.skipFilter.contains(p.name())) continue;
      Status s = x.removePod(state, toSchedule, toRemove, node);
      if (!s.isSuccess()) return s.withPlugin(p.name());
    }
    return Status.SUCCESS;
  }

  /** Runs PostFilter plugins until one succeeds; returns the last result (Unschedulable when none could help). */
  public PostFilterPlugin.Result runPostFilter(CycleState state, PodInfo pod, Map<String, Status> filterStatuses) {
    PostFilterPlugin.Result last = new PostFilterPlugin.Result(Status.unschedulable(), null);
    for (PostFilterPlugin p : postFilter) {
      PostFilterPlugin.Result r;
      try {
        r = p.postFilter(state, pod, filterStatuses);
      } catch (RuntimeException e) {
        log.warn("PostFilter plugin {} failed for {}", p.name(), pod.key(), e);
        return new PostFilterPlugin.Result(Status.error(e).withPlugin(p.name()), null);
      }
      if (r.status().isSuccess()) return r;
      if (r.status().code() == Status.Code.ERROR) return new PostFilterPlugin.Result(r.status().withPlugin(p.name()), r.nominatedNodeName());
      last = new PostFilterPlugin.Result(r.status().withPlugin(p.name()), r.nominatedNodeName());
    }
    return last;
  }

  // --------------------------------------------------------------------------------------------------- scoring

  public Status runPreScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    for (PreScorePlugin p : preScore) {
      Status s;
      try {
        s = p.preScore(state, pod, nodes);
      } catch (RuntimeException e) {
        s = Status.error(e);
      }
      if (s.isSkip()) {
        state.skipScore.add(p.name());
        continue;
      }
      if (!s.isSuccess()) return s.withPlugin(p.name());
    }
    return Status.SUCCESS;
  }

  /** The weighted sum of all score plugins for each of {@code nodes}. */
  public long[] runScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    long[] total = new long[nodes.size()];
    long[] scores = new long[nodes.size()];
    for (ScorePlugin p : score) {
      if (state.skipScore.contains(p.name())) continue;
      for (int i = 0; i < nodes.size(); i++) scores[i] = p.score(state, pod, nodes.get(i));
      p.normalize(state, pod, nodes, scores);
      int w = profile.weight(p.name());
      for (int i = 0; i < nodes.size(); i++) {
        long s = scores[i];
        if (s < 0 || s > ScorePlugin.MAX_SCORE) {
          log.debug("plugin {} scored node {} {} (outside 0..100); clamping", p.name(), nodes.get(i).name(), s);
          s = Math.max(0, Math.min(ScorePlugin.MAX_SCORE, s));
        }
        total[i] += s * w;
      }
    }
    return total;
  }

  public boolean hasScorePlugins() { return !score.isEmpty(); }

  // ------------------------------------------------------------------------------------------- reserve to bind

  /** Runs Reserve in order; on a failure, unreserves every reserve plugin (the caller need not). */
  public Status runReserve(CycleState state, PodInfo pod, String nodeName) {
    for (ReservePlugin p : reserve) {
      Status s;
      try {
        s = p.reserve(state, pod, nodeName);
      } catch (RuntimeException e) {
        s = Status.error(e);
      }
      if (!s.isSuccess()) {
        runUnreserve(state, pod, nodeName);
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  /** Unreserve in reverse order. */
  public void runUnreserve(CycleState state, PodInfo pod, String nodeName) {
    for (int i = reserve.size() - 1; i >= 0; i--) {
      try {
        reserve.get(i).unreserve(state, pod, nodeName);
      } catch (RuntimeException e) {
        log.warn("Unreserve of {} failed for {}", reserve.get(i).name(), pod.key(), e);
      }
    }
  }

  /**
   * Runs Permit plugins. Success: go on; a rejection or error: unreserve; Wait: the pod is registered in
   * {@link WaitingPods} and {@link #waitOnPermit} (from the binding cycle) waits for the longest timeout asked.
   */
  public Status runPermit(CycleState state, PodInfo pod, String nodeName) {
    java.time.Duration wait = null;
    for (PermitPlugin p : permit) {
      PermitPlugin.Result r;
      try {
        r = p.permit(state, pod, nodeName);
      } catch (RuntimeException e) {
        return Status.error(e).withPlugin(p.name());
      }
      if (r.status().code() == Status.Code.WAIT) {
        wait = wait == null || r.timeout().compareTo(wait) > 0 ? r.timeout() : wait;
      } else if (!r.status().isSuccess()) {
        return r.status().withPlugin(p.name());
      }
    }
    if (wait != null) {
      waitingPods.add(pod.uid());
      waitTimeouts.put(pod.uid(), wait);
      return Status.waiting("waiting at Permit");
    }
    return Status.SUCCESS;
  }

  private final java.util.concurrent.ConcurrentHashMap<String, java.time.Duration> waitTimeouts = new java.util.concurrent.ConcurrentHashMap<>();

  public Status waitOnPermit(PodInfo pod) {
    java.time.Duration d = waitTimeouts.remove(pod.uid());
    return d == null ? Status.SUCCESS : waitingPods.await(pod.uid(), d);
  }

  public Status runBind(CycleState state, PodInfo pod, String nodeName) {
    for (BindPlugin p : bind) {
      Status s;
      try {
        s = p.bind(state, pod, nodeName);
      } catch (RuntimeException e) {
        s = Status.error(e);
      }
      if (s.isSkip()) continue;
      return s.withPlugin(p.name());
    }
    return Status.error("no bind plugin bound the pod");
  }

  private final class HandleImpl implements Handle {
    @Override public Snapshot snapshot() { return services.snapshot().get(); }

    @Override public Framework framework() { return Framework.this; }

    @Override public Map<String, String> namespaceLabels(String ns) { return services.namespaceLabels().apply(ns); }

    @Override public Set<String> namespacesMatching(LabelSelector selector) { return services.namespacesMatching().apply(selector); }

    @Override public List<PodInfo> nominatedPods(String nodeName) { return services.nominatedPods().apply(nodeName); }

    @Override public PodActions pods() { return services.pods(); }

    @Override public WaitingPods waitingPods() { return waitingPods; }
  }
}
