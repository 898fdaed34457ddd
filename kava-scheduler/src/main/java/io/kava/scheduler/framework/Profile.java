package io.kava.scheduler.framework;

import java.util.List;
import java.util.Map;

/**
 * Which plugins a scheduler runs, in order; each takes part in every extension point it implements (upstream's
 * multiPoint). Filters run in this order and stop at the first rejection, so the order decides which reason a node
 * reports.
 *
 * @param schedulerName the spec.schedulerName this profile serves
 * @param plugins plugin names, looked up in the registry
 * @param scoreWeights weight of each score plugin (default 1)
 * @param percentageOfNodesToScore 0 = adaptive (upstream: 50% minus 1% per 125 nodes, at least 5%)
 */
public record Profile(String schedulerName, List<String> plugins, Map<String, Integer> scoreWeights, int percentageOfNodesToScore) {
  public static final String DEFAULT_SCHEDULER = "default-scheduler";

  public Profile {
    plugins = List.copyOf(plugins);
    scoreWeights = Map.copyOf(scoreWeights);
  }

  public int weight(String plugin) { return scoreWeights.getOrDefault(plugin, 1); }

  public Profile withPlugins(List<String> p) { return new Profile(schedulerName, p, scoreWeights, percentageOfNodesToScore); }
}
