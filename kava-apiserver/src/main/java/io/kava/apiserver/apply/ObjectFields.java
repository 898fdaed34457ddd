package io.kava.apiserver.apply;

import java.util.Set;

/**
 * Fields no manager owns: type and identity metadata that the server sets (upstream's stripped paths). They are left
 * out of every field set, comparison and managedFields entry.
 */
final class ObjectFields {
  private ObjectFields() {}

  static final Set<String> ROOT = Set.of("apiVersion", "kind");
  static final Set<String> METADATA = Set.of("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName",
      "generation", "managedFields", "resourceVersion");

  /** Whether a top-level field is never owned ({@code metadata} itself is walked into, never owned). */
  static boolean untrackedRoot(String field) { return ROOT.contains(field); }

  static boolean untrackedMetadata(String field) { return METADATA.contains(field); }
}
