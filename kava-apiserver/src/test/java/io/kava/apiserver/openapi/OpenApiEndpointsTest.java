package io.kava.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.kava.api.json.Json;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.apiserver.registry.ResourceStrategy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class OpenApiEndpointsTest {
  private static final OpenApiEndpoints E = Fixture.ENDPOINTS;

  private static JsonNode json(OpenApiEndpoints.Response r) {
    assertThat(r.status()).isEqualTo(200);
    return Json.parse(r.body());
  }

  private static JsonNode v3(String gv) {
    JsonNode index = json(E.get("/openapi/v3", null, null, null));
    String url = index.path("paths").path(gv).path("serverRelativeURL").asString();
    String hash = url.substring(url.indexOf("?hash=") + 6);
    return json(E.get("/openapi/v3/" + gv, hash, "application/json", null));
  }

  @Test
  void handlesTheOpenApiPathsOnly() {
    assertThat(E.handles("/openapi/v2")).isTrue();
    assertThat(E.handles("/openapi/v3")).isTrue();
    assertThat(E.handles("/openapi/v3/apis/apps/v1")).isTrue();
    assertThat(E.handles("/api/v1")).isFalse();
    assertThat(E.handles("/openapi/v2x")).isFalse();
  }

  @Test
  void theV3IndexListsEveryGroupVersionWithTheHashOfItsDocument() {
    OpenApiEndpoints.Response r = E.get("/openapi/v3", null, null, null);
    JsonNode paths = json(r).path("paths");
    assertThat(paths.propertyNames()).contains("api/v1", "apis/apps/v1", "apis/batch/v1", "apis/rbac.authorization.k8s.io/v1");
    String url = paths.path("apis/apps/v1").path("serverRelativeURL").asString();
    assertThat(url).matches("/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{128}");
    OpenApiEndpoints.Response doc = E.get("/openapi/v3/apis/apps/v1", url.substring(url.indexOf('=') + 1), null, null);
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.headers()).containsEntry("Cache-Control", "public, immutable").containsKey("Expires");
    assertThat(doc.headers().get("ETag")).isEqualTo("\"" + url.substring(url.indexOf('=') + 1) + "\"");
  }

  @Test
  void aStaleHashRedirectsToTheCurrentDocument() {
    OpenApiEndpoints.Response r = E.get("/openapi/v3/api/v1", "0123", null, null);
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.headers().get("Location")).startsWith("/openapi/v3/api/v1?hash=");
    OpenApiEndpoints.Response plain = E.get("/openapi/v3/api/v1", null, null, null);
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.headers()).doesNotContainKey("Cache-Control");
    assertThat(E.get("/openapi/v3/apis/nothing/v1", null, null, null).status()).isEqualTo(404);
  }

  @Test
  void entityTagsAnswerIfNoneMatchWith304() {
    OpenApiEndpoints.Response r = E.get("/openapi/v2", null, "application/json", null);
    String etag = r.headers().get("ETag");
    OpenApiEndpoints.Response again = E.get("/openapi/v2", null, "application/json", etag);
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(E.get("/openapi/v2", null, "application/json", "W/" + etag + ", \"other\"").status()).isEqualTo(304);
    assertThat(E.get("/openapi/v2", null, "application/json", "\"other\"").status()).isEqualTo(200);
    assertThat(E.get("/openapi/v3/api/v1", null, null, E.get("/openapi/v3/api/v1", null, null, null).headers().get("ETag"))
        .status()).isEqualTo(304);
  }

  @Test
  void aClientThatAcceptsGzipGetsTheKeptCompressedBytes() {
    for (String accept : new String[] {"application/json", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"}) {
      OpenApiEndpoints.Response plain = E.get("/openapi/v2", null, accept, null, null);
      OpenApiEndpoints.Response gzip = E.get("/openapi/v2", null, accept, null, "gzip");
      assertThat(plain.headers()).doesNotContainKey("Content-Encoding");
      assertThat(gzip.headers()).containsEntry("Content-Encoding", "gzip").containsEntry("Vary", "Accept, Accept-Encoding");
      assertThat(gzip.body().length).isLessThan(plain.body().length / 4);
      assertThat(Gzip.decompress(gzip.body())).isEqualTo(plain.body());
      assertThat(gzip.headers().get("ETag")).isEqualTo(plain.headers().get("ETag"));
    }
    OpenApiEndpoints.Response doc = E.get("/openapi/v3/apis/apps/v1", null, null, null, "deflate, gzip;q=0.8");
    assertThat(doc.headers()).containsEntry("Content-Encoding", "gzip");
    assertThat(new String(Gzip.decompress(doc.body()), StandardCharsets.UTF_8)).contains("\"io.k8s.api.apps.v1.Deployment\":");
    assertThat(E.get("/openapi/v3", null, null, null, "*").headers()).containsEntry("Content-Encoding", "gzip");
    // refused or not offered: identity
    assertThat(E.get("/openapi/v3/api/v1", null, null, null, "gzip;q=0").headers()).doesNotContainKey("Content-Encoding");
    assertThat(E.get("/openapi/v3/api/v1", null, null, null, "br, deflate").headers()).doesNotContainKey("Content-Encoding");
    // a 304 has no body to encode
    String etag = doc.headers().get("ETag");
    OpenApiEndpoints.Response notModified = E.get("/openapi/v3/apis/apps/v1", null, null, etag, "gzip");
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.headers()).doesNotContainKey("Content-Encoding");
  }

  @Test
  void acceptEncodingIsReadAsRfc9110Says() {
    assertThat(Gzip.accepted("gzip")).isTrue();
    assertThat(Gzip.accepted("GZIP")).isTrue();
    assertThat(Gzip.accepted("br;q=1.0, gzip;q=0.5")).isTrue();
    assertThat(Gzip.accepted("*")).isTrue();
    assertThat(Gzip.accepted("gzip;q=0")).isFalse();
    assertThat(Gzip.accepted("gzip; q=0.000")).isFalse();
    assertThat(Gzip.accepted("identity")).isFalse();
    assertThat(Gzip.accepted("")).isFalse();
    assertThat(Gzip.accepted(null)).isFalse();
  }

  @Test
  void acceptSelectsTheEncoding() {
    assertThat(E.get("/openapi/v2", null, "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", null).contentType())
        .isEqualTo("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    assertThat(E.get("/openapi/v2", null, "application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf", null)
        .contentType()).isEqualTo("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    assertThat(E.get("/openapi/v2", null, "*/*", null).contentType()).isEqualTo("application/json");
    assertThat(E.get("/openapi/v2", null, "text/html", null).status()).isEqualTo(406);
    assertThat(E.get("/openapi/v3/api/v1", null, "application/com.github.proto-openapi.spec.v3@v1.0+protobuf", null).status())
        .isEqualTo(406);
  }

  @Test
  void thePodSchemaHasTheMergeMetadataOfContainers() {
    JsonNode schemas = v3("api/v1").path("components").path("schemas");
    JsonNode pod = schemas.path("io.k8s.api.core.v1.Pod");
    assertThat(pod.path("x-kubernetes-group-version-kind").get(0).toString())
        .isEqualTo("{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}");
    assertThat(pod.path("properties").path("spec").path("$ref").asString()).isEqualTo("#/components/schemas/io.k8s.api.core.v1.PodSpec");
    JsonNode containers = schemas.path("io.k8s.api.core.v1.PodSpec").path("properties").path("containers");
    assertThat(containers.path("type").asString()).isEqualTo("array");
    assertThat(containers.path("items").path("$ref").asString()).isEqualTo("#/components/schemas/io.k8s.api.core.v1.Container");
    assertThat(containers.path("x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
    assertThat(containers.path("x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
    assertThat(containers.path("x-kubernetes-list-type").asString()).isEqualTo("map");
    assertThat(containers.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"name\"]");
    assertThat(containers.path("description").asString()).startsWith("List of containers belonging to the pod.");
    assertThat(schemas.path("io.k8s.api.core.v1.PodSpec").path("required").toString()).isEqualTo("[\"containers\"]");
    assertThat(schemas.path("io.k8s.api.core.v1.PodSpec").path("properties").path("volumes").path("x-kubernetes-patch-strategy")
        .asString()).isEqualTo("merge,retainKeys");
    assertThat(schemas.path("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector").path("x-kubernetes-map-type").asString())
        .isEqualTo("atomic");
    assertThat(schemas.path("io.k8s.apimachinery.pkg.util.intstr.IntOrString").path("format").asString()).isEqualTo("int-or-string");
    assertThat(schemas.path("io.k8s.apimachinery.pkg.util.intstr.IntOrString").path("oneOf").size()).isEqualTo(2);
    assertThat(schemas.path("io.k8s.apimachinery.pkg.api.resource.Quantity").path("oneOf").toString())
        .isEqualTo("[{\"type\":\"string\"},{\"type\":\"number\"}]");
    assertThat(schemas.path("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").path("properties").path("creationTimestamp")
        .path("$ref").asString()).isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time");
  }

  @Test
  void everyGroupVersionDocumentHasEverySchemaItRefersTo() {
    JsonNode index = json(E.get("/openapi/v3", null, null, null)).path("paths");
    for (String gv : index.propertyNames()) {
      JsonNode doc = v3(gv);
      Set<String> refs = new HashSet<>();
      refs(doc, refs);
      for (String ref : refs) {
        assertThat(ref).as(gv).startsWith("#/components/schemas/");
        assertThat(doc.path("components").path("schemas").has(ref.substring("#/components/schemas/".length()))).as(gv + " " + ref).isTrue();
      }
    }
  }

  @Test
  void patchOperationsDeclareFieldValidationAndTheirKind() {
    JsonNode doc = v3("apis/apps/v1");
    JsonNode patch = doc.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-action").asString()).isEqualTo("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").toString())
        .isEqualTo("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}");
    List<String> params = new ArrayList<>();
    patch.path("parameters").forEach(p -> params.add(p.path("name").asString() + "/" + p.path("in").asString()));
    assertThat(params).contains("fieldValidation/query", "dryRun/query", "fieldManager/query", "force/query");
    assertThat(patch.path("requestBody").path("content").propertyNames()).contains("application/strategic-merge-patch+json");
    JsonNode scale = doc.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale").path("put");
    assertThat(scale.path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Scale");
    assertThat(doc.path("components").path("schemas").path("io.k8s.api.autoscaling.v1.Scale").path("x-kubernetes-group-version-kind")
        .toString()).isEqualTo("[{\"group\":\"autoscaling\",\"kind\":\"Scale\",\"version\":\"v1\"}]");
  }

  @Test
  void v2JsonHasPathsAndDefinitions() {
    JsonNode doc = json(E.get("/openapi/v2", null, "application/json", null));
    assertThat(doc.path("swagger").asString()).isEqualTo("2.0");
    JsonNode post = doc.path("paths").path("/api/v1/namespaces/{namespace}/pods").path("post");
    assertThat(post.path("x-kubernetes-action").asString()).isEqualTo("post");
    assertThat(post.path("operationId").asString()).isEqualTo("createCoreV1NamespacedPod");
    List<String> params = new ArrayList<>();
    post.path("parameters").forEach(p -> params.add(p.path("name").asString()));
    assertThat(params).contains("body", "dryRun", "fieldManager", "fieldValidation");
    assertThat(doc.path("paths").path("/api/v1/pods").path("get").path("operationId").asString())
        .isEqualTo("listCoreV1PodForAllNamespaces");
    assertThat(doc.path("paths").path("/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}").path("get").path("operationId")
        .asString()).isEqualTo("readRbacAuthorizationV1ClusterRole");
    Set<String> refs = new HashSet<>();
    refs(doc, refs);
    for (String ref : refs) assertThat(doc.path("definitions").has(ref.substring("#/definitions/".length()))).as(ref).isTrue();
    JsonNode containers = doc.path("definitions").path("io.k8s.api.core.v1.PodSpec").path("properties").path("containers");
    assertThat(containers.path("items").path("$ref").asString()).isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
    assertThat(doc.path("definitions").path("io.k8s.apimachinery.pkg.util.intstr.IntOrString").path("type").asString())
        .isEqualTo("string");
  }

  /** Definitions are named as upstream: where client-java-proto knows a type by name, it must be in the same package. */
  @Test
  void definitionNamesAgreeWithTheProtobufPackages() {
    Map<String, Set<String>> packagesByName = new java.util.HashMap<>();
    Set<String> covered = new HashSet<>();
    for (com.google.protobuf.Descriptors.FileDescriptor f : List.of(io.kubernetes.client.proto.V1.getDescriptor(),
        io.kubernetes.client.proto.Meta.getDescriptor(), io.kubernetes.client.proto.V1Apps.getDescriptor(),
        io.kubernetes.client.proto.V1Batch.getDescriptor(), io.kubernetes.client.proto.V1Networking.getDescriptor(),
        io.kubernetes.client.proto.V1Storage.getDescriptor(), io.kubernetes.client.proto.V1Rbac.getDescriptor(),
        io.kubernetes.client.proto.V1Policy.getDescriptor(), io.kubernetes.client.proto.V1Scheduling.getDescriptor(),
        io.kubernetes.client.proto.V1Autoscaling.getDescriptor(), io.kubernetes.client.proto.Runtime.getDescriptor(),
        io.kubernetes.client.proto.Resource.getDescriptor(), io.kubernetes.client.proto.IntStr.getDescriptor())) {
      for (var m : f.getMessageTypes()) {
        String pkg = "io." + f.getPackage().replace("k8s.io.", "k8s.").replace('_', '-');
        covered.add(pkg);
        packagesByName.computeIfAbsent(version(pkg) + "." + m.getName(), k -> new HashSet<>()).add(pkg);
      }
    }
    JsonNode doc = json(E.get("/openapi/v2", null, "application/json", null));
    List<String> wrong = new ArrayList<>();
    for (String def : doc.path("definitions").propertyNames()) {
      String pkg = def.substring(0, def.lastIndexOf('.'));
      if (!covered.contains(pkg)) continue; // a group the protobuf jar does not have
      Set<String> known = packagesByName.get(version(pkg) + "." + def.substring(def.lastIndexOf('.') + 1));
      if (known != null && !known.contains(pkg)) wrong.add(def + " (proto: " + known + ")");
    }
    assertThat(wrong).isEmpty();
  }

  private static String version(String pkg) { return pkg.substring(pkg.lastIndexOf('.') + 1); }

  @Test
  void theProtobufDocumentDecodes() throws Exception {
    OpenApiEndpoints.Response r = E.get("/openapi/v2", null, "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", null);
    assertThat(r.status()).isEqualTo(200);
    UnknownFieldSet doc = UnknownFieldSet.parseFrom(r.body());
    assertThat(string(doc, 1)).isEqualTo("2.0"); // swagger
    assertThat(string(message(doc, 2), 1)).isEqualTo("Kubernetes"); // info.title

    // definitions (9): NamedSchema{name 1, value 2}
    UnknownFieldSet pod = named(message(doc, 9), 1, "io.k8s.api.core.v1.Pod");
    assertThat(pod).isNotNull();
    assertThat(message(pod, 22).getField(1).getLengthDelimitedList().get(0).toStringUtf8()).isEqualTo("object"); // type
    UnknownFieldSet gvk = named(pod, 31, "x-kubernetes-group-version-kind"); // vendor extension: NamedAny
    JsonNode gvkValue = new YAMLMapper().readTree(string(gvk, 2)); // Any.yaml
    assertThat(gvkValue.get(0).path("kind").asString()).isEqualTo("Pod");
    UnknownFieldSet spec = named(message(pod, 25), 1, "spec"); // properties → spec
    assertThat(string(spec, 1)).isEqualTo("#/definitions/io.k8s.api.core.v1.PodSpec"); // _ref
    UnknownFieldSet podSpec = named(message(doc, 9), 1, "io.k8s.api.core.v1.PodSpec");
    UnknownFieldSet containers = named(message(podSpec, 25), 1, "containers");
    assertThat(string(named(containers, 31, "x-kubernetes-patch-merge-key"), 2).trim()).isEqualTo("\"name\"");
    assertThat(string(message(message(containers, 23), 1), 1)).isEqualTo("#/definitions/io.k8s.api.core.v1.Container");

    // paths (8): Paths.path (2) NamedPathItem; PathItem.patch (8); Operation.parameters (8)
    UnknownFieldSet item = named(message(doc, 8), 2, "/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
    UnknownFieldSet patch = message(item, 8);
    assertThat(string(patch, 5)).isEqualTo("patchAppsV1NamespacedDeployment"); // operationId
    List<String> queryParams = new ArrayList<>();
    for (ByteString p : patch.getField(8).getLengthDelimitedList()) {
      UnknownFieldSet parameter = message(UnknownFieldSet.parseFrom(p), 1); // ParametersItem.parameter
      if (parameter.hasField(2)) queryParams.add(string(message(message(parameter, 2), 3), 4)); // non_body.query.name
    }
    assertThat(queryParams).contains("fieldValidation", "dryRun", "fieldManager", "force");
    UnknownFieldSet opGvk = named(patch, 13, "x-kubernetes-group-version-kind");
    assertThat(new YAMLMapper().readTree(string(opGvk, 2)).path("kind").asString()).isEqualTo("Deployment");
    List<String> consumes = patch.getField(7).getLengthDelimitedList().stream().map(ByteString::toStringUtf8).toList();
    assertThat(consumes).contains("application/strategic-merge-patch+json");
  }

  @Test
  void aRegistryChangeRebuildsTheDocumentsOnce() {
    ResourceRegistry registry = new ResourceRegistry();
    io.kava.apiserver.registry.BuiltinResources.registerAll(registry);
    OpenApiEndpoints e = new OpenApiEndpoints(registry);
    JsonNode before = Json.parse(e.get("/openapi/v3", null, null, null).body()).path("paths");
    assertThat(before.has("apis/stable.example.com/v1")).isFalse();
    registry.register(new ResourceDefinition("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true, List.of(),
        List.of(), Set.of("status"), ResourceStrategy.builder().build()));
    JsonNode after = Json.parse(e.get("/openapi/v3", null, null, null).body()).path("paths");
    assertThat(after.has("apis/stable.example.com/v1")).isTrue();
    JsonNode doc = json(e.get("/openapi/v3/apis/stable.example.com/v1", null, null, null));
    JsonNode cr = doc.path("components").path("schemas").path("com.example.stable.v1.CronTab");
    assertThat(cr.path("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
    assertThat(cr.path("x-kubernetes-group-version-kind").get(0).path("kind").asString()).isEqualTo("CronTab");
    JsonNode patch = doc.path("paths").path("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}").path("patch");
    assertThat(patch.path("requestBody").path("content").propertyNames()).doesNotContain("application/strategic-merge-patch+json");
    assertThat(doc.path("components").path("schemas").has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
    // a custom resource keeps unknown fields, but repeated ones are still reported
    assertThat(e.fieldValidation().problems("stable.example.com/v1", "CronTab",
        "{\"apiVersion\":\"stable.example.com/v1\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"a\":1,\"a\":2}}"
            .getBytes(StandardCharsets.UTF_8), false)).containsExactly("duplicate field \"spec.a\"");
    JsonNode v2 = json(e.get("/openapi/v2", null, null, null));
    assertThat(v2.path("definitions").has("com.example.stable.v1.CronTabList")).isTrue();
  }

  // ------------------------------------------------------------------ helpers

  private static void refs(JsonNode n, Set<String> out) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        // a string: a reference; an object: a property named "$ref" (JSONSchemaProps of CustomResourceDefinition has one)
        if (e.getKey().equals("$ref") && e.getValue().isString()) out.add(e.getValue().asString());
        else refs(e.getValue(), out);
      }
    } else if (n.isArray()) {
      for (JsonNode c : n) refs(c, out);
    }
  }

  private static UnknownFieldSet message(UnknownFieldSet m, int field) throws Exception {
    List<ByteString> l = m.getField(field).getLengthDelimitedList();
    assertThat(l).as("field " + field).isNotEmpty();
    return UnknownFieldSet.parseFrom(l.get(0));
  }

  private static String string(UnknownFieldSet m, int field) {
    List<ByteString> l = m.getField(field).getLengthDelimitedList();
    return l.isEmpty() ? "" : l.get(0).toStringUtf8();
  }

  /** The value (field 2) of the Named* entry in repeated field {@code field} whose name (field 1) is {@code name}. */
  private static UnknownFieldSet named(UnknownFieldSet m, int field, String name) throws Exception {
    for (ByteString b : m.getField(field).getLengthDelimitedList()) {
      UnknownFieldSet entry = UnknownFieldSet.parseFrom(b);
      if (string(entry, 1).equals(name)) return message(entry, 2);
    }
    return null;
  }

  static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
