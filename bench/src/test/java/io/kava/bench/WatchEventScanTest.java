package io.kava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class WatchEventScanTest {
  @Test
  void findsTheSequenceNumberInAWatchEvent() {
    String event = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + WatchBench.MARKER + "1234\","
        + "\"namespace\":\"bench-watch\",\"resourceVersion\":\"99\"},\"data\":{\"payload\":\"xxxx\"}}}";
    assertThat(WatchBench.sequenceOf(Buffer.buffer(event))).isEqualTo(1234);
  }

  @Test
  void otherEventsHaveNone() {
    assertThat(WatchBench.sequenceOf(Buffer.buffer("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"5\"}}}"))).isEqualTo(-1);
    assertThat(WatchBench.sequenceOf(Buffer.buffer("{\"metadata\":{\"name\":\"" + WatchBench.MARKER + "\"}}"))).isEqualTo(-1);
    assertThat(WatchBench.indexOf(Buffer.buffer("abc" + WatchBench.SENTINEL), WatchBench.SENTINEL.getBytes())).isEqualTo(3);
  }

  @Test
  void durationsOnTheCommandLine() {
    ApiBench.DurationConverter c = new ApiBench.DurationConverter();
    assertThat(c.convert("10s").toMillis()).isEqualTo(10_000);
    assertThat(c.convert("500ms").toMillis()).isEqualTo(500);
    assertThat(c.convert("1.5m").toMillis()).isEqualTo(90_000);
    assertThat(c.convert("2").toMillis()).isEqualTo(2_000);
  }

  @Test
  void ratiosReadTheRightWay() {
    Report r = new Report();
    r.put("gets/s", "", true, "kava-memory", 2000, "");
    r.put("gets/s", "", true, "mock", 1000, "");
    r.put("LIST p99", "ms", false, "kava-memory", 50, "");
    r.put("LIST p99", "ms", false, "mock", 100, "");
    String table = r.table();
    assertThat(table).contains("2.00× (kava better)").contains("0.50× (kava better)");
  }
}
