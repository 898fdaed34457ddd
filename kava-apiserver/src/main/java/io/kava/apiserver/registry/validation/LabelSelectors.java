package io.kava.apiserver.registry.validation;

import io.kava.api.selector.InvalidSelectorException;
import io.kava.api.selector.LabelSelector;
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
 * failure, and matching against a label set through kava-api's {@code LabelSelector}.
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
    try {
      LabelSelector.fromJson(sel);
      return true;
    } catch (InvalidSelectorException e) {
      return false;
    }
  }

  /** No matchLabels and no matchExpressions. */
  public static boolean isEmpty(JsonNode sel) {
    return sel == null || (Tree.size(sel, "matchLabels") == 0 && Tree.size(sel, "matchExpressions") == 0);
  }

  /**
   * LabelSelectorAsSelector(sel).Matches(labels): a nil selector matches nothing, an empty one everything, one that
   * does not convert nothing (its errors are reported by {@link #validate}).
   */
  public static boolean matches(JsonNode sel, Map<String, String> labels) {
    try {
      return LabelSelector.fromJson(sel).matches(labels == null ? Map.of() : labels);
    } catch (InvalidSelectorException e) {
      return false;
    }
  }

  /** labels.Set(selector).AsSelector().Matches(labels) for map selectors (RC, Service): empty matches everything. */
  public static boolean mapMatches(Map<String, String> selector, Map<String, String> labels) {
    return selector == null || LabelSelector.fromSet(selector).matches(labels == null ? Map.of() : labels);
  }
}
