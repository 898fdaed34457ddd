package io.kava.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceCacheTest {
  private final ResourceCache cache = new ResourceCache("/core/configmaps/", 100, 0);

  private static CachedObject configMap(String name, long revision) {
    String json = "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\",\"resourceVersion\":\""
        + revision + "\"}}";
    return CachedObject.compact("/core/configmaps/default/" + name, "default", name, json.getBytes(StandardCharsets.UTF_8), revision,
        Map.of(), Map.of("metadata.name", name, "metadata.namespace", "default"));
  }

  private static WatchEvent added(String name, long revision) {
    return new WatchEvent(WatchEvent.Type.ADDED, configMap(name, revision), null);
  }

  /** A sink that records what it got, and fails on the objects named in {@code failOn}. */
  private static final class Recorder implements WatchSink {
    final List<String> seen = new ArrayList<>();
    final List<RuntimeException> aborted = new ArrayList<>();
    final String failOn;

    Recorder(String failOn) { this.failOn = failOn; }

    @Override
    public boolean send(WatchEvent.Type type, CachedObject object) {
      if (object.name().equals(failOn)) throw new IllegalStateException("cannot encode " + object.name());
      seen.add(type + " " + object.name());
      return true;
    }

    @Override
    public void abort(RuntimeException cause) { aborted.add(cause); }
  }

  @Test
  void aWatcherThatThrowsIsEndedAndTheOthersStillGetTheEvent() {
    Recorder failing = new Recorder("b");
    Recorder healthy = new Recorder(null);
    cache.watch(WatchFilter.ALL, failing, 0, null);
    cache.watch(WatchFilter.ALL, healthy, 0, null);

    cache.apply(added("a", 1));
    cache.apply(added("b", 2));
    cache.apply(added("c", 3));

    assertThat(healthy.seen).containsExactly("ADDED a", "ADDED b", "ADDED c");
    assertThat(failing.seen).containsExactly("ADDED a");
    assertThat(failing.aborted).as("the failing watcher is told it was dropped, so it can end its stream").hasSize(1);
    assertThat(cache.watcherCount()).isEqualTo(1);
  }

  @Test
  void aWatcherThatThrowsDuringItsReplayIsEndedAndNotRegistered() {
    cache.apply(added("a", 1));
    cache.apply(added("b", 2));
    Recorder resuming = new Recorder("b");
    assertThat(cache.watch(WatchFilter.ALL, resuming, 0, null)).isNotNull();
    assertThat(resuming.aborted).hasSize(1);

    Recorder initial = new Recorder("a");
    assertThat(cache.watch(WatchFilter.ALL, initial, 0, o -> initial.send(WatchEvent.Type.ADDED, o))).isNotNull();
    assertThat(initial.aborted).hasSize(1);

    assertThat(cache.watcherCount()).isZero();
  }

  @Test
  void pointReadsAndRangesSeeTheSameLoadsAndEvents() {
    cache.load(configMap("a", 1));
    cache.apply(added("b", 2));
    cache.apply(new WatchEvent(WatchEvent.Type.MODIFIED, configMap("a", 3), configMap("a", 1)));
    cache.apply(new WatchEvent(WatchEvent.Type.DELETED, configMap("b", 4), configMap("b", 2)));

    assertThat(cache.get("/core/configmaps/default/a").revision()).isEqualTo(3);
    assertThat(cache.get("/core/configmaps/default/b")).as("a deleted object is gone from point reads too").isNull();
    assertThat(cache.range("/core/configmaps/default/", "/core/configmaps/default0")).extracting(CachedObject::name).containsExactly("a");
    assertThat(cache.size()).isEqualTo(1);
  }
}
