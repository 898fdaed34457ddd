package io.kava.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SharedInformersTest {
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private boolean running;

  /** A stand-in for the shared informer that records what reaches it. */
  @SuppressWarnings("unchecked")
  private SharedIndexInformer<Pod> shared() {
    return (SharedIndexInformer<Pod>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SharedIndexInformer.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isRunning" -> running;
          case "start" -> {
            running = true;
            calls.add("start");
            yield CompletableFuture.completedFuture(null);
          }
          case "addEventHandler" -> {
            calls.add("add " + args[0]);
            yield proxy;
          }
          case "removeEventHandler" -> {
            calls.add("remove " + args[0]);
            yield proxy;
          }
          case "stop" -> {
            calls.add("stop");
            yield null;
          }
          case "lastSyncResourceVersion" -> "42";
          default -> throw new AssertionError("unexpected " + method.getName());
        });
  }

  private static ResourceEventHandler<Pod> handler(String name) {
    return new ResourceEventHandler<>() {
      @Override public void onAdd(Pod p) {}

      @Override public void onUpdate(Pod a, Pod b) {}

      @Override public void onDelete(Pod p, boolean unknown) {}

      @Override public String toString() { return name; }
    };
  }

  @Test
  void aBorrowerStopsOnlyItsOwnHandlersAndTheSharedInformerStartsOnce() {
    SharedInformers informers = new SharedInformers(() -> null);
    SharedIndexInformer<Pod> shared = shared();
    SharedIndexInformer<Pod> scheduler = informers.borrow(shared);
    SharedIndexInformer<Pod> controllers = informers.borrow(shared);

    scheduler.addEventHandler(handler("scheduler"));
    controllers.addEventHandler(handler("controllers"));
    scheduler.start();
    controllers.start();
    assertThat(scheduler.lastSyncResourceVersion()).as("reads go to the shared informer").isEqualTo("42");
    scheduler.stop();
    assertThat(scheduler.stopped()).isCompleted();

    assertThat(calls).containsExactly("add scheduler", "add controllers", "start", "remove scheduler");
  }

  @Test
  void aBorrowerCannotReplaceTheSharedStore() {
    SharedIndexInformer<Pod> borrowed = new SharedInformers(() -> null).borrow(shared());
    assertThatThrownBy(() -> borrowed.itemStore(null)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> borrowed.removeIndexer("spec.nodeName")).isInstanceOf(UnsupportedOperationException.class);
  }
}
