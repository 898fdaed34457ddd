package io.kava.apiserver.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The fields an applied configuration specifies: the set its applier owns after the apply. Leaves are scalars,
 * atomic lists and objects, empty objects and nulls; every item of a set or map list is a member too (so the
 * applier owns the item's existence), with its fields below it. Empty non-atomic lists specify nothing.
 */
final class AppliedFields {
  private final PathStack path = new PathStack();
  private final List<String> names = new ArrayList<>(); // human path, for error messages
  private final FieldSet set = new FieldSet();

  private AppliedFields() {}

  /**
   * The field set of {@code config} (a whole object) of type {@code root}.
   *
   * @throws InvalidObjectException when an associative list cannot be keyed
   */
  static FieldSet of(JsonNode config, ApplyType root) {
    AppliedFields w = new AppliedFields();
    for (Map.Entry<String, JsonNode> e : config.properties()) {
      String f = e.getKey();
      if (ObjectFields.untrackedRoot(f)) continue;
      if (f.equals("metadata") && e.getValue().isObject()) {
        w.enter(PathElements.field(f), "." + f);
        for (Map.Entry<String, JsonNode> m : e.getValue().properties()) {
          if (ObjectFields.untrackedMetadata(m.getKey())) continue;
          w.field(m.getKey(), m.getValue(), root.field(f).field(m.getKey()));
        }
        w.leave();
        continue;
      }
      w.field(f, e.getValue(), root.field(f));
    }
    return w.set;
  }

  private void enter(String pe, String name) {
    path.push(pe);
    names.add(name);
  }

  private void leave() {
    path.pop();
    names.remove(names.size() - 1);
  }

  private void field(String name, JsonNode v, ApplyType t) {
    enter(PathElements.field(name), "." + name);
    value(v, t);
    leave();
  }

  private void value(JsonNode v, ApplyType t) {
    if (v.isObject()) {
      if (v.isEmpty() || t.atomicObject()) {
        path.markIn(set);
        return;
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) field(e.getKey(), e.getValue(), t.field(e.getKey()));
    } else if (v.isArray()) {
      if (t.listType() == ApplyType.ListType.ATOMIC) {
        path.markIn(set);
        return;
      }
      if (v.isEmpty()) return;
      ListIndex index = ListIndex.of(v, t);
      if (index.error != null) throw new InvalidObjectException(String.join("", names) + ": " + index.error);
      if (index.duplicate != null) {
        throw new InvalidObjectException(String.join("", names) + ": duplicate entries for key " + PathElements.describe(index.duplicate));
      }
      ApplyType element = t.element();
      for (int i = 0; i < v.size(); i++) {
        enter(index.elements[i], PathElements.describe(index.elements[i]));
        path.markIn(set);
        JsonNode item = v.get(i);
        if (item.isObject() && !element.atomicObject()) {
          for (Map.Entry<String, JsonNode> e : item.properties()) field(e.getKey(), e.getValue(), element.field(e.getKey()));
        }
        leave();
      }
    } else {
      path.markIn(set);
    }
  }
}
