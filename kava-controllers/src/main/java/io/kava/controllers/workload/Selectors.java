package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.kava.api.json.Json;
import io.kava.api.selector.LabelSelector;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** fabric8 label selectors as kava-api {@link LabelSelector}s (upstream's LabelSelectorAsSelector). */
public final class Selectors {
  private Selectors() {}

  /**
   * The structured selector as a matcher: null matches nothing, {@code {}} everything.
   *
   * @throws io.kava.api.selector.InvalidSelectorException for an unknown operator or a malformed requirement
   */
  public static LabelSelector of(io.fabric8.kubernetes.api.model.LabelSelector s) {
    if (s == null) return LabelSelector.nothing();
    ObjectNode json = Json.object();
    if (s.getMatchLabels() != null) {
      ObjectNode labels = json.putObject("matchLabels");
      s.getMatchLabels().forEach(labels::put);
    }
    if (s.getMatchExpressions() != null) {
      ArrayNode exprs = json.putArray("matchExpressions");
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        ObjectNode e = exprs.addObject();
        e.put("key", r.getKey());
        e.put("operator", r.getOperator());
        ArrayNode values = e.putArray("values");
        if (r.getValues() != null) r.getValues().forEach(values::add);
      }
    }
    return LabelSelector.fromJson(json);
  }

  /** True when the selector has neither labels nor expressions (it would select everything). */
  public static boolean isEmpty(io.fabric8.kubernetes.api.model.LabelSelector s) {
    return s != null && (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
        && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
  }

  public static Map<String, String> labels(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }
}
