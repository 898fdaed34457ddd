package io.kava.controllers.garbagecollector;

/** How a dependent sees one of its owners (upstream's classifyReferences). */
enum OwnerState {
  /** Exists and is not deleting in the foreground: the dependent stays. */
  SOLID,
  /** Does not exist (no object of that name, or one with another uid): the reference no longer holds. */
  DANGLING,
  /** Exists and is being deleted in the foreground: the dependent must go first. */
  WAITING,
  /**
   * Cannot be decided: a cluster-scoped dependent naming a namespaced owner kind. Upstream records a warning and
   * leaves such an object alone, since retrying cannot fix the reference.
   */
  INVALID
}
