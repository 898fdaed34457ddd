package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Informer indexes shared by the workload controllers (several of them index the same shared informer, e.g. the
 * process-wide pod informer of {@code io.kava.client.SharedInformers}): each index has one name, added once by
 * whichever controller comes first, and later controllers (and later leadership terms) reuse it.
 */
public final class Indexes {
  /** Objects by the uid of their controller (owner reference with controller=true). */
  public static final String CONTROLLER_UID = "kava-controller-uid";
  /**
   * Objects without a controller reference, by namespace: what a controller may adopt. With {@link #CONTROLLER_UID}
   * it gives a controller its candidates (its own objects plus the orphans) without walking the whole namespace, as
   * upstream's ReplicaSet controller does with its controllerUIDIndex.
   */
  public static final String ORPHAN_NAMESPACE = "kava-orphan-namespace";

  /**
   * Objects by their controller reference's namespace, kind and name ({@link #controllerNameKey}), whatever its uid:
   * finds what a controller of the same name that is gone left behind (the Job controller releases such pods).
   */
  public static final String CONTROLLER_NAME = "kava-controller-name";

  private Indexes() {}

  /** Adds the {@link #CONTROLLER_NAME} index unless a controller sharing the informer already did. */
  public static <T extends HasMetadata> void byControllerName(SharedIndexInformer<T> informer) {
    addOnce(informer, CONTROLLER_NAME, Indexes::controllerNameKeys);
  }

  /** The {@link #CONTROLLER_NAME} key of objects controlled by the {@code kind} called {@code namespace/name}. */
  public static String controllerNameKey(String namespace, String kind, String name) {
    return (namespace == null ? "" : namespace) + "/" + kind + "/" + name;
  }

  static List<String> controllerNameKeys(HasMetadata o) {
    var ref = Owners.controllerOf(o);
    if (ref == null || ref.getKind() == null || ref.getName() == null) return List.of();
    return List.of(controllerNameKey(o.getMetadata().getNamespace(), ref.getKind(), ref.getName()));
  }

  /** Adds the {@link #CONTROLLER_UID} index unless a controller sharing the informer already did. */
  public static <T extends HasMetadata> void byControllerUid(SharedIndexInformer<T> informer) {
    addOnce(informer, CONTROLLER_UID, Indexes::controllerUidKeys);
  }

  /** Adds {@link #CONTROLLER_UID} and {@link #ORPHAN_NAMESPACE}, which {@link #ownedAndOrphans} reads. */
  public static <T extends HasMetadata> void byControllerUidAndOrphans(SharedIndexInformer<T> informer) {
    byControllerUid(informer);
    addOnce(informer, ORPHAN_NAMESPACE, Indexes::orphanNamespaceKeys);
  }

  static List<String> controllerUidKeys(HasMetadata o) {
    String uid = Owners.controllerUid(o);
    return uid == null ? List.of() : List.of(uid);
  }

  static List<String> orphanNamespaceKeys(HasMetadata o) {
    if (Owners.controllerOf(o) != null) return List.of();
    String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
    return List.of(ns == null ? "" : ns);
  }

  /**
   * The objects {@code owner} controls plus the orphans of its namespace: every object a claim pass
   * ({@link ControllerRefManager}) can keep, adopt or release; the ones it skips (controlled by someone else) are
   * left out. Needs {@link #byControllerUidAndOrphans} on the informer.
   */
  public static <T> List<T> ownedAndOrphans(Indexer<T> indexer, HasMetadata owner) {
    List<T> owned = indexer.byIndex(CONTROLLER_UID, owner.getMetadata().getUid());
    List<T> orphans = indexer.byIndex(ORPHAN_NAMESPACE, owner.getMetadata().getNamespace());
    List<T> out = new ArrayList<>(owned.size() + orphans.size());
    out.addAll(owned);
    out.addAll(orphans);
    return out;
  }

  /**
   * Adds an index unless one of that name exists. Indexers added to a running informer index the objects it
   * already holds (fabric8's cache reindexes under its lock), and a second index of the same name would be refused
   * with an IllegalArgumentException: the check and the add run under the cache's own lock, which is the same
   * object for every borrower of a shared informer (each borrower's informer is a different proxy).
   */
  public static <T> void addOnce(SharedIndexInformer<T> informer, String name, Function<T, List<String>> fn) {
    Indexer<T> indexer = informer.getIndexer();
    synchronized (indexer) {
      if (!indexer.getIndexers().containsKey(name)) informer.addIndexers(Map.of(name, fn));
    }
  }
}
