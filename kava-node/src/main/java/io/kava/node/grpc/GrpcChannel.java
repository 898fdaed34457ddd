package io.kava.node.grpc;

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
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.ConnectTimeoutException;
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
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Unary gRPC calls (gRPC's "PROTOCOL-HTTP2": a POST of one length-prefixed protobuf message, one message back, the
 * outcome in the {@code grpc-status} trailer) over HTTP/2 with prior knowledge, on Netty's HTTP/2 frame codec: to the
 * container runtime on a unix socket (the CRI needs nothing else: its streams go through the runtime's own streaming
 * server), and to a pod's port for gRPC health probes. One connection, multiplexed, made again on the next call after
 * the server went away. Calls block the caller. (Why not grpc-java: docs/adr/0014-cri-calls-without-grpc-java.md.)
 */
public final class GrpcChannel implements AutoCloseable {
  /** The largest answer taken (ListContainers of a busy node); gRPC's default of 4 MiB is too small for some. */
  static final int MAX_MESSAGE = 16 * 1024 * 1024;

  /** The event loop of short-lived TCP channels (probes): one daemon thread for all of them, made on first use. */
  private static final class ProbeLoop {
    static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kava-grpc-probe", true),
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  private final SocketAddress address;
  private final String target;
  private final Class<? extends Channel> channelType;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final String userAgent;
  private Channel connection; // guarded by this

  private GrpcChannel(SocketAddress address, String target, Class<? extends Channel> channelType, EventLoopGroup group, boolean ownsGroup,
      String userAgent) {
    this.address = address;
    this.userAgent = userAgent;
    this.target = target;
    this.channelType = channelType;
    this.group = group;
    this.ownsGroup = ownsGroup;
  }

  /** A channel to a server on a unix socket (the CRI), with an event loop thread of its own. */
  public static GrpcChannel unixSocket(String path) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("gRPC over a unix socket needs Netty's native epoll transport, which does not load here: "
          + Epoll.unavailabilityCause());
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kava-cri", true), EpollIoHandler.newFactory());
    return new GrpcChannel(new DomainSocketAddress(path), path, EpollDomainSocketChannel.class, group, true, null);
  }

  /**
   * A channel to {@code host:port} over TCP, on a shared event loop (for short-lived channels such as probes); its calls
   * carry {@code userAgent} unless it is null.
   */
  public static GrpcChannel tcp(String host, int port, String userAgent) {
    Class<? extends Channel> type = Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    String target = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    return new GrpcChannel(InetSocketAddress.createUnresolved(host, port), target, type, ProbeLoop.GROUP, false, userAgent);
  }

  /** {@code host:port}, or the socket's path. */
  public String target() { return target; }

  /**
   * Connects now if there is no connection, within {@code timeout}: a failure is a {@link GrpcException} with {@link
   * GrpcException#connectFailed()}, DEADLINE_EXCEEDED when the time ran out, UNAVAILABLE otherwise.
   */
  public void connect(Duration timeout) { connection("connect", timeout); }

  /** Calls {@code /service/method}; the server gets {@code deadline} as its grpc-timeout, and the caller waits as long. */
  public <R extends Message> R call(String service, String method, Message request, Parser<R> parser, Duration deadline) {
    byte[] message = request.toByteArray();
    Http2Headers headers = new DefaultHttp2Headers()
        .method("POST").scheme("http").authority(address instanceof InetSocketAddress ? target : "localhost").path("/" + service + "/" + method)
        .add("content-type", "application/grpc")
        .add("te", "trailers")
        .add("grpc-timeout", timeoutHeader(deadline));
    if (userAgent != null) headers.add("user-agent", userAgent);
    Reply r = null;
    // A call that never reached the server (its connection was found closed while the stream opened or its first
    // frames were written: the runtime restarted) is tried once more on a new connection, as gRPC's transparent retry.
    for (int attempt = 0; r == null; attempt++) {
      try {
        r = attempt(method, headers, message, deadline);
      } catch (NotSent e) {
        if (attempt > 0) throw new GrpcException(method, GrpcCode.UNAVAILABLE, String.valueOf(e.getCause().getMessage()), e.getCause());
      }
    }
    return r.message(method, parser);
  }

