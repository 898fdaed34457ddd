package io.kava.node.cgroups;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The limits written to one cgroup; a null field is left as the kernel has it. {@link #forPod} is the kubelet's
 * ResourceConfigForPod: a Guaranteed pod gets shares, quota and a memory limit; a Burstable one shares, and quota or
 * memory limit only where every container declares that limit; a BestEffort one the minimum shares. The pids limit is
 * not the pod's own: it is the node's {@code --pod-max-pids}, set by {@link #withPidsLimit} on every pod cgroup.
 */
public record ResourceConfig(Long cpuShares, Long cpuQuota, Long cpuPeriod, Long memoryLimit, Long pidsLimit) {
  public static final long MIN_SHARES = 2;
  public static final long MAX_SHARES = 262_144;
  public static final long SHARES_PER_CPU = 1024;
  public static final long QUOTA_PERIOD = 100_000;
  public static final long MIN_QUOTA = 1000;

  /** Without a pids limit. */
  public ResourceConfig(Long cpuShares, Long cpuQuota, Long cpuPeriod, Long memoryLimit) {
    this(cpuShares, cpuQuota, cpuPeriod, memoryLimit, null);
  }

  public static ResourceConfig shares(long shares) { return new ResourceConfig(shares, null, null, null); }

  /**
   * This config with the node's pod pids limit, as the kubelet's pod container manager sets it: only a positive
   * {@code --pod-max-pids} limits (-1, the default, and 0 leave the cgroup's pids.max at "max").
   */
  public ResourceConfig withPidsLimit(long podMaxPids) {
    return new ResourceConfig(cpuShares, cpuQuota, cpuPeriod, memoryLimit, podMaxPids > 0 ? Long.valueOf(podMaxPids) : null);
  }

  public static ResourceConfig forPod(Pod pod, QosClass qos) {
    PodTotals t = PodTotals.of(pod);
    long shares = milliCpuToShares(t.cpuRequestMilli());
    long quota = milliCpuToQuota(t.cpuLimitMilli(), QUOTA_PERIOD);
    return switch (qos) {
      case GUARANTEED -> new ResourceConfig(shares, quota, QUOTA_PERIOD, t.memoryLimit());
      case BURSTABLE -> new ResourceConfig(shares, t.cpuLimitsDeclared() ? quota : null, t.cpuLimitsDeclared() ? QUOTA_PERIOD : null,
          t.memoryLimitsDeclared() ? t.memoryLimit() : null);
      case BEST_EFFORT -> shares(MIN_SHARES);
    };
  }

  /** MilliCPUToShares: 1 cpu = 1024 shares, within [2, 262144]; no request gets the minimum. */
  public static long milliCpuToShares(long milliCpu) {
    if (milliCpu <= 0) return MIN_SHARES;
    return Math.max(MIN_SHARES, Math.min(MAX_SHARES, milliCpu * SHARES_PER_CPU / 1000));
  }

  /** MilliCPUToQuota: the CFS quota of a cpu limit, at least 1 ms per period; 0 for no limit. */
  public static long milliCpuToQuota(long milliCpu, long period) {
    if (milliCpu <= 0) return 0;
    return Math.max(MIN_QUOTA, milliCpu * period / 1000);
  }

  /** cgroup v2's cpu.weight for v1 shares, as runc converts them: [2, 262144] onto [1, 10000]. */
  public static long sharesToWeight(long shares) {
    if (shares <= 0) return 100;
    return 1 + ((shares - MIN_SHARES) * 9999) / (MAX_SHARES - MIN_SHARES);
  }

  /**
   * The pod's effective requests and limits as upstream's PodRequests/PodLimits sum them: regular containers and
   * restartable init containers (sidecars) run together; each other init container runs alone beside the sidecars
   * started before it; the pod needs the larger of the two, plus its overhead. A limit is "declared" only when every
   * container has it.
   */
  record PodTotals(long cpuRequestMilli, long cpuLimitMilli, long memoryLimit, boolean cpuLimitsDeclared, boolean memoryLimitsDeclared) {
    static PodTotals of(Pod pod) {
      List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
      List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
      all.addAll(inits);
      boolean cpuDeclared = true;
      boolean memDeclared = true;
      for (Container c : all) {
        if (limit(c, "cpu", true) <= 0) cpuDeclared = false;
        if (limit(c, "memory", false) <= 0) memDeclared = false;
      }
      Map<String, Quantity> overhead = pod.getSpec().getOverhead();
      return new PodTotals(
          effective(pod, inits, c -> request(c, "cpu", true)) + amount(overhead, "cpu", true),
          effective(pod, inits, c -> limit(c, "cpu", true)) + amount(overhead, "cpu", true),
          effective(pod, inits, c -> limit(c, "memory", false)) + amount(overhead, "memory", false),
          cpuDeclared, memDeclared);
    }

    private static long effective(Pod pod, List<Container> inits, java.util.function.ToLongFunction<Container> value) {
      long running = 0;
      for (Container c : pod.getSpec().getContainers()) running += value.applyAsLong(c);
      long sidecars = 0;
      long initPeak = 0;
      for (Container c : inits) {
        long v = value.applyAsLong(c);
        if ("Always".equals(c.getRestartPolicy())) {
          sidecars += v;
          running += v;
        } else {
          initPeak = Math.max(initPeak, v + sidecars);
        }
      }
      return Math.max(running, initPeak);
    }

    /** A request, or the limit standing for it (API defaulting does the same). */
    private static long request(Container c, String name, boolean milli) {
      long r = c.getResources() == null ? 0 : amount(c.getResources().getRequests(), name, milli);
      return r > 0 ? r : limit(c, name, milli);
    }

    private static long limit(Container c, String name, boolean milli) {
      return c.getResources() == null ? 0 : amount(c.getResources().getLimits(), name, milli);
    }

    private static long amount(Map<String, Quantity> list, String name, boolean milli) {
      if (list == null || list.get(name) == null) return 0;
      var q = io.kava.api.quantity.Quantity.tryParse(list.get(name).toString()).orElse(null);
      if (q == null) return 0;
      return Math.max(0, milli ? q.milliValue() : q.value());
    }
  }
}
