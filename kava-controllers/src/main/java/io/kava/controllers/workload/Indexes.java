package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Informer indexes shared by the workload controllers (several of them index the same shared informer). */
public final class Indexes {
  /** Objects by the uid of their controller (owner reference with controller=true). */
  public static final String CONTROLLER_UID = "kava-controller-uid";

  private Indexes() {}

  /** Adds the {@link #CONTROLLER_UID} index unless a controller sharing the informer already did. */
  public static <T extends HasMetadata> void byControllerUid(SharedIndexInformer<T> informer) {
    addOnce(informer, CONTROLLER_UID, o -> {
      String uid = Owners.controllerUid(o);
      return uid == null ? List.of() : List.of(uid);
    });
  }

  /**
   * Adds an index unless one of that name exists. Controllers are built one after the other before the informers
   * start, which is when indexers must be added; the lock only guards against a factory that runs in parallel.
   */
  public static <T> void addOnce(SharedIndexInformer<T> informer, String name, Function<T, List<String>> fn) {
    synchronized (informer) {
      if (!informer.getIndexer().getIndexers().containsKey(name)) informer.addIndexers(Map.of(name, fn));
    }
  }
}
