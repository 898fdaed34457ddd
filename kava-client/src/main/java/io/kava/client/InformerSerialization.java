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
      JsonNode tree = configured.readTree(str);
      JsonNode type = tree.get("type");
      JsonNode object = tree.get("object");
      if (type == null || !type.isString() || type.asString().equals("ERROR") || object == null || !object.isObject()) return null;
      JsonNode apiVersion = object.get("apiVersion");
      JsonNode kind = object.get("kind");
      if (apiVersion == null || kind == null || !apiVersion.isString() || !kind.isString()) return null;
      ObjectReader reader = readers.computeIfAbsent(apiVersion.asString() + "\n" + kind.asString(), k -> {
        Class<? extends KubernetesResource> registered = getRegisteredKubernetesResource(apiVersion.asString(), kind.asString());
        return configured.readerFor(registered != null ? registered : GenericKubernetesResource.class);
      });
      return new WatchEvent(reader.readValue(object), type.asString());
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