  /** One try of a call; {@link NotSent} when the connection turned out closed before the request left. */
  private Reply attempt(String method, Http2Headers headers, byte[] message, Duration deadline) throws NotSent {
    Channel parent = connection(method, deadline);
    ByteBuf frame = Unpooled.buffer(5 + message.length).writeByte(0).writeInt(message.length).writeBytes(message);
    UnaryCall call = new UnaryCall();
    new Http2StreamChannelBootstrap(parent).handler(call).open().addListener(f -> {
      if (!f.isSuccess()) {
        frame.release();
        call.result.completeExceptionally(new NotSent(f.cause()));
        return;
      }
      Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
      call.stream = stream;
      stream.write(new DefaultHttp2HeadersFrame(headers, false));
      stream.writeAndFlush(new DefaultHttp2DataFrame(frame, true)).addListener(w -> {
        if (w.isSuccess()) return;
        call.result.completeExceptionally(w.cause() instanceof ClosedChannelException ? new NotSent(w.cause()) : w.cause());
      });
    });
    try {
      return call.result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel();
      throw new GrpcException(method, GrpcCode.DEADLINE_EXCEEDED, "deadline exceeded after " + deadline.toMillis() + " ms", null);
    } catch (InterruptedException e) {
      call.cancel();
      Thread.currentThread().interrupt();
      throw new GrpcException(method, GrpcCode.CANCELLED, "interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof NotSent n) throw n;
      if (cause instanceof StreamFailure f) throw new GrpcException(method, f.code, f.getMessage(), null);
      throw new GrpcException(method, GrpcCode.UNAVAILABLE, String.valueOf(cause.getMessage()), cause);
    }
  }

  /** A call's request never left: its connection was closed when the stream opened or its frames were written. */
  private static final class NotSent extends Exception {
    NotSent(Throwable cause) { super(cause.getMessage(), cause, false, false); }
  }

  /** The HTTP/2 connection, made now if there is none or the last one closed (the server restarted). */
  private synchronized Channel connection(String method, Duration timeout) {
    if (connection != null && connection.isActive()) return connection;
    if (group.isShuttingDown()) throw new GrpcException(method, GrpcCode.UNAVAILABLE, "the channel to " + target + " is closed", true, null);
    Bootstrap b = new Bootstrap().group(group).channel(channelType)
        // Few small calls a second: a pooled allocator would keep arenas of direct memory for the life of the node.
        .option(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(10_000, Math.max(1, timeout.toMillis())))
        // The codec is in place before the socket connects: a gRPC server sends its SETTINGS at once.
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
          }
        });
    SocketAddress to = address instanceof InetSocketAddress a && a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : address;
    ChannelFuture f = b.connect(to).awaitUninterruptibly();
    if (!f.isSuccess()) {
      Throwable c = f.cause();
      boolean timedOut = c instanceof ConnectTimeoutException;
      throw new GrpcException(method, timedOut ? GrpcCode.DEADLINE_EXCEEDED : GrpcCode.UNAVAILABLE,
          "cannot connect to " + target + ": " + c.getMessage(), true, c);
    }
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
          result.completeExceptionally(new StreamFailure(c, "the server reset the stream (HTTP/2 error " + code + ")"));
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
      result.completeExceptionally(new StreamFailure(GrpcCode.UNAVAILABLE, "the connection closed before the answer"));
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

  private record Reply(Http2Headers headers, Http2Headers trailers, byte[] body) {
    /** The answer, or the failure gRPC reports: grpc-status in the trailers (or in the headers of a trailers-only answer). */
    <R extends Message> R message(String method, Parser<R> parser) {
      Http2Headers where = trailers.contains("grpc-status") ? trailers : headers;
      CharSequence status = where.get("grpc-status");
      if (status == null) {
        CharSequence http = headers.status();
        int code = http == null ? 0 : Integer.parseInt(http.toString());
        GrpcCode c = code == 200 ? GrpcCode.INTERNAL : GrpcCode.ofHttpStatus(code);
        throw new GrpcException(method, c, "no grpc-status in an answer with HTTP status " + http, null);
      }
      GrpcCode code = GrpcCode.of(status.toString());
      if (code != GrpcCode.OK) {
        CharSequence m = where.get("grpc-message");
        throw new GrpcException(method, code, m == null ? null : percentDecode(m.toString()), null);
      }
      return decode(method, body, parser);
    }
  }

  /** The one length-prefixed message of a unary answer. */
  static <R extends Message> R decode(String method, byte[] body, Parser<R> parser) {
    if (body.length < 5) throw new GrpcException(method, GrpcCode.INTERNAL, "the answer has no message (" + body.length + " bytes)", null);
    if (body[0] != 0) throw new GrpcException(method, GrpcCode.INTERNAL, "the answer is compressed, which was not asked for", null);
    long length = ((body[1] & 0xffL) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
    if (length > MAX_MESSAGE) {
      throw new GrpcException(method, GrpcCode.RESOURCE_EXHAUSTED, "the answer of " + length + " bytes is over " + MAX_MESSAGE, null);
    }
    if (body.length != 5 + length) {
      throw new GrpcException(method, GrpcCode.INTERNAL, "the answer holds " + (body.length - 5) + " bytes after its prefix, not " + length, null);
    }
    try {
      return parser.parseFrom(body, 5, (int) length);
    } catch (InvalidProtocolBufferException e) {
      throw new GrpcException(method, GrpcCode.INTERNAL, "the answer does not parse: " + e.getMessage(), e);
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
    if (ownsGroup) group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
