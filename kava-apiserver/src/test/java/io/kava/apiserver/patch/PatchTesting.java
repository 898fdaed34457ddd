package io.kava.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import tools.jackson.databind.JsonNode;

/** Small helpers shared by the patch tests. */
final class PatchTesting {
  private PatchTesting() {}

  static JsonNode json(String s) { return Json.MAPPER.readTree(s); }

  static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  /** Asserts the call throws a StatusException with this code and returns it for further checks. */
  static StatusException status(int code, ThrowingCallable call) {
    StatusException e = catchThrowableOfType(StatusException.class, call);
    assertThat(e).as("expected a StatusException %s", code).isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    return e;
  }
}
