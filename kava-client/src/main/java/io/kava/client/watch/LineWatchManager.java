package io.kava.client.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import io.fabric8.kubernetes.client.dsl.internal.WatchHTTPManager;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's streamed-HTTP watch with its events cut out of the response by a {@link LineSplitter}. fabric8's own
 * reader appends every character of the stream to a synchronized StringBuffer, one call per character: 9 % of the
 * kava JVM's CPU in the scheduling benchmark, nearly all of it the shared pod informer (docs/benchmarks.md, issue 4).
 *
 * <p>Everything else is fabric8's: the request, its status handling, reconnects and the event decoding and delivery
 * ({@code onMessage}, with the same flow control: the next chunk is asked for once every event of this one was
 * handled). fabric8 builds the request in {@code start} and hands its body to {@code client.consumeBytes}; this
 * manager's client is a {@link Client} that reads that body with the splitter instead of fabric8's reader.
 */
final class LineWatchManager<T extends HasMetadata, L extends KubernetesResourceList<T>> extends WatchHTTPManager<T, L> {

  LineWatchManager(HttpClient http, BaseOperation<T, L, ?> op, ListOptions options, Watcher<T> watcher, int reconnectInterval,
                   int reconnectLimit) throws MalformedURLException {
    super(new Client(http), op, options, watcher, reconnectInterval, reconnectLimit);
  }

  @Override
  protected synchronized void start(URL url, Map<String, String> headers, WatchRequestState state) {
    ((Client) client).next = state;
    ((Client) client).manager = this;
    super.start(url, headers, state); // calls client.consumeBytes once, on this thread
  }

  private void deliver(String line, WatchRequestState state, Runnable done) { onMessage(line, state, done); }

  /** The watch's HTTP client: its body consumer is this manager's splitter; everything else is the real client. */
  private static final class Client implements HttpClient {
    private final HttpClient http;
    // Set by start() (synchronized) right before fabric8 calls consumeBytes on the same thread.
    private LineWatchManager<?, ?> manager;
    private WatchRequestState next;

    Client(HttpClient http) { this.http = http; }

    @Override
    public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(HttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> fabric8Reader) {
      LineWatchManager<?, ?> m = manager;
      WatchRequestState state = next;
      LineSplitter lines = new LineSplitter();
      return http.consumeBytes(request, (chunk, body) -> {
        AtomicInteger handling = new AtomicInteger(1);
        Runnable done = () -> {
          if (handling.decrementAndGet() == 0) body.consume();
        };
        for (ByteBuffer b : chunk) {
          lines.feed(b, line -> {
            handling.incrementAndGet();
            m.deliver(line, state, done);
          });
        }
        done.run();
      });
    }

    @Override public void close() { http.close(); }

    @Override public DerivedClientBuilder newBuilder() { return http.newBuilder(); }

    @Override public <V> CompletableFuture<HttpResponse<V>> sendAsync(HttpRequest request, Class<V> type) { return http.sendAsync(request, type); }

    @Override public WebSocket.Builder newWebSocketBuilder() { return http.newWebSocketBuilder(); }

    @Override public HttpRequest.Builder newHttpRequestBuilder() { return http.newHttpRequestBuilder(); }

    @Override public boolean isClosed() { return http.isClosed(); }
  }
}
