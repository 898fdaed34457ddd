package io.kava.api.validation;

import java.util.List;

/**
 * How a kind's object names are validated (upstream's ValidateNameFunc). {@code prefix} is true when the value is a
 * {@code generateName} prefix, which may end in '-'. Returns the problems; empty means valid.
 */
@FunctionalInterface
public interface NameRule {
  List<String> validate(String name, boolean prefix);

  /** Most kinds: a DNS subdomain (at most 253 characters). */
  NameRule DNS_SUBDOMAIN = NameValidation::nameIsDNSSubdomain;
  /** Namespaces and a few others: a DNS label (at most 63, no dots). */
  NameRule DNS_LABEL = NameValidation::nameIsDNSLabel;
  /** Services: a DNS-1035 label (starts with a letter). */
  NameRule DNS1035_LABEL = NameValidation::nameIsDNS1035Label;
  /** RBAC kinds and others whose names only need to be safe in a URL path segment. */
  NameRule PATH_SEGMENT = NameValidation::validatePathSegmentName;
}
