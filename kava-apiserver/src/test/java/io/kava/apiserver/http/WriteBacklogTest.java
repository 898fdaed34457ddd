package io.kava.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteBacklogTest {
  @Test
  void theReplayDoesNotCountAgainstTheLimit() {
    WriteBacklog b = new WriteBacklog();
    for (int i = 0; i < 1000; i++) b.written(1000); // 1 MB of initial objects, none read yet
    assertThat(b.replaying()).isTrue();
    assertThat(b.tooSlow(10_000)).isFalse();
    b.replayDone();
    assertThat(b.queued()).isEqualTo(1_000_000);
    assertThat(b.liveQueued()).isZero();
    assertThat(b.tooSlow(10_000)).isFalse();
  }

  @Test
  void liveEventsCountOnlyOnceTheReplayIsRead() {
    WriteBacklog b = new WriteBacklog();
    b.written(50_000);
    b.replayDone();
    b.written(8_000);
    assertThat(b.liveQueued()).isEqualTo(8_000);
    b.flushed(30_000); // part of the replay written out: the live events still wait behind the rest
    assertThat(b.liveQueued()).isEqualTo(8_000);
    b.flushed(25_000); // the replay and 5,000 bytes of live events written
    assertThat(b.liveQueued()).isEqualTo(3_000);
    assertThat(b.queued()).isEqualTo(3_000);
  }

  @Test
  void aClientThatStopsReadingLiveEventsIsTooSlow() {
    WriteBacklog b = new WriteBacklog();
    b.replayDone();
    for (int i = 0; i < 10; i++) b.written(1_000);
    assertThat(b.tooSlow(10_000)).isFalse();
    b.written(1);
    assertThat(b.tooSlow(10_000)).isTrue();
    b.flushed(5_000);
    assertThat(b.tooSlow(10_000)).isFalse();
  }
}
