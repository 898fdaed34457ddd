package io.kava.apiserver.http;

import io.kava.api.json.Json;
import io.kava.api.selector.LabelSelector;
import io.kava.api.time.Timestamps;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ScaleSpec;
import io.kava.apiserver.registry.WriteOptions;
import java.time.Clock;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Subresources whose shape differs from their parent: /scale (an autoscaling/v1 Scale view of the parent's
 * replicas) and /binding (assigns a pod to a node). Both write through the parent's generic update.
 */
public final class Subresources {
  private final GenericStore store;
  private final Responses responses;
  private final BodyDecoder decoder;
  private final Clock clock;
  private final PodEviction eviction;

  public Subresources(GenericStore store, Responses responses, BodyDecoder decoder, Clock clock) {
    this.store = store;
    this.responses = responses;
    this.decoder = decoder;
    this.clock = clock;
    this.eviction = new PodEviction(store, clock);
  }

  // ---------------------------------------------------------------- eviction

  /** POST pods/{name}/eviction: see {@link PodEviction}. */
  public void evict(Exchange ex, RequestInfo ri, ResourceDefinition pods, String ns, String podName) {
    if (!ri.verb().equals("create")) throw StatusException.methodNotSupported(pods.group(), pods.plural() + "/eviction", ri.verb());
    eviction.evict(ex, pods, ns, podName, decoder.parse(ex.header("Content-Type"), ex.body()));
  }

  // ---------------------------------------------------------------- scale

  public void scale(Exchange ex, RequestInfo ri, ResourceDefinition def, String ns, String name, PatchApplier patches) {
    ScaleSpec spec = def.strategy().scale();
    if (spec == null) throw ResourceHandler.notFound();
    ResourceDefinition scaleDef = scaleDefinition(def);
    switch (ri.verb()) {
      case "get" -> {
        CachedObject o = store.get(def, ns, name, ex.param("resourceVersion"));
        ex.respond(200, MediaTypes.JSON, Json.bytes(toScale(def, spec, o.object())));
      }
      case "update" -> {
        JsonNode body = decoder.parse(ex.header("Content-Type"), ex.body());
        if (!(body instanceof ObjectNode scale)) throw StatusException.badRequest("the body must be an autoscaling/v1 Scale");
        GenericStore.UpdateResult r = store.guaranteedUpdate(def, ns, name, "scale", ResourceHandler.writeOptions(ex),
            current -> applyScale(def, spec, current, scale, name), null);
        ex.respond(200, MediaTypes.JSON, Json.bytes(toScale(def, spec, r.object())));
      }
      case "patch" -> {
        WriteOptions opts = ResourceHandler.writeOptions(ex);
        PatchApplier.Prepared prepared = patches.prepare(scaleDef, MediaTypes.contentType(ex.header("Content-Type")), ex.body(), opts, ex);
        GenericStore.UpdateResult r = store.guaranteedUpdate(def, ns, name, "scale", opts, current -> {
          ObjectNode patched = prepared.apply(toScale(def, spec, current));
          return applyScale(def, spec, current, patched, name);
        }, null);
        ex.respond(200, MediaTypes.JSON, Json.bytes(toScale(def, spec, r.object())));
      }
      default -> throw StatusException.methodNotSupported(def.group(), def.plural() + "/scale", ri.verb());
    }
  }

  /** The Scale kind, described so that patches of a Scale use its strategic-merge metadata. */
  private static ResourceDefinition scaleDefinition(ResourceDefinition parent) {
    return new ResourceDefinition("autoscaling", "v1", "Scale", parent.plural() + "/scale", "", true, List.of(), List.of(),
        java.util.Set.of(), parent.strategy());
  }

