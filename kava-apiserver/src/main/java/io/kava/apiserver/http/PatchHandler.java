package io.kava.apiserver.http;

import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.patch.PatchMeta;
import io.kava.apiserver.patch.PatchType;
import io.kava.apiserver.patch.Patches;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.WriteOptions;
import tools.jackson.databind.node.ObjectNode;

/** PATCH bodies: JSON patch, merge patch and strategic merge patch through the patch engines. */
public final class PatchHandler implements PatchApplier {
  private final BodyDecoder decoder;

  public PatchHandler(BodyDecoder decoder) { this.decoder = decoder; }

  @Override
  public Prepared prepare(ResourceDefinition def, String contentType, byte[] body, WriteOptions options, Exchange ex) {
    PatchType type = PatchType.fromContentType(contentType, PatchMeta.supports(def.apiVersion(), def.kind()));
    if (type == PatchType.APPLY_YAML) {
      throw StatusException.unsupportedMediaType(contentType);
    }
    Patches.Prepared patch = Patches.prepare(type, body == null ? new byte[0] : body, def.apiVersion(), def.kind());
    return patch::applyInPlace;
  }
}
