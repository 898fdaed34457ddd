package io.kava.apiserver.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.proxy.SpdyFramingTest.ClientFrames;
import io.kava.apiserver.proxy.SpdyPortForwardBridgeTest.FakeNode;
import io.kava.apiserver.proxy.SpdyPortForwardBridgeTest.FakeTransport;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exec bridge between a SPDY client (kubectl 1.29 and older) and the node's v5 WebSocket, driven with the bytes
 * kubectl writes and a scripted node: every stream the client opens is answered, and the session ends only once the
 * client has them all, however early the node was done.
 */
class SpdyExecBridgeTest {
  final Vertx vertx = Vertx.vertx();
  final FakeTransport client = new FakeTransport();
  final FakeNode node = new FakeNode();
  /** Wired as NodeProxy wires it, the moment it connects. */
  final NodeWebSocket nodeSide = NodeWebSocket.wire(node.ws, vertx.getOrCreateContext());
  final SpdyFraming clientSide = new SpdyFraming();
  final ClientFrames frames;
  final List<String> answers = new ArrayList<>();
  int seen;

  SpdyExecBridgeTest() throws Exception {
    frames = new ClientFrames(SpdyFramingTest.spdyDictionary());
  }

  /** kubectl exec without -i: error, stdout and stderr streams. */
  void startBridge() {
    SpdyExecBridge.start(vertx, new SpdyConnection.Transport(client, client, () -> client.closed = true), nodeSide,
        new SpdyExecBridge.Streams(false, true, true, false));
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  void open(int id, String type) throws Exception {
    client.handler.handle(Buffer.buffer(frames.synStream(id, false, SpdyFramingTest.headers("streamtype", type))));
  }

  /** What the bridge wrote to the client since the last call, a line per frame. */
  List<String> newAnswers() {
    Buffer fresh;
    synchronized (client) { // the bridge may write from an event loop
      Buffer all = client.written;
      fresh = all.getBuffer(seen, all.length());
      seen = all.length();
    }
    List<String> out = new ArrayList<>();
    for (SpdyFrame f : clientSide.decode(fresh)) {
      switch (f) {
        case SpdySynReplyFrame r -> out.add("reply " + r.streamId());
        case SpdyGoAwayFrame g -> out.add("goaway");
        case SpdyDataFrame d -> out.add("data " + d.streamId() + " " + d.content().toString(StandardCharsets.UTF_8) + (d.isLast() ? " fin" : ""));
        default -> out.add(f.toString());
      }
      ReferenceCountUtil.release(f);
    }
    return out;
  }

  /** Everything written until the GOAWAY (the loss of a connection is reported on the node's event loop). */
  List<String> answersUntilGoAway() throws InterruptedException {
    List<String> all = new ArrayList<>(newAnswers());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!all.contains("goaway") && System.nanoTime() < end) {
      Thread.sleep(20);
      all.addAll(newAnswers());
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  void nodeConnectionLost() {
    node.closed = true;
    ((Handler<Void>) node.handlers.get("closeHandler")).handle(null);
  }

  static byte[] on(int channel, String text) {
    return SpdyFramingTest.concat(new byte[] {(byte) channel}, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theCommandsOutputAndStatusReachTheClientsStreamsThenTheSessionEnds() throws Exception {
    startBridge();
    open(1, "error");
    open(3, "stdout");
    open(5, "stderr");
    assertThat(newAnswers()).containsExactly("reply 1", "reply 3", "reply 5");
    node.message(on(1, "hi\n"));
    node.message(on(3, "{\"status\":\"Failure\"}"));
    node.end();
    assertThat(newAnswers()).containsExactly("data 3 hi\n", "data 1 {\"status\":\"Failure\"}",
        "data 3  fin", "data 5  fin", "data 1  fin", "goaway");
    assertThat(client.closed).isTrue();
  }

  @Test
  void aNodeDoneBeforeTheClientWasUpgradedStillServesTheWholeSession() throws Exception {
    // `exec -- true` on a quick node: output, status and close handshake all before the client has its 101; Vert.x
    // then refuses new handlers, so the session relies on those set when the node connected
    node.closed = true;
    node.closeStatus = 1000;
    startBridge();
    open(1, "error");
    open(3, "stdout");
    open(5, "stderr");
    assertThat(newAnswers()).containsExactly("reply 1", "reply 3", "reply 5");
    // what waited in the paused WebSocket flows now
    node.message(on(1, "done\n"));
    node.message(on(3, "{}"));
    node.end();
    assertThat(newAnswers()).containsExactly("data 3 done\n", "data 1 {}", "data 3  fin", "data 5  fin", "data 1  fin", "goaway");
  }

  @Test
  void aNodeConnectionLostBeforeTheClientOpenedItsStreamsStillAnswersEveryStreamAndSaysWhatHappened() throws Exception {
    startBridge();
    open(1, "error");
    assertThat(newAnswers()).containsExactly("reply 1");
    nodeConnectionLost();
    open(3, "stdout");
    open(5, "stderr");
    // every stream the client opened is answered: a client left waiting for a reply gives up with "Timeout occurred"
    List<String> answers = answersUntilGoAway();
    assertThat(answers).startsWith("reply 3", "reply 5").endsWith("data 3  fin", "data 5  fin", "data 1  fin", "goaway");
    assertThat(answers.get(2)).startsWith("data 1 {").contains("\"status\":\"Failure\"").contains("\"reason\":\"InternalError\"")
        .contains("the node's stream ended before the command's status arrived");
  }

  @Test
  void aNodeThatSentItsStatusBeforeItsConnectionWasLostAddsNoErrorOfKavasOwn() throws Exception {
    startBridge();
    open(1, "error");
    open(3, "stdout");
    open(5, "stderr");
    node.message(on(3, "{}"));
    nodeConnectionLost();
    assertThat(answersUntilGoAway()).containsExactly("reply 1", "reply 3", "reply 5", "data 1 {}", "data 3  fin", "data 5  fin",
        "data 1  fin", "goaway");
  }
}
