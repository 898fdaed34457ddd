package io.kava.apiserver.http;

import io.kava.apiserver.apply.ApplyPatch;
import io.kava.apiserver.apply.FieldManager;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.patch.PatchMeta;
import io.kava.apiserver.patch.PatchType;
import io.kava.apiserver.patch.Patches;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.WriteOptions;
import tools.jackson.databind.node.ObjectNode;

/**
 * PATCH bodies: JSON patch, merge patch and strategic merge patch through the patch engines; server-side apply
 * through {@link #serverSideApply} (io.kava.apiserver.apply).
 */
public final class PatchHandler implements PatchApplier {
  private final BodyDecoder decoder;

  public PatchHandler(BodyDecoder decoder) { this.decoder = decoder; }

  @Override
  public Prepared prepare(ResourceDefinition def, String contentType, byte[] body, WriteOptions options, Exchange ex) {
    PatchType type = PatchType.fromContentType(contentType, PatchMeta.supports(def.apiVersion(), def.kind()));
    if (type == PatchType.APPLY_YAML) {
      // Server-side apply needs the store's field manager: ResourceHandler routes it to serverSideApply. Only
      // subresources with their own shape (scale) end up here.
      throw StatusException.unsupportedMediaType(contentType);
    }
    Patches.Prepared patch = Patches.prepare(type, body == null ? new byte[0] : body, def.apiVersion(), def.kind());
    return patch::applyInPlace;
  }

  /**
   * A server-side apply patch ({@code application/apply-patch+yaml}) of {@code def} or its {@code subresource}
   * ("" or "status"), with the {@code fieldManager} (required) and {@code force} parameters. The result sets
   * managedFields itself: run it with {@code GenericStore.guaranteedUpdate(..., applied = true)}.
   */
  public static Prepared serverSideApply(FieldManager fields, ResourceDefinition def, String subresource, byte[] body, Exchange ex) {
    ApplyPatch apply = fields.prepareApply(def, subresource, body, ex.param("fieldManager"), "true".equals(ex.param("force")));
    return new Prepared() {
      @Override
      public ObjectNode apply(ObjectNode current) { return apply.apply(current); }

      @Override
      public ObjectNode createIfMissing(ResourceDefinition d, String namespace, String name) {
        ObjectNode created = apply.createIfMissing(namespace, name);
        if (created != null) BodyDecoder.checkKind(d, created);
        return created;
      }
    };
  }
}
