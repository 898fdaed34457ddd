package io.kava.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kava.api.InProcessHeaders;
import io.kava.api.json.Json;
import io.kava.client.json.LeanIntrospectionDeserializerFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serialization of clients that only feed informers whose store drops managedFields ({@link TrimmedItemStore}):
 * {@code metadata.managedFields} is skipped when an object is decoded instead of being bound to fabric8's
 * {@code ManagedFieldsEntry} objects (nested maps of field sets, one entry per writer, often a third of a pod's JSON)
 * and thrown away. The cluster benchmark (docs/benchmarks.md, issue 4) measured fabric8's binding of watch events as
 * the largest single CPU cost of the in-process components.
 *
 * <p>Only for clients whose reads nobody inspects for managedFields: an object read through such a client and written
 * back carries none, which the API server takes as "keep the stored ones" (as for the trimmed informer objects).
 *
 * <p>It also parses JSON text straight from the String: fabric8 decodes every watch event line through
 * {@code unmarshal(String, Class)}, which encodes the String to bytes and reads them through a BufferedInputStream,
 * and the uncanonicalized parser then decodes those bytes back to chars through an InputStreamReader: three copies
 * and ~16 KB of fresh buffers per event (the top allocation sites with 1000 simulated nodes renewing their Leases).
 */
public final class InformerSerialization {
  private InformerSerialization() {}

  @JsonIgnoreProperties(value = "managedFields", allowSetters = false)
  private abstract static class WithoutManagedFields {}

  /**
   * Asks the API server (the loopback listener of this process) for watch events without managedFields, which this
   * serialization would skip anyway: for the clients of informers built with it
   * ({@code KubernetesClientBuilder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(...))}).
   */
  public static final Interceptor WITHOUT_MANAGED_FIELDS_ON_THE_WIRE = new Interceptor() {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if ("GET".equals(request.method())) builder.setHeader(InProcessHeaders.WITHOUT_MANAGED_FIELDS, "true");
    }
  };

  /** The interceptor's name for {@code addOrReplaceInterceptor}. */
  public static final String WITHOUT_MANAGED_FIELDS_INTERCEPTOR = "kava-without-managed-fields";

  /**
   * One serialization without managedFields for every in-process client of the JVM: each serialization's mapper
   * caches a deserializer per model class, and a Jackson bean deserializer keeps its class's whole introspection
   * (methods, annotations): with one per client, the controllers' and the shared pod informer's, an idle server kept
   * ~1.5 MB more live heap (47 against 45.5 MB after a full GC, control plane alone).
   */
  public static KubernetesSerialization shared() { return Shared.INSTANCE; }

  private static final class Shared {
    static final KubernetesSerialization INSTANCE = withoutManagedFields();
  }

  /** A fresh serialization that decodes every object without its managedFields. */
  public static KubernetesSerialization withoutManagedFields() { return withoutManagedFields(true); }

  /**
   * As {@link #withoutManagedFields()}; with {@code modelClasses} false the serialization knows no model classes, so
   * every object decodes into a {@code GenericKubernetesResource} (for generic informers).
   */
  public static KubernetesSerialization withoutManagedFields(boolean modelClasses) {
    // uncanonicalized property names: the skipped managedFields are still parsed, and their keys are unique per object
    return new DirectStrings(JsonMapper.builder(Json.uncanonicalized()).addMixIn(ObjectMeta.class, WithoutManagedFields.class)
        .deserializerFactory(new LeanIntrospectionDeserializerFactory()).build(), modelClasses);
  }

  /** Reads JSON Strings with the configured mapper directly; anything else (YAML) as fabric8 does. */
  private static final class DirectStrings extends KubernetesSerialization {
    // Set by configureMapper, which the superclass constructor calls (hence no initializer: it would reset it).
    private ObjectMapper configured;
    /** Readers of watch event objects by "apiVersion\nkind" (a reader holds its resolved deserializer). */
    private final Map<String, ObjectReader> readers = new ConcurrentHashMap<>();

    DirectStrings(ObjectMapper mapper, boolean modelClasses) { super(mapper, modelClasses); }

    @Override
    protected ObjectMapper configureMapper(ObjectMapper mapper) {
      configured = super.configureMapper(mapper);
      return configured;
    }

    @Override
    public <T> T unmarshal(String str, Class<T> type) {
      if (!isJson(str)) return super.unmarshal(str, type);
      try {
        if (type == WatchEvent.class) {
          WatchEvent event = watchEvent(str);
          if (event != null) return type.cast(event);
        }
        return configured.readerFor(type).readValue(str);
      } catch (JacksonException e) {
        throw new KubernetesClientException("An error has occurred.", e); // fabric8's message for the same failure
      }
    }

    /**
     * A watch event whose object is bound by a reader kept per apiVersion and kind; null for what fabric8's own
     * decoding should handle (ERROR events, objects without apiVersion or kind). fabric8's polymorphic deserializer
     * gives the object the same class but looks its deserializer up, and contextualizes it, on every event: that
     * lookup was 40 % of the in-process informers' decoding under creates (docs/benchmarks.md, issue 2).
     */
    private WatchEvent watchEvent(String str) {
      WatchEvent streamed = streamedWatchEvent(str);
      if (streamed != null) return streamed;
      JsonNode tree = configured.readTree(str);
      JsonNode type = tree.get("type");
      JsonNode object = tree.get("object");
      if (type == null || !type.isString() || type.asString().equals("ERROR") || object == null || !object.isObject()) return null;
      JsonNode apiVersion = object.get("apiVersion");
      JsonNode kind = object.get("kind");
      if (apiVersion == null || kind == null || !apiVersion.isString() || !kind.isString()) return null;
      return new WatchEvent(reader(apiVersion.asString(), kind.asString()).readValue(object), type.asString());
    }

    /**
     * The common shape, bound in one pass without a tree: {@code {"type":T,"object":{"apiVersion":A,"kind":K,...}}}
     * with T not ERROR, as the API server writes its events (apiVersion and kind may come in either order). Null for
     * any other shape, which {@link #watchEvent} then decodes through a tree. The tree was a third of the in-process
     * informers' decoding (docs/benchmarks.md, issue 4).
     */
    private WatchEvent streamedWatchEvent(String str) {
      try (JsonParser p = configured.createParser(str)) {
        if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.PROPERTY_NAME || !"type".equals(p.currentName())
            || p.nextToken() != JsonToken.VALUE_STRING) return null;
        String type = p.getString();
        if (type.equals("ERROR") || p.nextToken() != JsonToken.PROPERTY_NAME || !"object".equals(p.currentName())
            || p.nextToken() != JsonToken.START_OBJECT) return null;
        ObjectReader reader = readerOf(str, (int) p.currentTokenLocation().getCharOffset());
        if (reader == null) return null;
        Object object = reader.readValue(p);
        if (p.nextToken() != JsonToken.END_OBJECT) return null; // more than type and object: the tree decides
        return new WatchEvent((KubernetesResource) object, type);
      }
    }

    /**
     * The reader for the object opening at {@code at} when its first two fields are apiVersion and kind (in either
     * order) as plain strings, as the API server writes them; null otherwise.
     */
    private ObjectReader readerOf(String json, int at) {
      String apiVersion = null;
      String kind = null;
      int i = at + 1;
      for (int field = 0; field < 2; field++) {
        if (field == 1 && !json.startsWith(",", i++)) return null;
        boolean isApiVersion = json.startsWith(API_VERSION_FIELD, i);
        if (!isApiVersion && !json.startsWith(KIND_FIELD, i)) return null;
        int start = i + (isApiVersion ? API_VERSION_FIELD.length() : KIND_FIELD.length());
        int end = start;
        while (end < json.length() && json.charAt(end) != '"') {
          if (json.charAt(end) == '\\') return null;
          end++;
        }
        if (end == json.length()) return null;
        if (isApiVersion) apiVersion = json.substring(start, end);
        else kind = json.substring(start, end);
        i = end + 1;
      }
      return apiVersion == null || kind == null ? null : reader(apiVersion, kind);
    }

    private static final String API_VERSION_FIELD = "\"apiVersion\":\"";
    private static final String KIND_FIELD = "\"kind\":\"";

    private ObjectReader reader(String apiVersion, String kind) {
      return readers.computeIfAbsent(apiVersion + "\n" + kind, k -> {
        Class<? extends KubernetesResource> registered = getRegisteredKubernetesResource(apiVersion, kind);
        // bound from the event's parser, which goes on past the object
        return configured.readerFor(registered != null ? registered : GenericKubernetesResource.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
      });
    }

    /** fabric8's test: the first non-blank character opens an object or an array. */
    private static boolean isJson(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!Character.isWhitespace(c)) return c == '{' || c == '[';
      }
      return false;
    }
  }
}
