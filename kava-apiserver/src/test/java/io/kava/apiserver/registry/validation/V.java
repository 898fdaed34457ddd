package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.apiserver.registry.Validator;
import io.kava.apiserver.registry.defaults.KindDefaults;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Test helpers: parse, default like the server does, validate, and render the messages. */
final class V {
  private V() {}

  static final JsonMapper JSON = JsonMapper.builder().build();

  static final String DNS_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
      + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
      + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

  static ObjectNode json(String text) { return (ObjectNode) JSON.readTree(text); }

  /** The object after the kind's defaulting. */
  static ObjectNode defaulted(String group, String kind, String text) {
    ObjectNode o = json(text);
    KindDefaults.forKind(group, kind).apply(o);
    return o;
  }

  /** Messages of validating the defaulted object. */
  static List<String> create(String group, String kind, String text) {
    return messages(KindValidation.forKind(group, kind).validate(defaulted(group, kind, text)));
  }

  /** Messages of validating an update of defaulted objects. */
  static List<String> update(String group, String kind, String now, String old) {
    Validator v = KindValidation.forKind(group, kind);
    return messages(v.validateUpdate(defaulted(group, kind, now), defaulted(group, kind, old)));
  }

  static List<String> messages(List<FieldError> errs) { return errs.stream().map(FieldError::message).toList(); }

  /** A pod JSON with the given containers array text. */
  static String pod(String containers) {
    return "{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},\"spec\":{\"containers\":" + containers + "}}";
  }
}
