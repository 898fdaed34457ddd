package io.kava.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkTest {
  @Test
  void readsWrksSummary() {
    String out = """
        Running 10s test @ https://127.0.0.1:40123
          1 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     5.12ms    2.01ms  40.11ms   90.00%
            Req/Sec    12.50k     1.10k   14.00k    70.00%
          Latency Distribution
             50%    4.80ms
             75%    5.90ms
             90%    7.10ms
             99%  812.00us
          124321 requests in 10.00s, 150.12MB read
          Socket errors: connect 0, read 2, write 0, timeout 1
          Non-2xx or 3xx responses: 321
        Requests/sec:  12431.87
        Transfer/sec:     15.01MB
        """;
    Wrk.Result r = Wrk.parse(out);
    assertThat(r.perSecond()).isEqualTo(12431.87);
    assertThat(r.requests()).isEqualTo(124321);
    assertThat(r.non2xx()).isEqualTo(321);
    assertThat(r.socketErrors()).isEqualTo(3);
    assertThat(r.p50Millis()).isEqualTo(4.8);
    assertThat(r.p99Millis()).isEqualTo(0.812);
    assertThat(r.okPerSecond()).isCloseTo(12431.87 * (124321 - 321) / 124321.0, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void aCreateScriptNamesEachObjectApart() {
    String lua = Wrk.createScript("ns", "c-x-", "tok");
    assertThat(lua).contains("Authorization\"] = \"Bearer tok\"").contains("head .. \"c-x-\" .. n .. tail")
        .contains("local head = \"{\\\"apiVersion\\\"").contains("\"/api/v1/namespaces/ns/configmaps\"");
  }
}
