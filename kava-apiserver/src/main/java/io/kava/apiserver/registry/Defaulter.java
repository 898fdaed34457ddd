package io.kava.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * Applies upstream's defaults for one kind (SetDefaults_* of the versioned API) in place. Runs on create and on
 * update, after decoding and before validation; must be idempotent (defaulting a defaulted object changes nothing).
 */
@FunctionalInterface
public interface Defaulter {
  void apply(ObjectNode object);

  Defaulter NONE = o -> {};
}