  private ObjectNode applyScale(ResourceDefinition def, ScaleSpec spec, ObjectNode current, ObjectNode scale, String name) {
    String rv = scale.path("metadata").path("resourceVersion").asString("");
    String currentRv = current.path("metadata").path("resourceVersion").asString("");
    if (!rv.isEmpty() && !rv.equals(currentRv)) throw StatusException.conflict(def.group(), def.plural(), name);
    JsonNode replicas = scale.path("spec").path("replicas");
    if (replicas.isMissingNode() || replicas.isNull()) replicas = Json.NODES.numberNode(0);
    if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
      throw StatusException.invalid("autoscaling", "Scale", name, List.of(io.kava.api.validation.FieldError.invalid(
          "spec.replicas", replicas.asLong(), "must be greater than or equal to 0")));
    }
    setAt(current, spec.specReplicasPath(), Json.NODES.numberNode(replicas.asInt()));
    return current;
  }

  private static void setAt(ObjectNode root, String pointer, JsonNode value) {
    String[] parts = pointer.substring(1).split("/");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) node = node.withObject(parts[i]);
    node.set(parts[parts.length - 1], value);
  }

  ObjectNode toScale(ResourceDefinition def, ScaleSpec spec, JsonNode object) {
    ObjectNode s = Json.object();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    JsonNode om = object.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (om.has(f)) meta.set(f, om.get(f));
    }
    JsonNode specReplicas = object.at(spec.specReplicasPath());
    s.putObject("spec").put("replicas", specReplicas.isMissingNode() ? 0 : specReplicas.asInt());
    ObjectNode status = s.putObject("status");
    JsonNode statusReplicas = object.at(spec.statusReplicasPath());
    status.put("replicas", statusReplicas.isMissingNode() ? 0 : statusReplicas.asInt());
    if (spec.labelSelectorPath() != null) {
      JsonNode sel = object.at(spec.labelSelectorPath());
      if (!sel.isMissingNode() && !sel.isNull()) {
        String text = sel.isString() ? sel.asString() : LabelSelector.fromJson(sel).toString();
        if (!text.isEmpty()) status.put("selector", text);
      }
    }
    return s;
  }

  // ---------------------------------------------------------------- binding

  /** Binds a pod to a node: sets spec.nodeName once (409 if already bound) and records PodScheduled. */
  public void bind(Exchange ex, ResourceDefinition pods, String ns, String podName, JsonNode binding) {
    if (!binding.isObject()) throw StatusException.badRequest("the body must be a v1 Binding");
    String name = binding.path("metadata").path("name").asString("");
    if (podName == null) podName = name;
    if (podName.isEmpty()) throw StatusException.invalid("", "Binding", "", List.of(io.kava.api.validation.FieldError.required("metadata.name", "name is required")));
    if (!name.isEmpty() && !name.equals(podName)) throw StatusException.badRequest("the name of the object (" + name + ") does not match the name on the URL (" + podName + ")");
    String node = binding.path("target").path("name").asString("");
    String targetKind = binding.path("target").path("kind").asString("");
    if (node.isEmpty()) throw StatusException.invalid("", "Binding", podName, List.of(io.kava.api.validation.FieldError.required("target.name", "")));
    if (!targetKind.isEmpty() && !targetKind.equals("Node")) {
      throw StatusException.invalid("", "Binding", podName, List.of(io.kava.api.validation.FieldError.notSupported("target.kind", targetKind, List.of("Node"))));
    }
    String uid = binding.path("metadata").path("uid").asString("");
    String finalPod = podName;
    WriteOptions opts = ResourceHandler.writeOptions(ex);
    store.guaranteedUpdate(pods, ns, podName, "binding", opts, pod -> {
      ObjectNode meta = pod.withObject("metadata");
      if (!uid.isEmpty() && !uid.equals(meta.path("uid").asString(""))) {
        throw StatusException.conflict("", "pods", finalPod, "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + meta.path("uid").asString(""));
      }
      if (meta.has("deletionTimestamp")) throw StatusException.conflict("", "pods", finalPod, "pod " + finalPod + " is being deleted, cannot be assigned to a host");
      String current = pod.path("spec").path("nodeName").asString("");
      if (!current.isEmpty()) throw StatusException.conflict("", "pods", finalPod, "pod " + finalPod + " is already assigned to node \"" + current + "\"");
      pod.withObject("spec").put("nodeName", node);
      JsonNode ann = binding.path("metadata").path("annotations");
      if (ann.isObject()) ann.properties().forEach(e -> meta.withObject("annotations").set(e.getKey(), e.getValue()));
      ArrayNode conditions = pod.withObject("status").withArray("conditions");
      ObjectNode scheduled = null;
      for (JsonNode c : conditions) if ("PodScheduled".equals(c.path("type").asString())) scheduled = (ObjectNode) c;
      if (scheduled == null) scheduled = conditions.addObject();
      scheduled.put("type", "PodScheduled");
      scheduled.put("status", "True");
      scheduled.putNull("lastProbeTime");
      scheduled.put("lastTransitionTime", Timestamps.formatTime(clock.instant()));
      scheduled.remove("reason");
      scheduled.remove("message");
      return pod;
    }, null);
    ObjectNode details = Json.object();
    ex.respond(201, MediaTypes.JSON, Json.bytes(Responses.success(201, details.isEmpty() ? null : details)));
  }

  private PodStreams podStreams;

  /** Serves pods/log, exec, attach and portforward by proxying to the pod's node. */
  public void podStreams(PodStreams p) { this.podStreams = p; }

  /** Subresources served by other components (log, exec, attach, portforward, proxy, eviction). */
  public void other(Exchange ex, RequestInfo ri, ResourceDefinition def, String ns, String name, String sub) {
    if (podStreams != null && PodStreams.handles(def, sub)) {
      podStreams.serve(ex, ri, def, ns, name, sub);
      return;
    }
    throw new StatusException(501, "NotImplemented", "the " + def.plural() + "/" + sub + " subresource is not implemented by this server yet");
  }
}
