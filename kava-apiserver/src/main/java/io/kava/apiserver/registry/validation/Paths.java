package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import java.util.ArrayList;
import java.util.List;

/** File-path rules of volume sources and mounts. */
final class Paths {
  private Paths() {}

  /** validatePathNoBacksteps. */
  static List<FieldError> noBacksteps(String target, FieldPath p) {
    for (String part : target.replace('\\', '/').split("/", -1)) {
      if (part.equals("..")) return List.of(Errs.invalid(p, target, "must not contain '..'"));
    }
    return List.of();
  }

  /** validateLocalDescendingPath. */
  static List<FieldError> localDescending(String target, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (target.startsWith("/")) errs.add(Errs.invalid(p, target, "must be a relative path"));
    errs.addAll(noBacksteps(target, p));
    return errs;
  }

  /** ValidateLocalNonReservedPath. */
  static List<FieldError> localNonReserved(String target, FieldPath p) {
    List<FieldError> errs = localDescending(target, p);
    if (target.startsWith("..") && !target.startsWith("../")) errs.add(Errs.invalid(p, target, "must not start with '..'"));
    return errs;
  }
}
