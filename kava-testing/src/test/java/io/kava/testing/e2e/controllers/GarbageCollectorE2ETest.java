package io.kava.testing.e2e.controllers;

import static io.kava.testing.e2e.E2E.createConfigMap;
import static io.kava.testing.e2e.E2E.exists;
import static io.kava.testing.e2e.E2E.jsonpath;
import static io.kava.testing.e2e.E2E.ok;
import static io.kava.testing.e2e.E2E.ownerRef;
import static io.kava.testing.e2e.E2E.uid;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The garbage collector through {@code kubectl delete --cascade=background|orphan|foreground}, on ConfigMaps owned by
 * other ConfigMaps (ownerReferences work the same for every kind).
 */
@Tag("e2e")
class GarbageCollectorE2ETest {
  static final String HOLD = "[\"example.com/hold\"]";
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static Kubectl kubectl(String v) { return E2E.kubectl(cluster, v); }

  /** A namespace with ConfigMap {@code owner} and {@code dependent} pointing at it; returns the owner's uid. */
  static String ownerAndDependent(Kubectl k, String ns, boolean blockOwnerDeletion, String dependentFinalizers) {
    ok(k.run("create", "namespace", ns));
    createConfigMap(k, ns, "owner", null, null);
    String uid = uid(k, ns, "configmap", "owner");
    createConfigMap(k, ns, "dependent", "[" + ownerRef("owner", uid, blockOwnerDeletion) + "]", dependentFinalizers);
    return uid;
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void backgroundDeletionRemovesDependentsAfterTheOwner(String v) {
    Kubectl k = kubectl(v);
    String ns = E2E.name("gc-bg", v);
    ownerAndDependent(k, ns, true, null);
    ok(k.run("delete", "configmap", "owner", "-n", ns, "--cascade=background"));
    assertThat(exists(k, ns, "configmap", "owner")).isFalse();
    Poll.until(() -> !exists(k, ns, "configmap", "dependent"), () -> k.run("get", "configmaps", "-n", ns, "-o", "yaml").out());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void orphanDeletionKeepsDependentsAndDropsTheirReference(String v) {
    Kubectl k = kubectl(v);
    String ns = E2E.name("gc-orphan", v);
    ownerAndDependent(k, ns, true, null);
    // kubectl waits for the owner to be gone, which happens only once its dependents are orphaned.
    ok(k.run("delete", "configmap", "owner", "-n", ns, "--cascade=orphan"));
    assertThat(exists(k, ns, "configmap", "owner")).isFalse();
    assertThat(exists(k, ns, "configmap", "dependent")).isTrue();
    assertThat(jsonpath(k, ns, "configmap", "dependent", "{.metadata.ownerReferences}")).isEmpty();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void foregroundDeletionRemovesDependentsBeforeTheOwner(String v) {
    Kubectl k = kubectl(v);
    String ns = E2E.name("gc-fg", v);
    ownerAndDependent(k, ns, true, null);
    // kubectl waits for the owner to be gone; in the foreground that is after its blocking dependents.
    ok(k.run("delete", "configmap", "owner", "-n", ns, "--cascade=foreground"));
    assertThat(exists(k, ns, "configmap", "owner")).isFalse();
    assertThat(exists(k, ns, "configmap", "dependent")).isFalse();
  }

  @Test
  void foregroundDeletionWaitsForABlockingDependentWithAFinalizer() {
    Kubectl k = kubectl("1.33");
    String ns = "gc-fg-held";
    ownerAndDependent(k, ns, true, HOLD);
    ok(k.run("delete", "configmap", "owner", "-n", ns, "--cascade=foreground", "--wait=false"));

    // The collector deletes the dependent, whose finalizer keeps it; the owner waits with its foregroundDeletion.
    Poll.until(() -> !jsonpath(k, ns, "configmap", "dependent", "{.metadata.deletionTimestamp}").isEmpty(),
        () -> k.run("get", "configmaps", "-n", ns, "-o", "yaml").out());
    assertThat(jsonpath(k, ns, "configmap", "owner", "{.metadata.finalizers}")).contains("foregroundDeletion");
    assertThat(jsonpath(k, ns, "configmap", "owner", "{.metadata.deletionTimestamp}")).isNotEmpty();

    ok(k.run("patch", "configmap", "dependent", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}"));
    Poll.until(() -> !exists(k, ns, "configmap", "owner"), () -> k.run("get", "configmaps", "-n", ns, "-o", "yaml").out());
    assertThat(exists(k, ns, "configmap", "dependent")).isFalse();
  }

  @Test
  void foregroundDeletionDoesNotWaitForANonBlockingDependent() {
    Kubectl k = kubectl("1.33");
    String ns = "gc-fg-nonblocking";
    ownerAndDependent(k, ns, false, HOLD);
    // Without blockOwnerDeletion the dependent is deleted too, but the owner does not wait for it to be gone.
    ok(k.run("delete", "configmap", "owner", "-n", ns, "--cascade=foreground"));
    assertThat(exists(k, ns, "configmap", "owner")).isFalse();
    Poll.until(() -> !jsonpath(k, ns, "configmap", "dependent", "{.metadata.deletionTimestamp}").isEmpty(),
        () -> k.run("get", "configmaps", "-n", ns, "-o", "yaml").out());
    ok(k.run("patch", "configmap", "dependent", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}"));
    Poll.until(() -> !exists(k, ns, "configmap", "dependent"), () -> k.run("get", "configmaps", "-n", ns, "-o", "yaml").out());
  }

  @Test
  void aDependentWithAnotherLiveOwnerStaysAndLosesTheDeadReference() {
    Kubectl k = kubectl("1.33");
    String ns = "gc-two-owners";
    ok(k.run("create", "namespace", ns));
    createConfigMap(k, ns, "first", null, null);
    createConfigMap(k, ns, "second", null, null);
    String first = uid(k, ns, "configmap", "first");
    String second = uid(k, ns, "configmap", "second");
    createConfigMap(k, ns, "shared", "[" + ownerRef("first", first, true) + "," + ownerRef("second", second, true) + "]", null);
    ok(k.run("delete", "configmap", "first", "-n", ns));
    Poll.until(() -> !jsonpath(k, ns, "configmap", "shared", "{.metadata.ownerReferences[*].name}").contains("first"),
        () -> k.run("get", "configmap", "shared", "-n", ns, "-o", "yaml").out());
    assertThat(jsonpath(k, ns, "configmap", "shared", "{.metadata.ownerReferences[*].uid}")).isEqualTo(second);
  }

  @Test
  void aReferenceToAnOwnerThatNeverExistedCountsAsAbsent() {
    Kubectl k = kubectl("1.33");
    String ns = "gc-dangling";
    ok(k.run("create", "namespace", ns));
    createConfigMap(k, ns, "ghost", null, null);
    // Same name as an existing ConfigMap, but another uid: the reference does not hold (the live GET tells).
    createConfigMap(k, ns, "orphaned", "[" + ownerRef("ghost", "00000000-0000-0000-0000-000000000001", false) + "]", null);
    createConfigMap(k, ns, "nobody", "[" + ownerRef("missing", "00000000-0000-0000-0000-000000000002", false) + "]", null);
    Poll.until(() -> !exists(k, ns, "configmap", "orphaned") && !exists(k, ns, "configmap", "nobody"),
        () -> k.run("get", "configmaps", "-n", ns).out());
    assertThat(exists(k, ns, "configmap", "ghost")).isTrue();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void describeShowsTheCollectorsWarningForAnInvalidOwnerReference(String v) {
    Kubectl k = kubectl(v);
    String ns = E2E.name("gc-events", v);
    String pv = E2E.name("pv-owned", v);
    ok(k.run("create", "namespace", ns));
    createConfigMap(k, ns, "owner", null, null);
    String uid = uid(k, ns, "configmap", "owner");
    // A cluster-scoped object cannot be owned by a namespaced one: upstream's collector warns and leaves it alone.
    ok(k.runWithInput("""
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"%s","ownerReferences":[%s]},
         "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/%s"}}}
        """.formatted(pv, ownerRef("owner", uid, false), pv), "create", "--validate=false", "-f", "-"));
    String expected = "ownerRef [v1/ConfigMap, namespace: , name: owner, uid: " + uid + "] does not exist in namespace \"\"";
    Poll.until(() -> k.run("describe", "persistentvolume", pv).out().contains(expected),
        () -> k.run("describe", "persistentvolume", pv).out());
    assertThat(ok(k.run("describe", "persistentvolume", pv)).out())
        .containsPattern("Warning\\s+OwnerRefInvalidNamespace\\s+\\S+\\s+garbage-collector-controller\\s+" + java.util.regex.Pattern.quote(expected));
    assertThat(exists(k, "", "persistentvolume", pv)).as("left alone").isTrue();
    ok(k.run("delete", "persistentvolume", pv));
  }
}
