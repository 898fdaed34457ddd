package io.kava.apiserver.apply;

import io.kava.api.json.Json;
import io.kava.apiserver.patch.PatchMeta;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * {@link ApplyType} of the built-in kinds, read from {@link PatchMeta} (the {@code +listType}, {@code +listMapKey},
 * {@code +mapType}, {@code +structType} markers and the patch strategies they default from). Positions the table does
 * not list have the defaults, which are also {@link ApplyType#DEDUCED}'s: objects granular, lists atomic.
 */
final class PatchMetaTypes implements ApplyType {
  /** Key fields with a schema default in the built-in API (ContainerPort.protocol, ServicePort.protocol). */
  private static final JsonNode TCP = Json.NODES.stringNode("TCP");

  private static final ConcurrentHashMap<PatchMeta.Node, PatchMetaTypes> WRAPPERS = new ConcurrentHashMap<>();

  private final PatchMeta.Node node;
  private final ListType listType;

  private PatchMetaTypes(PatchMeta.Node node) {
    this.node = node;
    this.listType = switch (node.listType()) {
      case ATOMIC -> ListType.ATOMIC;
      case SET -> ListType.SET;
      case MAP -> node.listMapKeys().isEmpty() ? ListType.ATOMIC : ListType.MAP;
    };
  }

  /** The root of a built-in kind, or null. */
  static ApplyType forKind(String apiVersion, String kind) {
    PatchMeta.Node root = PatchMeta.forKind(apiVersion, kind);
    return root == null ? null : wrap(root);
  }

  /** A built-in Go type by its qualified name ({@code meta/v1.ObjectMeta}), or DEDUCED. */
  static ApplyType forType(String typeName) {
    PatchMeta.Node n = PatchMeta.forType(typeName);
    return n == null ? DEDUCED : wrap(n);
  }

  private static ApplyType wrap(PatchMeta.Node n) {
    if (n == PatchMeta.UNKNOWN) return DEDUCED;
    return WRAPPERS.computeIfAbsent(n, PatchMetaTypes::new);
  }

  @Override public boolean atomicObject() { return node.atomic(); }

  @Override public ListType listType() { return listType; }

  @Override public List<String> listMapKeys() { return listType == ListType.MAP ? node.listMapKeys() : List.of(); }

  @Override public JsonNode keyDefault(String key) { return key.equals("protocol") ? TCP : null; }

  @Override public ApplyType field(String name) { return wrap(node.child(name)); }

  @Override public ApplyType element() { return wrap(node.element()); }

  @Override public String toString() { return node.toString(); }
}
