package io.kava.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kava.client.RateLimiter;
import io.kava.client.Ticker;
import io.kava.client.WorkQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which uids the collector looks at for which change: keys only, decided without any API. */
class GraphEventsTest {
  final Ticker ticker = () -> 0L;
  final WorkQueue<String> queue = new WorkQueue<>("gc", RateLimiter.controllerDefault(ticker), ticker);
  final GraphEvents events = new GraphEvents(queue);

  static OwnerReference ref(String uid, boolean block) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("o-" + uid).withUid(uid).withBlockOwnerDeletion(block).build();
  }

  static GenericKubernetesResource obj(String uid, String rv, List<OwnerReference> owners, boolean deleting, String... finalizers) {
    GenericKubernetesResource o = new GenericKubernetesResource();
    o.setMetadata(new ObjectMetaBuilder().withName("n-" + uid).withNamespace("ns").withUid(uid).withResourceVersion(rv)
        .withOwnerReferences(owners).withFinalizers(finalizers)
        .withDeletionTimestamp(deleting ? "2025-01-01T00:00:00Z" : null).build());
    return o;
  }

  List<String> drain() {
    List<String> keys = new ArrayList<>();
    for (String k; (k = queue.poll()) != null; ) {
      keys.add(k);
      queue.done(k);
    }
    return keys;
  }

  @Test
  void objectsWithoutOwnersOrCollectorFinalizersAreIgnored() {
    events.onAdd(obj("a", "1", List.of(), false));
    events.onAdd(obj("b", "1", List.of(), true, "example.com/other"));
    assertThat(drain()).isEmpty();
  }

  @Test
  void dependentsAndOwnersDeletingWithCollectorFinalizersAreQueued() {
    events.onAdd(obj("dep", "1", List.of(ref("owner", true)), false));
    events.onAdd(obj("fg", "1", List.of(), true, "foregroundDeletion"));
    events.onAdd(obj("or", "1", List.of(), true, "orphan"));
    assertThat(drain()).containsExactly("dep", "fg", "or");
  }

  @Test
  void aDeletionQueuesTheObjectAndItsOwners() {
    events.onDelete(obj("dep", "1", List.of(ref("o1", true), ref("o2", false)), false), false);
    assertThat(drain()).containsExactly("dep", "o1", "o2");
  }

  @Test
  void droppingOrUnblockingAReferenceQueuesThatOwner() {
    GenericKubernetesResource before = obj("dep", "1", List.of(ref("kept", true), ref("dropped", true), ref("unblocked", true)), false);
    GenericKubernetesResource after = obj("dep", "2", List.of(ref("kept", true), ref("unblocked", false)), false);
    events.onUpdate(before, after);
    assertThat(drain()).containsExactly("dep", "dropped", "unblocked");
  }

  @Test
  void updatesThatLeaveTheReferencesAloneQueueNothing() {
    // a Lease renewal: owned by its Node, new resourceVersion, same references
    events.onUpdate(obj("lease", "1", List.of(ref("node", false)), false), obj("lease", "2", List.of(ref("node", false)), false));
    assertThat(drain()).isEmpty();
    // a new owner is looked at, as is a deletion the collector has to finish
    events.onUpdate(obj("dep", "1", List.of(ref("a", true)), false), obj("dep", "2", List.of(ref("a", true), ref("b", true)), false));
    events.onUpdate(obj("fg", "1", List.of(ref("a", true)), false), obj("fg", "2", List.of(ref("a", true)), true, "foregroundDeletion"));
    assertThat(drain()).containsExactly("dep", "fg");
  }

  @Test
  void resyncsAreIgnored() {
    GenericKubernetesResource o = obj("dep", "7", List.of(ref("owner", true)), false);
    events.onUpdate(o, o);
    assertThat(drain()).isEmpty();
  }
}
