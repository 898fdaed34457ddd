package io.kava.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexesTest {
  final CacheImpl<Pod> cache = new CacheImpl<>();

  static OwnerReference ref(String uid, Boolean controller) {
    return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("rs-" + uid).withUid(uid)
        .withController(controller).build();
  }

  static Pod pod(String ns, String name, OwnerReference... refs) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(ns + "-" + name)
        .withOwnerReferences(refs).endMetadata().build();
  }

  static ReplicaSet rs(String ns, String uid) {
    return new ReplicaSetBuilder().withNewMetadata().withNamespace(ns).withName("rs-" + uid).withUid(uid).endMetadata().build();
  }

  /** An informer over {@code cache} as a borrower of a shared informer sees it: a proxy of its own. */
  @SuppressWarnings("unchecked")
  static SharedIndexInformer<Pod> informerOver(CacheImpl<Pod> cache) {
    return (SharedIndexInformer<Pod>) Proxy.newProxyInstance(IndexesTest.class.getClassLoader(), new Class<?>[] {SharedIndexInformer.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "getIndexer" -> cache;
          case "addIndexers" -> {
            cache.addIndexers((Map) args[0]);
            yield proxy;
          }
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  static List<String> names(List<? extends HasMetadata> objs) {
    return objs.stream().map(o -> o.getMetadata().getName()).sorted().toList();
  }

  @Test
  void controllerUidKeysOnlyTheControllerReference() {
    assertThat(Indexes.controllerUidKeys(pod("ns", "a"))).isEmpty();
    assertThat(Indexes.controllerUidKeys(pod("ns", "b", ref("u1", true)))).containsExactly("u1");
    assertThat(Indexes.controllerUidKeys(pod("ns", "c", ref("u1", false)))).isEmpty();
    assertThat(Indexes.controllerUidKeys(pod("ns", "d", ref("u1", null)))).isEmpty();
    assertThat(Indexes.controllerUidKeys(pod("ns", "e", ref("u1", false), ref("u2", true)))).containsExactly("u2");
  }

  @Test
  void orphanKeysForPodsWithoutAController() {
    assertThat(Indexes.orphanNamespaceKeys(pod("ns", "a"))).containsExactly("ns");
    assertThat(Indexes.orphanNamespaceKeys(pod("ns", "b", ref("u1", false)))).containsExactly("ns");
    assertThat(Indexes.orphanNamespaceKeys(pod("ns", "c", ref("u1", true)))).isEmpty();
  }

  @Test
  void ownedAndOrphansLeavesOutOtherControllersAndNamespaces() {
    Indexes.byControllerUidAndOrphans(informerOver(cache));
    cache.put(pod("ns", "mine", ref("u1", true)));
    cache.put(pod("ns", "orphan"));
    cache.put(pod("ns", "gc-owned", ref("u1", false)));
    cache.put(pod("ns", "theirs", ref("u2", true)));
    cache.put(pod("other", "orphan2"));
    cache.put(pod("other", "mine-elsewhere", ref("u1", true))); // a uid names one object: the index does not check namespaces

    assertThat(names(Indexes.ownedAndOrphans(cache, rs("ns", "u1")))).containsExactly("gc-owned", "mine", "mine-elsewhere", "orphan");
    assertThat(names(Indexes.ownedAndOrphans(cache, rs("ns", "u2")))).containsExactly("gc-owned", "orphan", "theirs");
    assertThat(names(Indexes.ownedAndOrphans(cache, rs("empty", "u3")))).isEmpty();
  }

  @Test
  void updatesMoveAPodBetweenOwnersAndOrphans() {
    Indexes.byControllerUidAndOrphans(informerOver(cache));
    cache.put(pod("ns", "p"));
    assertThat(names(cache.byIndex(Indexes.ORPHAN_NAMESPACE, "ns"))).containsExactly("p");

    cache.put(pod("ns", "p", ref("u1", true))); // adopted
    assertThat(names(cache.byIndex(Indexes.CONTROLLER_UID, "u1"))).containsExactly("p");
    assertThat(cache.byIndex(Indexes.ORPHAN_NAMESPACE, "ns")).isEmpty();

    cache.put(pod("ns", "p", ref("u2", true))); // controller replaced
    assertThat(cache.byIndex(Indexes.CONTROLLER_UID, "u1")).isEmpty();
    assertThat(names(cache.byIndex(Indexes.CONTROLLER_UID, "u2"))).containsExactly("p");

    cache.put(pod("ns", "p", ref("u2", false))); // released, a plain owner reference left
    assertThat(cache.byIndex(Indexes.CONTROLLER_UID, "u2")).isEmpty();
    assertThat(names(cache.byIndex(Indexes.ORPHAN_NAMESPACE, "ns"))).containsExactly("p");

    cache.remove(pod("ns", "p"));
    assertThat(cache.byIndex(Indexes.ORPHAN_NAMESPACE, "ns")).isEmpty();
  }

  @Test
  void addedToAPopulatedCacheIndexesWhatItHolds() {
    cache.put(pod("ns", "mine", ref("u1", true)));
    cache.put(pod("ns", "orphan"));
    Indexes.byControllerUidAndOrphans(informerOver(cache));
    assertThat(names(Indexes.ownedAndOrphans(cache, rs("ns", "u1")))).containsExactly("mine", "orphan");
  }

  @Test
  void twoBorrowersAddingTheSameIndexesDoNotClash() {
    Indexes.byControllerUidAndOrphans(informerOver(cache));
    Indexes.byControllerUidAndOrphans(informerOver(cache));
    Indexes.byControllerUid(informerOver(cache));
    assertThat(cache.getIndexers()).containsKeys(Indexes.CONTROLLER_UID, Indexes.ORPHAN_NAMESPACE);
    cache.put(pod("ns", "mine", ref("u1", true)));
    assertThat(names(cache.byIndex(Indexes.CONTROLLER_UID, "u1"))).containsExactly("mine");
  }

  @Test
  void controllerNameKeysFollowTheControllerReference() {
    assertThat(Indexes.controllerNameKeys(pod("ns", "a"))).isEmpty();
    assertThat(Indexes.controllerNameKeys(pod("ns", "b", ref("u1", false)))).isEmpty();
    assertThat(Indexes.controllerNameKeys(pod("ns", "c", ref("u1", true))))
        .containsExactly(Indexes.controllerNameKey("ns", "ReplicaSet", "rs-u1"));

    Indexes.byControllerName(informerOver(cache));
    cache.put(pod("ns", "old", ref("u1", true)));
    cache.put(pod("ns", "new", new OwnerReferenceBuilder().withKind("ReplicaSet").withName("rs-u1").withUid("u9").withController(true).build()));
    cache.put(pod("other", "elsewhere", ref("u7", true)));
    assertThat(names(cache.byIndex(Indexes.CONTROLLER_NAME, Indexes.controllerNameKey("ns", "ReplicaSet", "rs-u1")))).containsExactly("new", "old");
    assertThat(cache.byIndex(Indexes.CONTROLLER_NAME, Indexes.controllerNameKey("ns", "Job", "rs-u1"))).isEmpty();

    cache.put(pod("ns", "old")); // released
    assertThat(names(cache.byIndex(Indexes.CONTROLLER_NAME, Indexes.controllerNameKey("ns", "ReplicaSet", "rs-u1")))).containsExactly("new");
  }
}
