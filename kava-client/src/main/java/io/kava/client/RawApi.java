package io.kava.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kava.api.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plain REST calls over a fabric8 client's HTTP client (same TLS and credentials), for what the typed DSL does
 * not express exactly: metadata-only reads (PartialObjectMetadata), DeleteOptions with preconditions, a single DELETE
 * of a whole collection, and subresources such as namespaces/finalize. Bodies are Jackson trees.
 */
public final class RawApi {
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  public static final String METADATA = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
  public static final String METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
  private static final long TIMEOUT_SECONDS = 30;

  private final HttpClient http;
  private final String base;

  public RawApi(KubernetesClient client) {
    this.http = client.getHttpClient();
    String url = client.getMasterUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** GET of a whole object (or list); null when it does not exist. */
  public JsonNode get(String path) {
    try {
      return send(request(path).header("Accept", "application/json").build());
    } catch (ApiException e) {
      if (e.isNotFound()) return null;
      throw e;
    }
  }

  /** GET of one object's metadata; null when it does not exist. */
  public JsonNode getMetadata(String path) {
    try {
      return send(request(path).header("Accept", METADATA).build());
    } catch (ApiException e) {
      if (e.isNotFound()) return null;
      throw e;
    }
  }

  /** LIST of metadata only (items carry apiVersion/kind of PartialObjectMetadata, not of the resource). */
  public JsonNode listMetadata(String path) {
    return send(request(path).header("Accept", METADATA_LIST).build());
  }

  /**
   * DELETE of an object or (path without name) of a collection with the given meta/v1 DeleteOptions.
   *
   * @return false when the object was not there
   */
  public boolean delete(String path, ObjectNode deleteOptions) {
    ObjectNode opts = deleteOptions.deepCopy();
    opts.put("kind", "DeleteOptions");
    opts.put("apiVersion", "v1");
    try {
      send(request(path).method("DELETE", "application/json", Json.MAPPER.writeValueAsString(opts)).build());
      return true;
    } catch (ApiException e) {
      if (e.isNotFound()) return false;
      throw e;
    }
  }

  /** PATCH with a JSON merge patch; null when the object is gone. */
  public JsonNode mergePatch(String path, JsonNode patch) {
    try {
      return send(request(path).method("PATCH", "application/merge-patch+json", Json.MAPPER.writeValueAsString(patch)).build());
    } catch (ApiException e) {
      if (e.isNotFound()) return null;
      throw e;
    }
  }

  /** POST of a new object or a subresource such as pods/binding; failures (including 404) throw. */
  public JsonNode post(String path, JsonNode body) {
    return send(request(path).header("Accept", "application/json").post("application/json", Json.MAPPER.writeValueAsString(body)).build());
  }

  /** PATCH of the given type; failures (including 404) throw. */
  public JsonNode patch(String path, String contentType, JsonNode patch) {
    return send(request(path).header("Accept", "application/json").method("PATCH", contentType, Json.MAPPER.writeValueAsString(patch)).build());
  }

  public JsonNode put(String path, JsonNode body) {
    return send(request(path).method("PUT", "application/json", Json.MAPPER.writeValueAsString(body)).build());
  }

  /**
   * PUT whose answer is only checked for success, not parsed: for writes repeated at a high rate whose result the
   * caller never reads (5,000 simulated nodes renew 500 Leases a second).
   */
  public void putDiscardingResponse(String path, JsonNode body) {
    exchange(request(path).method("PUT", "application/json", Json.MAPPER.writeValueAsString(body)).build());
  }

  /** POST of an object already serialized, whose answer is only checked for success (see {@link #putDiscardingResponse}). */
  public void postDiscardingResponse(String path, String json) {
    exchange(request(path).post("application/json", json).build());
  }

  /** {@link #patch} whose answer is only checked for success, not parsed (see {@link #putDiscardingResponse}). */
  public void patchDiscardingResponse(String path, String contentType, JsonNode patch) {
    exchange(request(path).method("PATCH", contentType, Json.MAPPER.writeValueAsString(patch)).build());
  }

  /** {@code key=value} query string parameter, encoded. */
  public static String param(String key, String value) {
    return key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * No per-request timeout on the builder: fabric8 enforces one with a timer task whose cancellation, at every
   * answer, creates a CancellationException and a CompletionException, stack traces filled (measured: 77 MB and a
   * timer thread's work in a 15 s burst of 10,000 pods, where every in-process write comes through here).
   * {@link #exchange} bounds the wait itself and cancels the request when it runs out.
   */
  private HttpRequest.Builder request(String path) {
    return http.newHttpRequestBuilder().uri(base + path);
  }

  private JsonNode send(HttpRequest req) {
    String body = exchange(req);
    return body == null || body.isEmpty() ? Json.object() : Json.MAPPER.readTree(body);
  }

  /** Sends the request and returns the body of a 2xx answer; any other answer throws its ApiException. */
  private String exchange(HttpRequest req) {
    HttpResponse<String> resp;
    CompletableFuture<HttpResponse<String>> answer = http.sendAsync(req, String.class);
    try {
      resp = answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw KubernetesClientException.launderThrowable(e);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw KubernetesClientException.launderThrowable(e);
    } catch (ExecutionException e) {
      throw KubernetesClientException.launderThrowable(e);
    }
    String body = resp.body();
    if (resp.code() / 100 != 2) throw error(resp.code(), body);
    return body;
  }

  private static ApiException error(int code, String body) {
    String reason = "";
    String message = body == null ? "" : body;
    try {
      JsonNode status = Json.MAPPER.readTree(body);
      reason = status.path("reason").asString("");
      message = status.path("message").asString(message);
    } catch (RuntimeException notJson) {
      // keep the raw body as the message
    }
    return new ApiException(code, reason, message);
  }
}
