package io.kava.apiserver.http;

import io.kava.api.json.Json;
import io.kava.api.selector.FieldSelector;
import io.kava.api.selector.LabelSelector;
import io.kava.api.validation.FieldError;
import io.kava.apiserver.apply.FieldManager;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.openapi.FieldValidation;
import io.kava.apiserver.patch.PatchType;
import io.kava.apiserver.registry.CreateOnly;
import io.kava.apiserver.registry.DeleteOptions;
import io.kava.apiserver.registry.DeleteResult;
import io.kava.apiserver.registry.GenericStore;
import io.kava.apiserver.registry.ListOptions;
import io.kava.apiserver.registry.ListResult;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import io.kava.apiserver.registry.ReviewContext;
import io.kava.apiserver.registry.WriteOptions;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic REST endpoint for every resource: maps verb + subresource to the {@link GenericStore}, decodes
 * bodies and renders responses. Contains no per-kind code; subresources with their own shape (scale, binding)
 * live in {@link Subresources}.
 */
public final class ResourceHandler {
  private final GenericStore store;
  private final ResourceRegistry registry;
  private final BodyDecoder decoder;
  private final Responses responses;
  private final WatchHandler watches;
  private final PatchApplier patches;
  private final Subresources subresources;

  private FieldValidation fieldValidation;

  /** Checks bodies for unknown and duplicate fields per the request's fieldValidation directive. */
  public void fieldValidation(FieldValidation v) { this.fieldValidation = v; }

