package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.Framework;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Profile;
import io.kava.scheduler.framework.Snapshot;
import io.kava.scheduler.framework.Status;
import java.util.List;
import java.util.Map;

/** A framework with the default plugins over a fixed snapshot, for plugin tests that need PreFilter state. */
final class PluginTestSupport {
  private PluginTestSupport() {}

  static Framework framework(Snapshot snapshot) {
    return new Framework(DefaultPlugins.profile(), DefaultPlugins.registry(), Framework.Services.of(() -> snapshot));
  }

  static Framework framework(Snapshot snapshot, String... plugins) {
    Profile p = DefaultPlugins.profile().withPlugins(List.of(plugins));
    return new Framework(p, DefaultPlugins.registry(), Framework.Services.of(() -> snapshot));
  }

  /** PreFilter then Filter on one node, as a cycle does. */
  static Status filter(Framework fw, PodInfo pod, NodeInfo node) {
    CycleState s = new CycleState();
    var pre = fw.runPreFilter(s, pod, new io.kava.scheduler.framework.Diagnosis());
    if (!pre.status().isSuccess()) return pre.status();
    if (pre.nodeNames() != null && !pre.nodeNames().contains(node.name())) return Status.unresolvable("narrowed away");
    return fw.runFilter(s, pod, node);
  }

  static Map<String, Long> scores(Framework fw, PodInfo pod, List<NodeInfo> nodes) {
    CycleState s = new CycleState();
    fw.runPreFilter(s, pod, new io.kava.scheduler.framework.Diagnosis());
    fw.runPreScore(s, pod, nodes);
    long[] sc = fw.runScore(s, pod, nodes);
    java.util.LinkedHashMap<String, Long> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) m.put(nodes.get(i).name(), sc[i]);
    return m;
  }
}
