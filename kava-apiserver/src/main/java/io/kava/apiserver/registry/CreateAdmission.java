package io.kava.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * A validating admission step for creates (upstream's validating admission plugins): runs after the kind's
 * validation, before the object is written; may refuse by throwing {@link io.kava.apiserver.errors.StatusException}
 * and may write other objects (quota usage) but must not change {@code object}. With {@code ctx.dryRun()} it checks
 * and writes nothing.
 */
@FunctionalInterface
public interface CreateAdmission {
  void admit(WriteContext ctx, ResourceDefinition def, ObjectNode object);
}
