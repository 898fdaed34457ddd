package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.Plugin;
import io.kava.scheduler.framework.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The in-tree plugin registry and upstream's default profile. A new plugin is one more line in {@link #registry}. */
public final class DefaultPlugins {
  private DefaultPlugins() {}

  public static Map<String, Plugin.Factory> registry() {
    Map<String, Plugin.Factory> r = new LinkedHashMap<>();
    r.put(NodeUnschedulable.NAME, h -> new NodeUnschedulable());
    r.put(NodeName.NAME, h -> new NodeName());
    r.put(TaintToleration.NAME, h -> new TaintToleration());
    r.put(NodeAffinity.NAME, h -> new NodeAffinity());
    r.put(NodePorts.NAME, h -> new NodePorts());
    r.put(NodeResourcesFit.NAME, h -> new NodeResourcesFit());
    r.put(PodTopologySpread.NAME, PodTopologySpread::new);
    r.put(InterPodAffinity.NAME, InterPodAffinity::new);
    r.put(DefaultPreemption.NAME, DefaultPreemption::new);
    r.put(BalancedAllocation.NAME, h -> new BalancedAllocation());
    r.put(DefaultBinder.NAME, DefaultBinder::new);
    return r;
  }

  /** Upstream's default plugin order (filters stop at the first rejection, so order picks the reported reason) and score weights. */
  public static Profile profile() {
    return new Profile(Profile.DEFAULT_SCHEDULER,
        List.of(NodeUnschedulable.NAME, NodeName.NAME, TaintToleration.NAME, NodeAffinity.NAME, NodePorts.NAME,
            NodeResourcesFit.NAME, PodTopologySpread.NAME, InterPodAffinity.NAME, DefaultPreemption.NAME,
            BalancedAllocation.NAME, DefaultBinder.NAME),
        Map.of(TaintToleration.NAME, 3, NodeAffinity.NAME, 2, PodTopologySpread.NAME, 2, InterPodAffinity.NAME, 2,
            NodeResourcesFit.NAME, 1, BalancedAllocation.NAME, 1),
        0);
  }
}
