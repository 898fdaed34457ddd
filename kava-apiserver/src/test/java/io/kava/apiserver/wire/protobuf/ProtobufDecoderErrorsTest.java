package io.kava.apiserver.wire.protobuf;

import static io.kava.apiserver.wire.protobuf.GoWire.envelope;
import static io.kava.apiserver.wire.protobuf.GoWire.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.kava.apiserver.errors.StatusException;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ProtobufDecoderErrorsTest {
  private final ProtobufDecoder decoder = ProtobufDecoder.get();

  private static byte[] withMagic(byte[] unknown) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(unknown);
    return out.toByteArray();
  }

  private static byte[] namespace() {
    return envelope("v1", "Namespace", V1.Namespace.newBuilder().setMetadata(meta("dev")).build());
  }

  @Test
  void emptyBody() {
    assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(ProtobufDecodeException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(ProtobufDecodeException.class);
    assertThatThrownBy(() -> decoder.decode(new byte[] {'k', '8', 's', 0})).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void badMagic() {
    byte[] json = "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> decoder.decode(json)).isInstanceOf(ProtobufDecodeException.class)
        .hasMessage("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
    byte[] body = namespace();
    body[3] = 1;
    assertThatThrownBy(() -> decoder.decode(body)).isInstanceOf(ProtobufDecodeException.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> decoder.decode(new byte[] {'k', '8'})).isInstanceOf(ProtobufDecodeException.class);
    assertThat(ProtobufDecoder.hasMagic(namespace())).isTrue();
    assertThat(ProtobufDecoder.hasMagic(json)).isFalse();
  }

  @Test
  void truncatedEnvelope() {
    byte[] body = namespace();
    byte[] cut = Arrays.copyOf(body, body.length - 5);
    assertThatThrownBy(() -> decoder.decode(cut)).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageStartingWith("malformed protobuf body");
  }

  @Test
  void truncatedObject() {
    V1Apps.Deployment d = V1Apps.Deployment.newBuilder().setMetadata(meta("x").putLabels("app", "x"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(3)).build();
    ByteString raw = d.toByteString();
    byte[] body = envelope("apps/v1", "Deployment", raw.substring(0, raw.size() - 3));
    assertThatThrownBy(() -> decoder.decode(body)).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageStartingWith("malformed protobuf body for apps/v1, Kind=Deployment: ");
  }

  @Test
  void garbageAfterMagic() {
    byte[] body = withMagic(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x01});
    assertThatThrownBy(() -> decoder.decode(body)).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageStartingWith("malformed protobuf body");
  }

  @Test
  void unknownKindOrVersion() {
    ByteString raw = V1.Namespace.newBuilder().setMetadata(meta("dev")).build().toByteString();
    assertThatThrownBy(() -> decoder.decode(envelope("apps/v1", "Frobnicator", raw))).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("no kind \"Frobnicator\" is registered for version \"apps/v1\"");
    assertThatThrownBy(() -> decoder.decode(envelope("apps/v2", "Deployment", raw))).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("no kind \"Deployment\" is registered for version \"apps/v2\"");
    assertThatThrownBy(() -> decoder.decode(envelope("example.com/v1", "Widget", raw))).isInstanceOf(ProtobufDecodeException.class);
    assertThat(decoder.supports("apps/v1", "Deployment")).isTrue();
    assertThat(decoder.supports("apps/v1", "DeploymentList")).isTrue();
    assertThat(decoder.supports("apps/v1", "Frobnicator")).isFalse();
  }

  @Test
  void missingKindUsesTheDefaultsOfTheRequest() {
    ByteString raw = V1.Namespace.newBuilder().setMetadata(meta("dev")).build().toByteString();
    byte[] body = envelope("", "", raw);
    assertThatThrownBy(() -> decoder.decode(body)).isInstanceOf(ProtobufDecodeException.class).hasMessageContaining("'Kind' is missing");
    assertThatThrownBy(() -> decoder.decode(envelope("", "Namespace", raw))).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("'apiVersion' is missing");
    ObjectNode ns = decoder.decode(body, "v1", "Namespace");
    assertThat(ns.toString()).isEqualTo("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"dev\"}}");
    // the envelope wins over the defaults
    assertThat(decoder.decode(namespace(), "apps/v1", "Deployment").get("kind").stringValue()).isEqualTo("Namespace");
  }

  @Test
  void contentEncodingIsRefused() {
    Runtime.Unknown u = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Namespace"))
        .setRaw(ByteString.copyFrom(new byte[] {1, 2, 3})).setContentEncoding("gzip").setContentType("").build();
    assertThatThrownBy(() -> decoder.decode(withMagic(u.toByteArray()))).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("gzip");
  }

  @Test
  void jsonInsideTheEnvelopeIsAccepted() {
    Runtime.Unknown u = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("ConfigMap"))
        .setRaw(ByteString.copyFromUtf8("{\"metadata\":{\"name\":\"cm\"},\"data\":{\"a\":\"\"}}"))
        .setContentEncoding("").setContentType("application/json").build();
    assertThat(decoder.decode(withMagic(u.toByteArray())).toString())
        .isEqualTo("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm\"},\"data\":{\"a\":\"\"}}");
    Runtime.Unknown bad = u.toBuilder().setRaw(ByteString.copyFromUtf8("{\"metadata\":")).build();
    assertThatThrownBy(() -> decoder.decode(withMagic(bad.toByteArray()))).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("malformed JSON");
    Runtime.Unknown xml = u.toBuilder().setContentType("application/xml").build();
    assertThatThrownBy(() -> decoder.decode(withMagic(xml.toByteArray()))).isInstanceOf(ProtobufDecodeException.class)
        .hasMessageContaining("application/xml");
  }

  @Test
  void badRawExtensionIsABadRequest() {
    V1Apps.ControllerRevision cr = V1Apps.ControllerRevision.newBuilder().setMetadata(meta("r"))
        .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("not json"))).setRevision(1).build();
    assertThatThrownBy(() -> decoder.decode(envelope("apps/v1", "ControllerRevision", cr)))
        .isInstanceOf(ProtobufDecodeException.class).hasMessageContaining("RawExtension");
  }

  @Test
  void exceptionIsABadRequestStatus() {
    ProtobufDecodeException e = new ProtobufDecodeException("no kind \"X\" is registered for version \"v1\"");
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    StatusException s = e.toStatusException();
    assertThat(s.code()).isEqualTo(400);
    assertThat(s.reason()).isEqualTo("BadRequest");
    assertThat(s.getMessage()).isEqualTo(e.getMessage());
  }
}
