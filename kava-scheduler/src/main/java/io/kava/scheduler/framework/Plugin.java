package io.kava.scheduler.framework;

import java.util.List;

/**
 * A scheduling plugin. A plugin joins an extension point by implementing its interface ({@link PreFilterPlugin},
 * {@link FilterPlugin}, {@link PostFilterPlugin}, {@link PreScorePlugin}, {@link ScorePlugin}, {@link ReservePlugin},
 * {@link PermitPlugin}, {@link BindPlugin}); the framework calls the points in that order.
 */
public interface Plugin {
  String name();

  /**
   * The cluster events after which a pod this plugin rejected may fit (upstream's EventsToRegister). A pod rejected
   * by plugins that list none is retried on every event.
   */
  default List<ClusterEvent> events() { return List.of(); }

  /** Builds a plugin for a framework; {@code handle} gives access to the snapshot, listers and the API. */
  @FunctionalInterface
  interface Factory {
    Plugin create(Handle handle);
  }
}
