package io.kava.apiserver.registry.crd;

import io.kava.apiserver.registry.StorageConversion;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code None} conversion strategy of a CRD: every version of a custom resource has the same content, so
 * serving an object in another version than the one it was stored in only rewrites {@code apiVersion}.
 *
 * @param storagePrefix     the storage shared by every version ({@code /<group>/<plural>/})
 * @param servedApiVersion  {@code group/version} of the served version
 * @param storageApiVersion {@code group/version} of the CRD's storage version
 */
record VersionConversion(String storagePrefix, String servedApiVersion, String storageApiVersion) implements StorageConversion {
  @Override
  public ObjectNode toStorage(ObjectNode served) {
    served.put("apiVersion", storageApiVersion);
    return served;
  }

  @Override
  public ObjectNode fromStorage(ObjectNode stored) {
    stored.put("apiVersion", servedApiVersion);
    return stored;
  }
}
