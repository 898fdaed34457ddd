package io.kava.apiserver.registry;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A kind-specific step in the write path (upstream's PrepareForCreate/PrepareForUpdate plus the server-side
 * allocations some kinds need). May mutate {@code object}; {@code old} is null on create and must not be mutated.
 * May throw {@link io.kava.apiserver.errors.StatusException}.
 */
@FunctionalInterface
public interface ObjectHook {
  void apply(WriteContext ctx, ObjectNode object, JsonNode old);

  ObjectHook NONE = (c, o, old) -> {};

  default ObjectHook andThen(ObjectHook next) {
    return (c, o, old) -> {
      apply(c, o, old);
      next.apply(c, o, old);
    };
  }
}
