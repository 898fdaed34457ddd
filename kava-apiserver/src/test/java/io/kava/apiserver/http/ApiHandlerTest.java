package io.kava.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiHandlerTest {
  private final ApiHandler handler = new ApiHandler(null, null, new byte[0], null);

  @Test
  void publicHealthAndVersionReadsAreAnsweredOnTheEventLoop() {
    for (String path : new String[] {"/readyz", "/livez", "/healthz", "/version", "/readyz/ping"}) {
      assertThat(handler.answersOnEventLoop("GET", path)).as(path).isTrue();
      assertThat(handler.answersOnEventLoop("HEAD", path)).as(path).isTrue();
    }
  }

  @Test
  void everythingElseGoesToAVirtualThread() {
    assertThat(handler.answersOnEventLoop("POST", "/readyz")).isFalse();
    // checks below the public ones need an authenticated user, which the virtual-thread path enforces
    assertThat(handler.answersOnEventLoop("GET", "/readyz/etcd")).isFalse();
    assertThat(handler.answersOnEventLoop("GET", "/api/v1/namespaces")).isFalse();
    assertThat(handler.answersOnEventLoop("GET", "/openapi/v2")).isFalse();
  }
}
