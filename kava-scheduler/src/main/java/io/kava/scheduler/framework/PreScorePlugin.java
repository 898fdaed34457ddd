package io.kava.scheduler.framework;

import java.util.List;

/** Runs once before scoring with the nodes that passed the filters. Skip means this plugin's Score is not run. */
public interface PreScorePlugin extends Plugin {
  Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes);
}
