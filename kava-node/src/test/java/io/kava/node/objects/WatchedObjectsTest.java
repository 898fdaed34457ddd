package io.kava.node.objects;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchedObjectsTest {
  /** Fake watches: the test decides when they sync, what they hold, and fires their changes. */
  final Map<ObjectRef, FakeWatch> running = new HashMap<>();
  final List<ObjectRef> started = new ArrayList<>();
  final List<ObjectRef> directReads = new ArrayList<>();
  final List<Set<String>> changes = new ArrayList<>();

  final class FakeWatch implements WatchedObjects.Watch<String> {
    final Runnable changed;
    boolean synced = true;
    String value;
    boolean stopped;

    FakeWatch(Runnable changed) { this.changed = changed; }

    @Override public boolean synced() { return synced; }

    @Override public Optional<String> current() { return Optional.ofNullable(value); }

    @Override public void stop() { stopped = true; }
  }

  WatchedObjects<String> objects(Duration syncWait) {
    WatchedObjects<String> o = new WatchedObjects<>("configmap", (ref, changed) -> {
      FakeWatch w = new FakeWatch(changed);
      w.value = "watched " + ref;
      started.add(ref);
      running.put(ref, w);
      return w;
    }, ref -> {
      directReads.add(ref);
      return Optional.of("read " + ref);
    }, value -> value.startsWith("immutable"), syncWait);
    o.onChange(changes::add);
    return o;
  }

  static final ObjectRef A = new ObjectRef("ns", "a");
  static final ObjectRef B = new ObjectRef("ns", "b");

  @Test
  void oneWatchPerReferencedObjectSharedByPodsAndStoppedWithTheLastOne() {
    WatchedObjects<String> o = objects(Duration.ofSeconds(1));
    o.register("p1", Set.of(A));
    o.register("p2", Set.of(A, B));
    o.register("p2", Set.of(A, B)); // every pod update registers again: nothing new starts
    assertThat(started).containsExactlyInAnyOrder(A, B);
    assertThat(o.get(A)).contains("watched ns/a");
    assertThat(directReads).isEmpty();

    o.register("p2", Set.of(A)); // p2 no longer refers to b
    assertThat(running.get(B).stopped).isTrue();
    o.unregister("p1");
    assertThat(running.get(A).stopped).isFalse();
    o.unregister("p2");
    assertThat(running.get(A).stopped).isTrue();
    assertThat(o.watched()).isZero();
  }

  @Test
  void aChangeNamesThePodsThatReferToTheObject() {
    WatchedObjects<String> o = objects(Duration.ofSeconds(1));
    o.register("p1", Set.of(A));
    o.register("p2", Set.of(A, B));
    running.get(A).value = "v2";
    running.get(A).changed.run();
    assertThat(changes).containsExactly(Set.of("p1", "p2"));
    assertThat(o.get(A)).contains("v2");
    running.get(B).changed.run();
    assertThat(changes.getLast()).containsExactly("p2");
  }

  @Test
  void aDeletedObjectIsAbsentAndUnwatchedOnesAreReadDirectly() {
    WatchedObjects<String> o = objects(Duration.ofSeconds(1));
    o.register("p1", Set.of(A));
    running.get(A).value = null;
    assertThat(o.get(A)).isEmpty();
    assertThat(o.get(B)).contains("read ns/b");
    assertThat(directReads).containsExactly(B);
  }

  @Test
  void aWatchThatDoesNotSyncFallsBackToARead() {
    WatchedObjects<String> o = objects(Duration.ZERO);
    o.register("p1", Set.of(A));
    running.get(A).synced = false;
    assertThat(o.get(A)).contains("read ns/a");
  }

  @Test
  void podReferencesCoverVolumesProjectionsEnvAndEnvFrom() {
    Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").withUid("u").endMetadata().withNewSpec()
        .withVolumes(new VolumeBuilder().withName("v1").withNewConfigMap().withName("cm-vol").endConfigMap().build(),
            new VolumeBuilder().withName("v2").withNewSecret().withSecretName("s-vol").endSecret().build(),
            new VolumeBuilder().withName("v3").withNewProjected().addNewSource().withNewConfigMap().withName("cm-proj").endConfigMap().endSource()
                .addNewSource().withNewSecret().withName("s-proj").endSecret().endSource().endProjected().build())
        .withInitContainers(new ContainerBuilder().withName("i").addNewEnvFrom().withNewSecretRef().withName("s-init").endSecretRef().endEnvFrom().build())
        .withContainers(new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef()
            .withName("cm-env").withKey("k").endConfigMapKeyRef().endValueFrom().endEnv()
            .addNewEnvFrom().withNewConfigMapRef().withName("cm-from").endConfigMapRef().endEnvFrom().build())
        .endSpec().build();
    assertThat(PodReferences.configMaps(pod)).extracting(ObjectRef::name).containsExactlyInAnyOrder("cm-vol", "cm-proj", "cm-env", "cm-from");
    assertThat(PodReferences.secrets(pod)).extracting(ObjectRef::name).containsExactlyInAnyOrder("s-vol", "s-proj", "s-init");
    assertThat(PodReferences.secrets(pod)).allMatch(r -> r.namespace().equals("ns"));
  }

  @Test
  void anImmutableObjectsWatchIsStoppedAndItsLastValueKeptWhilePodsReferToIt() {
    WatchedObjects<String> o = objects(Duration.ofSeconds(1));
    o.register("p1", Set.of(A));
    running.get(A).value = "immutable a";
    assertThat(o.get(A)).contains("immutable a");
    assertThat(running.get(A).stopped).isTrue();
    running.get(A).value = "gone"; // the stopped watch is not read again
    o.register("p2", Set.of(A));
    assertThat(o.get(A)).contains("immutable a");
    assertThat(started).containsExactly(A);
    assertThat(directReads).isEmpty();
    o.unregister("p1");
    o.unregister("p2");
    assertThat(o.watched()).isZero();
    o.register("p3", Set.of(A)); // referred to again later: a new watch reads it afresh
    assertThat(started).containsExactly(A, A);
  }

  @Test
  void anObjectMadeImmutableByAnUpdateStopsItsWatchAfterTellingThePods() throws InterruptedException {
    WatchedObjects<String> o = objects(Duration.ofSeconds(1));
    o.register("p1", Set.of(A));
    FakeWatch w = running.get(A);
    w.value = "immutable now";
    w.changed.run();
    assertThat(changes).containsExactly(Set.of("p1"));
    for (int i = 0; i < 500 && !w.stopped; i++) Thread.sleep(10);
    assertThat(w.stopped).isTrue();
    assertThat(o.get(A)).contains("immutable now");
  }

  @Test
  void aMutableObjectKeepsItsWatch() {
    WatchedObjects<String> o = objects(Duration.ofSeconds(1));
    o.register("p1", Set.of(A));
    assertThat(o.get(A)).contains("watched ns/a");
    running.get(A).changed.run();
    assertThat(running.get(A).stopped).isFalse();
  }
}
