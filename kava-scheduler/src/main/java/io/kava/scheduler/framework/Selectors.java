package io.kava.scheduler.framework;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.kava.api.selector.InvalidSelectorException;
import io.kava.api.selector.LabelRequirement;
import io.kava.api.selector.LabelSelector;
import io.kava.api.selector.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** fabric8 selector types turned into kava-api selectors, with upstream's meaning of null and empty. */
public final class Selectors {
  private Selectors() {}

  /** LabelSelectorAsSelector: null selects nothing, {@code {}} selects everything; an invalid one selects nothing. */
  public static LabelSelector of(io.fabric8.kubernetes.api.model.LabelSelector s) {
    if (s == null) return LabelSelector.nothing();
    List<LabelRequirement> reqs = new ArrayList<>();
    try {
      if (s.getMatchLabels() != null) {
        for (Map.Entry<String, String> e : s.getMatchLabels().entrySet()) {
          reqs.add(LabelRequirement.of(e.getKey(), Operator.EQUALS, List.of(e.getValue() == null ? "" : e.getValue())));
        }
      }
      if (s.getMatchExpressions() != null) {
        for (LabelSelectorRequirement r : s.getMatchExpressions()) {
          Operator op = switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "In" -> Operator.IN;
            case "NotIn" -> Operator.NOT_IN;
            case "Exists" -> Operator.EXISTS;
            case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
            default -> throw new InvalidSelectorException("bad operator " + r.getOperator());
          };
          reqs.add(LabelRequirement.of(r.getKey(), op, r.getValues() == null ? List.of() : r.getValues()));
        }
      }
    } catch (InvalidSelectorException e) {
      return LabelSelector.nothing();
    }
    return reqs.isEmpty() ? LabelSelector.everything() : LabelSelector.of(reqs);
  }

  /**
   * One node selector requirement (node affinity) as a label requirement; null when invalid (such a term matches
   * nothing). Gt and Lt compare integers.
   */
  public static LabelRequirement nodeRequirement(NodeSelectorRequirement r) {
    Operator op = switch (r.getOperator() == null ? "" : r.getOperator()) {
      case "In" -> Operator.IN;
      case "NotIn" -> Operator.NOT_IN;
      case "Exists" -> Operator.EXISTS;
      case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
      case "Gt" -> Operator.GREATER_THAN;
      case "Lt" -> Operator.LESS_THAN;
      default -> null;
    };
    if (op == null) return null;
    try {
      return LabelRequirement.of(r.getKey(), op, r.getValues() == null ? List.of() : r.getValues());
    } catch (InvalidSelectorException e) {
      return null;
    }
  }
}