  private void validateFields(Exchange ex, ResourceDefinition def) {
    if (fieldValidation == null) return;
    FieldValidation.Directive d = FieldValidation.Directive.parse(ex.param("fieldValidation"));
    if (d == null) {
      throw StatusException.badRequest("fieldValidation: Unsupported value: \"" + ex.param("fieldValidation")
          + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
    }
    if (d == FieldValidation.Directive.IGNORE) return;
    String type = MediaTypes.contentType(ex.header("Content-Type"));
    if (type.equals(MediaTypes.PROTOBUF)) return; // protobuf cannot carry unknown or duplicate JSON fields
    FieldValidation.Report report = fieldValidation.check(def.apiVersion(), def.kind(), ex.body(), type.endsWith("yaml"));
    if (report.clean()) return;
    if (d == FieldValidation.Directive.STRICT) throw StatusException.badRequest(report.badRequestMessage(def.apiVersion(), def.kind()));
    report.warnings().forEach(ex::warn);
  }

  /** Drops what upstream's decoding into Go types would drop (unknown fields, empty lists and maps); protobuf has none. */
  private void normalize(Exchange ex, ResourceDefinition def, ObjectNode object) {
    if (fieldValidation == null || MediaTypes.contentType(ex.header("Content-Type")).equals(MediaTypes.PROTOBUF)) return;
    fieldValidation.normalize(def.apiVersion(), def.kind(), object);
  }

  public ResourceHandler(GenericStore store, BodyDecoder decoder, Responses responses, WatchHandler watches,
                         PatchApplier patches, Subresources subresources) {
    this.store = store;
    this.registry = store.registry();
    this.decoder = decoder;
    this.responses = responses;
    this.watches = watches;
    this.patches = patches;
    this.subresources = subresources;
  }

  public void handle(Exchange ex, RequestInfo ri) {
    if (ri.resource().equals("bindings") && ri.group().isEmpty() && ri.verb().equals("create") && ri.namespace() != null) {
      ResourceDefinition pods = registry.byPath("", ri.version(), "pods").orElseThrow(ResourceHandler::notFound);
      subresources.bind(ex, pods, ri.namespace(), null, decoder.parse(ex.header("Content-Type"), ex.body()));
      return;
    }
    ResourceDefinition def = registry.byPath(ri.group(), ri.version(), ri.resource()).orElseThrow(ResourceHandler::notFound);
    String ns = ri.namespace();
    if (!def.namespaced() && ns != null) throw notFound();
    boolean needsNamespace = def.namespaced() && (ri.name() != null || ri.verb().equals("create"));
    if (needsNamespace && ns == null) throw notFound();
    String sub = ri.subresource();
    if (!sub.isEmpty() && !def.hasSubresource(sub)) throw notFound();
    CreateOnly createOnly = def.strategy().createOnly().get(sub);
    if (createOnly != null) {
      createOnly(ex, ri, def, createOnly);
      return;
    }
    if (!sub.isEmpty()) {
      switch (sub) {
        case "status" -> handleMain(ex, ri, def, ns, "status");
        case "finalize" -> finalize(ex, ri, def);
        case "scale" -> subresources.scale(ex, ri, def, ns, ri.name(), patches);
        case "binding" -> {
          if (!ri.verb().equals("create")) throw StatusException.methodNotSupported(def.group(), def.plural() + "/binding", ri.verb());
          subresources.bind(ex, def, ns, ri.name(), decoder.parse(ex.header("Content-Type"), ex.body()));
        }
        case "eviction" -> subresources.evict(ex, ri, def, ns, ri.name());
        default -> subresources.other(ex, ri, def, ns, ri.name(), sub);
      }
      return;
    }
    handleMain(ex, ri, def, ns, "");
  }

  /**
   * A GET of one object answered from the watch cache's JSON bytes when that needs no waiting (see {@link
   * GenericStore#getIfCurrent}); false, with nothing answered, for anything else, which {@link #handle} then serves.
   * Never blocks: the API server calls it on the event loop, saving the hand-off to a worker thread and back.
   */
  public boolean getWithoutBlocking(Exchange ex, RequestInfo ri) {
    if (!ri.verb().equals("get") || !ri.subresource().isEmpty() || ri.name() == null) return false;
    ResourceDefinition def = registry.byPath(ri.group(), ri.version(), ri.resource()).orElse(null);
    if (def == null || def.namespaced() != (ri.namespace() != null) || def.strategy().createOnly().get("") != null) return false;
    if (MediaTypes.negotiate(ex.header("Accept"), false).output() != MediaTypes.Output.OBJECT_JSON) return false;
    CachedObject o = store.getIfCurrent(def, ri.namespace(), ri.name(), ex.param("resourceVersion"));
    if (o == null) return false;
    responses.object(ex, 200, def, o);
    return true;
  }

  private void handleMain(Exchange ex, RequestInfo ri, ResourceDefinition def, String ns, String sub) {
    switch (ri.verb()) {
      case "get" -> {
        CachedObject o = store.get(def, ns, ri.name(), ex.param("resourceVersion"));
        responses.object(ex, 200, def, o);
      }
      case "list" -> {
        if (!sub.isEmpty()) throw StatusException.methodNotSupported(def.group(), def.plural() + "/" + sub, "list");
        ListOptions opts = listOptions(ex);
        ListResult r = store.list(def, ns, opts);
        responses.list(ex, def, r);
      }
      case "watch" -> {
        ListOptions opts = listOptions(ex);
        if (ri.name() != null) {
          // /watch/.../name is a watch with a field selector on the name.
          opts = new ListOptions(opts.labelSelector(), FieldSelector.oneTermEqual("metadata.name", ri.name()), 0, null,
              opts.resourceVersion(), opts.resourceVersionMatch());
        }
        watches.serve(ex, def, ns, opts);
      }
      case "create" -> {
        if (!sub.isEmpty()) throw StatusException.methodNotSupported(def.group(), def.plural() + "/" + sub, "create");
        if (ri.name() != null) throw StatusException.methodNotSupported(def.group(), def.plural(), "create");
        ObjectNode body = decoder.decodeObject(def, ex.header("Content-Type"), ex.body());
        validateFields(ex, def);
        normalize(ex, def, body);
        GenericStore.Created created = store.createForResponse(def, ns, body, writeOptions(ex));
        responses.object(ex, 201, def, created.object(), created.json());
      }
      case "update" -> {
        ObjectNode body = decoder.decodeObject(def, ex.header("Content-Type"), ex.body());
        validateFields(ex, def);
        normalize(ex, def, body);
        GenericStore.UpdateResult r = store.update(def, ns, ri.name(), body, sub, writeOptions(ex));
        responses.object(ex, r.created() ? 201 : 200, def, r.object(), r.json());
      }
      case "patch" -> {
        String patchType = MediaTypes.contentType(ex.header("Content-Type"));
        byte[] patch = ex.body();
        WriteOptions opts = writeOptions(ex);
        // Server-side apply (io.kava.apiserver.apply) merges with the store's field manager and records its own
        // Apply entry in managedFields; other patch types are recorded by the store as Updates.
        boolean apply = PatchType.parse(patchType).orElse(null) == PatchType.APPLY_YAML;
        if (apply) validateFields(ex, def);
        else if (ex.param("force") != null) {
          throw StatusException.invalid("meta.k8s.io", "PatchOptions", "", List.of(FieldError.forbidden("force",
              "may not be specified for non-apply patch")));
        }
        PatchApplier.Prepared prepared = apply ? PatchHandler.serverSideApply(store.fieldManager(), def, sub, patch, ex)
            : patches.prepare(def, patchType, patch, opts, ex);
        GenericStore.UpdateResult r = store.guaranteedUpdate(def, ns, ri.name(), sub, opts, current -> {
          String currentRv = current.path("metadata").path("resourceVersion").asString("");
          ObjectNode patched = prepared.apply(current);
          String patchedRv = patched.path("metadata").path("resourceVersion").asString("");
          if (!patchedRv.isEmpty() && !patchedRv.equals(currentRv)) throw StatusException.conflict(def.group(), def.plural(), ri.name());
          BodyDecoder.checkKind(def, patched);
          if (fieldValidation != null) fieldValidation.normalize(def.apiVersion(), def.kind(), patched);
          return patched;
        }, prepared.createIfMissing(def, ns, ri.name()), apply);
        responses.object(ex, r.created() ? 201 : 200, def, r.object(), r.json());
      }
      case "delete" -> {
        if (!sub.isEmpty()) throw StatusException.methodNotSupported(def.group(), def.plural() + "/" + sub, "delete");
        DeleteOptions opts = deleteOptions(ex);
        DeleteResult r = store.delete(def, ns, ri.name(), opts, ex.user().name());
        // Upstream answers 200 even when deletion waits (finalizers, grace); 202 only for orphanDependents=false.
        boolean accepted = !r.deleted() && "false".equals(ex.param("orphanDependents"));
        responses.object(ex, accepted ? 202 : 200, def, r.object());
      }
      case "deletecollection" -> {
        if (!sub.isEmpty()) throw StatusException.methodNotSupported(def.group(), def.plural() + "/" + sub, "deletecollection");
        List<ObjectNode> deleted = store.deleteCollection(def, ns, listOptions(ex), deleteOptions(ex), ex.user().name());
        ObjectNode list = Json.object();
        list.put("kind", def.listKind());
        list.put("apiVersion", def.apiVersion());
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        deleted.forEach(items::add);
        ex.respond(200, MediaTypes.JSON, Json.bytes(list));
      }
      default -> throw StatusException.methodNotSupported(def.group(), def.plural(), ri.verb());
    }
  }

  /** POST of a never-stored kind or subresource: decode, answer, 201; nothing else is allowed. */
  private void createOnly(Exchange ex, RequestInfo ri, ResourceDefinition def, CreateOnly c) {
    String sub = ri.subresource();
    String resource = sub.isEmpty() ? def.plural() : def.plural() + "/" + sub;
    boolean onParent = !sub.isEmpty();
    if (!ri.verb().equals("create") || (ri.name() != null) != onParent) throw StatusException.methodNotSupported(def.group(), resource, ri.verb());
    ResourceDefinition shape = onParent ? new ResourceDefinition(c.group(), c.version(), c.kind(), resource, "", def.namespaced(),
        List.of(), List.of(), java.util.Set.of(), def.strategy()) : def;
    ObjectNode body = decoder.decodeObject(shape, ex.header("Content-Type"), ex.body());
    validateFields(ex, shape);
    body.put("kind", c.kind());
    body.put("apiVersion", c.apiVersion());
    ObjectNode answer = c.review().answer(body, new ReviewContext(ex.user(), ri.namespace(), ri.name(), store.clock().instant(), dryRun(ex),
        store.services()));
    ex.respond(201, MediaTypes.JSON, Json.bytes(answer));
  }

  /** PUT namespaces/{name}/finalize: only spec.finalizers changes (the namespace controller's last step). */
  private void finalize(Exchange ex, RequestInfo ri, ResourceDefinition def) {
    if (!ri.verb().equals("update")) throw StatusException.methodNotSupported(def.group(), def.plural() + "/finalize", ri.verb());
    ObjectNode body = decoder.decodeObject(def, ex.header("Content-Type"), ex.body());
    JsonNode finalizers = body.path("spec").get("finalizers");
    GenericStore.UpdateResult r = store.guaranteedUpdate(def, null, ri.name(), "finalize", writeOptions(ex), current -> {
      String rv = body.path("metadata").path("resourceVersion").asString("");
      if (!rv.isEmpty() && !rv.equals(current.path("metadata").path("resourceVersion").asString(""))) {
        throw StatusException.conflict(def.group(), def.plural(), ri.name());
      }
      if (finalizers == null || finalizers.isNull() || finalizers.isEmpty()) current.withObject("spec").remove("finalizers");
      else current.withObject("spec").set("finalizers", finalizers.deepCopy());
      return current;
    }, null);
    responses.object(ex, 200, def, r.object(), r.json());
  }

  static StatusException notFound() {
    return new StatusException(404, "NotFound", "the server could not find the requested resource");
  }

  public static ListOptions listOptions(Exchange ex) {
    LabelSelector labels = null;
    FieldSelector fields = null;
    String ls = ex.param("labelSelector");
    if (ls != null && !ls.isEmpty()) {
      try {
        labels = LabelSelector.parse(ls);
      } catch (IllegalArgumentException e) {
        throw StatusException.badRequest("unable to parse requirement: " + e.getMessage());
      }
    }
    String fs = ex.param("fieldSelector");
    if (fs != null && !fs.isEmpty()) {
      try {
        fields = FieldSelector.parse(fs);
      } catch (IllegalArgumentException e) {
        throw StatusException.badRequest(e.getMessage());
      }
    }
    long limit = 0;
    String l = ex.param("limit");
    if (l != null && !l.isEmpty()) {
      try {
        limit = Math.max(0, Long.parseLong(l));
      } catch (NumberFormatException e) {
        throw StatusException.badRequest("invalid limit: " + l);
      }
    }
    String match = ex.param("resourceVersionMatch");
    if (match != null && !match.isEmpty() && !match.equals("NotOlderThan") && !match.equals("Exact")) {
      throw StatusException.badRequest("resourceVersionMatch: Unsupported value: \"" + match + "\": supported values: \"Exact\", \"NotOlderThan\"");
    }
    return new ListOptions(labels, fields, limit, ex.param("continue"), ex.param("resourceVersion"), match == null || match.isEmpty() ? null : match);
  }

  public static WriteOptions writeOptions(Exchange ex) {
    // managedFields: the fieldManager parameter (validated), else the User-Agent's program name, as upstream
    String manager = FieldManager.managerOf(ex.method(), ex.param("fieldManager"), ex.header("User-Agent"));
    return new WriteOptions(ex.user().name(), dryRun(ex), manager, ex.param("fieldValidation"));
  }

  static boolean dryRun(Exchange ex) {
    List<String> values = ex.params().getAll("dryRun");
    for (String v : values) {
      if (!v.equals("All")) throw StatusException.badRequest("Invalid dry run value: \"" + v + "\": supported values: \"All\"");
    }
    return !values.isEmpty();
  }

  private DeleteOptions deleteOptions(Exchange ex) {
    Long grace = null;
    String propagation = null;
    String uid = null;
    String rv = null;
    boolean dryRun = dryRun(ex);
    byte[] body = ex.body();
    if (body != null && body.length > 0) {
      JsonNode o = decoder.parse(ex.header("Content-Type"), body);
      if (o != null && o.isObject()) {
        if (o.hasNonNull("gracePeriodSeconds")) grace = o.get("gracePeriodSeconds").asLong();
        if (o.hasNonNull("propagationPolicy")) propagation = o.get("propagationPolicy").asString();
        if (o.hasNonNull("orphanDependents") && propagation == null) propagation = o.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
        JsonNode pre = o.path("preconditions");
        if (pre.hasNonNull("uid")) uid = pre.get("uid").asString();
        if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asString();
        JsonNode dr = o.path("dryRun");
        if (dr.isArray()) for (JsonNode v : dr) {
          if (!v.asString().equals("All")) throw StatusException.badRequest("Invalid dry run value: \"" + v.asString() + "\"");
          dryRun = true;
        }
      }
    }
    String g = ex.param("gracePeriodSeconds");
    if (g != null && !g.isEmpty()) {
      try {
        grace = Long.parseLong(g);
      } catch (NumberFormatException e) {
        throw StatusException.badRequest("invalid gracePeriodSeconds: " + g);
      }
    }
    String p = ex.param("propagationPolicy");
    if (p != null && !p.isEmpty()) propagation = p;
    String orphan = ex.param("orphanDependents");
    if (orphan != null && propagation == null) propagation = Boolean.parseBoolean(orphan) ? "Orphan" : "Background";
    return new DeleteOptions(grace, propagation, uid, rv, dryRun);
  }
}
