package io.kava.node.cri;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Unary gRPC calls (gRPC's "PROTOCOL-HTTP2": a POST of one length-prefixed protobuf message, one message back, the
 * outcome in the {@code grpc-status} trailer) over HTTP/2 with prior knowledge on a unix socket, on Netty's HTTP/2
 * frame codec. The CRI needs nothing else: its streams (exec, attach, port-forward) go through the runtime's own
 * streaming server. One connection, multiplexed, made again on the next call after the runtime restarted; one event
 * loop thread. Calls block the caller. (Why not grpc-java: docs/adr/0014-cri-calls-without-grpc-java.md.)
 */
final class GrpcChannel implements AutoCloseable {
  /** The largest answer taken (ListContainers of a busy node); gRPC's default of 4 MiB is too small for some. */
  static final int MAX_MESSAGE = 16 * 1024 * 1024;

  private final String socketPath;
  private final EventLoopGroup group;
  private Channel connection; // guarded by this

  GrpcChannel(String socketPath) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("the CRI client needs Netty's native epoll transport for unix sockets, which does not load here: "
          + Epoll.unavailabilityCause());
    }
    this.socketPath = socketPath;
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kava-cri", true), EpollIoHandler.newFactory());
  }

  /** Calls {@code /service/method}; the runtime gets {@code deadline} as its grpc-timeout, and the caller waits as long. */
  <R extends Message> R call(String service, String method, Message request, Parser<R> parser, Duration deadline) {
    byte[] message = request.toByteArray();
    Http2Headers headers = new DefaultHttp2Headers()
        .method("POST").scheme("http").authority("localhost").path("/" + service + "/" + method)
        .add("content-type", "application/grpc")
        .add("te", "trailers")
        .add("grpc-timeout", timeoutHeader(deadline));
    ByteBuf frame = Unpooled.buffer(5 + message.length).writeByte(0).writeInt(message.length).writeBytes(message);
    UnaryCall call = new UnaryCall();
    try {
      Channel parent = connection(deadline);
      new Http2StreamChannelBootstrap(parent).handler(call).open().addListener(f -> {
        if (!f.isSuccess()) {
          frame.release();
          call.result.completeExceptionally(f.cause());
          return;
        }
        Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
        call.stream = stream;
        stream.write(new DefaultHttp2HeadersFrame(headers, false));
        stream.writeAndFlush(new DefaultHttp2DataFrame(frame, true)).addListener(w -> {
          if (!w.isSuccess()) call.result.completeExceptionally(w.cause());
        });
      });
    } catch (RuntimeException e) {
      frame.release();
      throw new CriException(method, GrpcCode.UNAVAILABLE, e.getMessage(), e);
    }
    Reply r;
    try {
      r = call.result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel();
      throw new CriException(method, GrpcCode.DEADLINE_EXCEEDED, "deadline exceeded after " + deadline.toMillis() + " ms", null);
    } catch (InterruptedException e) {
      call.cancel();
      Thread.currentThread().interrupt();
      throw new CriException(method, GrpcCode.CANCELLED, "interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StreamFailure f) throw new CriException(method, f.code, f.getMessage(), null);
      throw new CriException(method, GrpcCode.UNAVAILABLE, String.valueOf(cause.getMessage()), cause);
    }
    return r.message(method, parser);
  }

  /** The HTTP/2 connection, made now if there is none or the last one closed (the runtime restarted). */
  private synchronized Channel connection(Duration deadline) {
    if (connection != null && connection.isActive()) return connection;
    if (group.isShuttingDown()) throw new IllegalStateException("the CRI client is closed");
    Bootstrap b = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
        // Few small calls a second: a pooled allocator would keep arenas of direct memory for the life of the node.
        .option(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(10_000, Math.max(1, deadline.toMillis())))
        // The codec is in place before the socket connects: a gRPC server sends its SETTINGS at once.
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
          }
        });
    ChannelFuture f = b.connect(new DomainSocketAddress(socketPath)).awaitUninterruptibly();
    if (!f.isSuccess()) throw new IllegalStateException("cannot connect to " + socketPath + ": " + f.cause().getMessage(), f.cause());
    connection = f.channel();
    return connection;
  }

  /** What ended a stream without an answer. */
  private static final class StreamFailure extends RuntimeException {
    final GrpcCode code;

    StreamFailure(GrpcCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** One call's stream: the answer's headers, message bytes and trailers, complete when the stream ends. */
  private static final class UnaryCall extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Reply> result = new CompletableFuture<>();
    volatile Http2StreamChannel stream;
    private Http2Headers headers;
    private Http2Headers trailers;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame h) {
          if (headers == null) headers = h.headers();
          else trailers = h.headers();
          if (h.isEndStream()) finish();
        } else if (msg instanceof Http2DataFrame d) {
          if (body.size() + d.content().readableBytes() > MAX_MESSAGE + 5) {
            result.completeExceptionally(new StreamFailure(GrpcCode.RESOURCE_EXHAUSTED, "the answer is over " + MAX_MESSAGE + " bytes"));
            ctx.close();
          } else {
            body.writeBytes(ByteBufUtil.getBytes(d.content()));
          }
          if (d.isEndStream()) finish();
        } else if (msg instanceof Http2ResetFrame r) {
          long code = r.errorCode();
          GrpcCode c = code == 8 ? GrpcCode.CANCELLED : code == 7 ? GrpcCode.UNAVAILABLE : GrpcCode.INTERNAL;
          result.completeExceptionally(new StreamFailure(c, "the runtime reset the stream (HTTP/2 error " + code + ")"));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void finish() {
      Http2Headers none = new DefaultHttp2Headers();
      result.complete(new Reply(headers == null ? none : headers, trailers == null ? none : trailers, body.toByteArray()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.completeExceptionally(new StreamFailure(GrpcCode.UNAVAILABLE, "the connection to the runtime closed before the answer"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.completeExceptionally(cause);
      ctx.close();
    }

    /** Resets the stream (CANCEL): the runtime stops working on it. */
    void cancel() {
      Http2StreamChannel s = stream;
      if (s != null) s.close();
    }
  }

  /** grpc-timeout: at most eight digits and a unit. */
  static String timeoutHeader(Duration d) {
    long ms = Math.max(1, d.toMillis());
    return ms <= 99_999_999L ? ms + "m" : Math.min(99_999_999L, d.toSeconds()) + "S";
  }

  record Reply(Http2Headers headers, Http2Headers trailers, byte[] body) {
    /** The answer, or the failure gRPC reports: grpc-status in the trailers (or in the headers of a trailers-only answer). */
    <R extends Message> R message(String method, Parser<R> parser) {
      Http2Headers where = trailers.contains("grpc-status") ? trailers : headers;
      CharSequence status = where.get("grpc-status");
      if (status == null) {
        CharSequence http = headers.status();
        int code = http == null ? 0 : Integer.parseInt(http.toString());
        GrpcCode c = code == 200 ? GrpcCode.INTERNAL : GrpcCode.ofHttpStatus(code);
        throw new CriException(method, c, "no grpc-status in an answer with HTTP status " + http, null);
      }
      GrpcCode code = GrpcCode.of(status.toString());
      if (code != GrpcCode.OK) {
        CharSequence m = where.get("grpc-message");
        throw new CriException(method, code, m == null ? null : percentDecode(m.toString()), null);
      }
      return decode(method, body, parser);
    }
  }

  /** The one length-prefixed message of a unary answer. */
  static <R extends Message> R decode(String method, byte[] body, Parser<R> parser) {
    if (body.length < 5) throw new CriException(method, GrpcCode.INTERNAL, "the answer has no message (" + body.length + " bytes)", null);
    if (body[0] != 0) throw new CriException(method, GrpcCode.INTERNAL, "the answer is compressed, which was not asked for", null);
    long length = ((body[1] & 0xffL) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
    if (length > MAX_MESSAGE) {
      throw new CriException(method, GrpcCode.RESOURCE_EXHAUSTED, "the answer of " + length + " bytes is over " + MAX_MESSAGE, null);
    }
    if (body.length != 5 + length) {
      throw new CriException(method, GrpcCode.INTERNAL, "the answer holds " + (body.length - 5) + " bytes after its prefix, not " + length, null);
    }
    try {
      return parser.parseFrom(body, 5, (int) length);
    } catch (InvalidProtocolBufferException e) {
      throw new CriException(method, GrpcCode.INTERNAL, "the answer does not parse: " + e.getMessage(), e);
    }
  }

  /** grpc-message is percent-encoded UTF-8 ('+' is itself, unlike in a form); a stray '%' stays as it is. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int plain = 0;
    for (int i = 0; i + 2 < s.length(); i++) {
      if (s.charAt(i) != '%' || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) continue;
      out.writeBytes(s.substring(plain, i).getBytes(StandardCharsets.UTF_8));
      out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
      i += 2;
      plain = i + 1;
    }
    out.writeBytes(s.substring(plain).getBytes(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (connection != null) connection.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
