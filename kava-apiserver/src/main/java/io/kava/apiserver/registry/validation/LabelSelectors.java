package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * metav1.LabelSelector checks over JSON: ValidateLabelSelector's messages, LabelSelectorAsSelector's success or
 * failure, and matching against a label set. Minimal stand-in for {@code io.kava.api.selector.LabelSelector}.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  /** unversioned ValidateLabels: keys must be qualified names, values valid label values; errors on the map path. */
  public static List<FieldError> validateLabels(Map<String, String> labels, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (labels == null) return errs;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      errs.addAll(validateLabelName(e.getKey(), path));
      for (String msg : NameValidation.isValidLabelValue(e.getValue())) errs.add(Errs.invalid(path, e.getValue(), msg));
    }
    return errs;
  }

  /** ValidateLabelName. */
  public static List<FieldError> validateLabelName(String name, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    for (String msg : NameValidation.isQualifiedName(name)) errs.add(Errs.invalid(path, name, msg));
    return errs;
  }

  /** ValidateLabelSelector (null selector is valid). */
  public static List<FieldError> validate(JsonNode sel, FieldPath path, boolean allowInvalidValues) {
    List<FieldError> errs = new ArrayList<>();
    if (sel == null) return errs;
    errs.addAll(validateLabels(Tree.strMap(sel, "matchLabels"), path.child("matchLabels")));
    int i = 0;
    for (JsonNode req : Tree.list(sel, "matchExpressions")) {
      FieldPath rp = path.child("matchExpressions").index(i++);
      String op = Tree.str(req, "operator");
      int nValues = Tree.size(req, "values");
      switch (op) {
        case "In", "NotIn" -> {
          if (nValues == 0) errs.add(Errs.required(rp.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        case "Exists", "DoesNotExist" -> {
          if (nValues > 0) errs.add(Errs.forbidden(rp.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        default -> errs.add(Errs.invalid(rp.child("operator"), op, "not a valid selector operator"));
      }
      errs.addAll(validateLabelName(Tree.str(req, "key"), rp.child("key")));
      if (!allowInvalidValues) {
        List<String> values = Tree.strings(req, "values");
        for (int v = 0; v < values.size(); v++) {
          for (String msg : NameValidation.isValidLabelValue(values.get(v))) {
            errs.add(Errs.invalid(rp.child("values").index(v), values.get(v), msg));
          }
        }
      }
    }
    return errs;
  }

  /** True when LabelSelectorAsSelector would succeed (a nil selector converts, to "nothing"). */
  public static boolean convertible(JsonNode sel) {
    if (sel == null) return true;
    Map<String, String> ml = Tree.strMap(sel, "matchLabels");
    if (ml != null) {
      for (Map.Entry<String, String> e : ml.entrySet()) {
        if (!NameValidation.isQualifiedName(e.getKey()).isEmpty() || !NameValidation.isValidLabelValue(e.getValue()).isEmpty()) return false;
      }
    }
    for (JsonNode req : Tree.list(sel, "matchExpressions")) {
      String op = Tree.str(req, "operator");
      if (!OPERATORS.contains(op)) return false;
      int n = Tree.size(req, "values");
      if ((op.equals("In") || op.equals("NotIn")) && n == 0) return false;
      if ((op.equals("Exists") || op.equals("DoesNotExist")) && n > 0) return false;
      if (!NameValidation.isQualifiedName(Tree.str(req, "key")).isEmpty()) return false;
      for (String v : Tree.strings(req, "values")) if (!NameValidation.isValidLabelValue(v).isEmpty()) return false;
    }
    return true;
  }

  /** No matchLabels and no matchExpressions. */
  public static boolean isEmpty(JsonNode sel) {
    return sel == null || (Tree.size(sel, "matchLabels") == 0 && Tree.size(sel, "matchExpressions") == 0);
  }

  /**
   * LabelSelectorAsSelector(sel).Matches(labels): a nil selector matches nothing, an empty one everything.
   */
  public static boolean matches(JsonNode sel, Map<String, String> labels) {
    if (sel == null) return false;
    Map<String, String> l = labels == null ? Map.of() : labels;
    Map<String, String> ml = Tree.strMap(sel, "matchLabels");
    if (ml != null) {
      for (Map.Entry<String, String> e : ml.entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) return false;
      }
    }
    for (JsonNode req : Tree.list(sel, "matchExpressions")) {
      String key = Tree.str(req, "key");
      List<String> values = Tree.strings(req, "values");
      boolean present = l.containsKey(key);
      boolean ok = switch (Tree.str(req, "operator")) {
        case "In" -> present && values.contains(l.get(key));
        case "NotIn" -> !present || !values.contains(l.get(key));
        case "Exists" -> present;
        case "DoesNotExist" -> !present;
        default -> false;
      };
      if (!ok) return false;
    }
    return true;
  }

  /** labels.Set(selector).AsSelector().Matches(labels) for map selectors (RC, Service): empty matches everything. */
  public static boolean mapMatches(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null) return true;
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(l.get(e.getKey()))) return false;
    }
    return true;
  }
}
