package io.kava.scheduler.framework;

import java.util.List;

/**
 * Ranks a node that passed the filters. After all nodes are scored, {@link #normalize} may rescale the scores into
 * [0, {@link #MAX_SCORE}]; the framework then multiplies them by the plugin's weight and sums over plugins.
 */
public interface ScorePlugin extends Plugin {
  long MAX_SCORE = 100;

  long score(CycleState state, PodInfo pod, NodeInfo node);

  /** Rescales {@code scores} (parallel to {@code nodes}) in place; the default leaves them as they are. */
  default void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {}

  /** Scales scores to [0, MAX_SCORE] by the highest one; {@code reverse} makes the highest 0 (upstream's helper). */
  static void normalizeByMax(long[] scores, boolean reverse) {
    long max = 0;
    for (long s : scores) max = Math.max(max, s);
    if (max == 0) {
      if (reverse) java.util.Arrays.fill(scores, MAX_SCORE);
      return;
    }
    for (int i = 0; i < scores.length; i++) {
      long s = MAX_SCORE * scores[i] / max;
      scores[i] = reverse ? MAX_SCORE - s : s;
    }
  }
}
