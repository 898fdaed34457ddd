package io.kava.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kava.apiserver.errors.StatusException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The SPDY protocol handshake of pods/exec, pods/attach and pods/portforward. */
class SpdyNegotiationTest {
  static final String V4 = PodStreams.SPDY_EXEC_PROTOCOL;

  @Test
  void kubectlsSpdyOfferIncludesV4AndGetsIt() {
    // kubectl 1.27-1.29 send one header per protocol, newest first
    assertThat(PodStreams.negotiateSpdy(List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"), V4))
        .isEqualTo(V4);
    assertThat(PodStreams.negotiateSpdy(List.of("v5.channel.k8s.io, v4.channel.k8s.io"), V4)).isEqualTo(V4);
  }

  @Test
  void anOfferOfOnlyTheOldRemoteCommandProtocolsIsABadRequestThatSaysSo() {
    StatusException e = catchThrowableOfType(StatusException.class,
        () -> PodStreams.negotiateSpdy(List.of("v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"), V4));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.reason()).isEqualTo("BadRequest");
    assertThat(e.getMessage()).startsWith(
        "unable to upgrade: unable to negotiate protocol: client supports [v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io], "
            + "server accepts [v4.channel.k8s.io]").contains("v1-v3").contains("use a newer kubectl");
    // the body kubectl decodes and prints as the error
    ObjectNode status = Responses.status(e);
    assertThat(status.path("kind").asString()).isEqualTo("Status");
    assertThat(status.path("status").asString()).isEqualTo("Failure");
    assertThat(status.path("code").asInt()).isEqualTo(400);
    assertThat(status.path("reason").asString()).isEqualTo("BadRequest");
    assertThat(status.path("message").asString()).isEqualTo(e.getMessage());
  }

  @Test
  void noOfferAtAllIsABadRequestToo() {
    StatusException e = catchThrowableOfType(StatusException.class, () -> PodStreams.negotiateSpdy(List.of(), V4));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("unable to upgrade: X-Stream-Protocol-Version is required");
  }

  @Test
  void portForwardNeedsItsOwnProtocol() {
    assertThat(PodStreams.negotiateSpdy(List.of("portforward.k8s.io"), PodStreams.PORT_FORWARD_PROTOCOL)).isEqualTo("portforward.k8s.io");
    StatusException e = catchThrowableOfType(StatusException.class,
        () -> PodStreams.negotiateSpdy(List.of("v4.channel.k8s.io"), PodStreams.PORT_FORWARD_PROTOCOL));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("unable to upgrade: unable to negotiate protocol: client supports [v4.channel.k8s.io], "
        + "server accepts [portforward.k8s.io]");
  }
}
