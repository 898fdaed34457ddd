package io.kava.scheduler.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kava.api.json.Json;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * Plain REST calls over the fabric8 client's HTTP client (same TLS and credentials) for requests the typed DSL does
 * not express: POST pods/{name}/binding, strategic merge patches of pods/status, DELETE with preconditions.
 */
public final class Rest {
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  private static final long TIMEOUT_SECONDS = 30;

  private final HttpClient http;
  private final String base;

  public Rest(KubernetesClient client) {
    this.http = client.getHttpClient();
    String url = client.getMasterUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public JsonNode post(String path, JsonNode body) throws ApiException {
    return send(request(path).post("application/json", Json.MAPPER.writeValueAsString(body)).build());
  }

  public JsonNode patch(String path, String contentType, JsonNode body) throws ApiException {
    return send(request(path).method("PATCH", contentType, Json.MAPPER.writeValueAsString(body)).build());
  }

  public JsonNode delete(String path, JsonNode deleteOptions) throws ApiException {
    return send(request(path).method("DELETE", "application/json", Json.MAPPER.writeValueAsString(deleteOptions)).build());
  }

  private HttpRequest.Builder request(String path) {
    return http.newHttpRequestBuilder().uri(base + path).timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).header("Accept", "application/json");
  }

  private JsonNode send(HttpRequest req) throws ApiException {
    HttpResponse<String> resp;
    try {
      resp = http.sendAsync(req, String.class).get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new ApiException(0, c.toString());
    }
    String body = resp.body();
    if (resp.code() / 100 != 2) {
      String message = body == null ? "" : body;
      try {
        message = Json.MAPPER.readTree(body).path("message").asString(message);
      } catch (RuntimeException notJson) {
        // keep the body
      }
      throw new ApiException(resp.code(), message);
    }
    return body == null || body.isEmpty() ? Json.object() : Json.MAPPER.readTree(body);
  }
}
