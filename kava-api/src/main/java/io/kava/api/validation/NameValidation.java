package io.kava.api.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Upstream's string-format validators (k8s.io/apimachinery util/validation and api/validate/content), with their
 * exact messages. Each returns the list of problems; an empty list means valid. Lengths are counted in UTF-8 bytes,
 * as Go's {@code len} does.
 *
 * <p>Two length messages exist upstream and both are kept: the DNS-name validators say "must be no more than N
 * characters", while label keys and values (which moved to the content package) say "... N bytes".
 */
public final class NameValidation {
  private NameValidation() {}

  public static final int DNS1123_LABEL_MAX_LENGTH = 63;
  public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
  public static final int DNS1035_LABEL_MAX_LENGTH = 63;
  public static final int LABEL_VALUE_MAX_LENGTH = 63;
  public static final int QUALIFIED_NAME_MAX_LENGTH = 63;

  // ---- DNS names -------------------------------------------------------------------------------------------------

  public static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  public static final String DNS1123_LABEL_ERR_MSG =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  public static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  public static final String DNS1123_SUBDOMAIN_ERR_MSG =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  public static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  public static final String DNS1035_LABEL_ERR_MSG =
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
  private static final String WILDCARD_DNS1123_SUBDOMAIN_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT;
  private static final String WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG =
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

  private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
  private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
  private static final Pattern WILDCARD_DNS1123_SUBDOMAIN = Pattern.compile(WILDCARD_DNS1123_SUBDOMAIN_FMT);

  /** IsDNS1123Label: a DNS label (RFC 1123), e.g. namespace names. */
  public static List<String> isDNS1123Label(String value) {
    List<String> errs = new ArrayList<>(1);
    if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
    if (!DNS1123_LABEL.matcher(value).matches()) {
      if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
        errs.add("must not contain dots");
      } else {
        errs.add(regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
      }
    }
    return errs;
  }

  /** IsDNS1123Subdomain: a DNS subdomain (RFC 1123), the name rule of most kinds. */
  public static List<String> isDNS1123Subdomain(String value) {
    return dns1123Subdomain(value, maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  }

  private static List<String> dns1123Subdomain(String value, String tooLong) {
    List<String> errs = new ArrayList<>(1);
    if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.add(tooLong);
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return errs;
  }

  /** IsDNS1035Label: a DNS label that starts with a letter, e.g. Service names. */
  public static List<String> isDNS1035Label(String value) {
    List<String> errs = new ArrayList<>(1);
    if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.add(maxLenError(DNS1035_LABEL_MAX_LENGTH));
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errs.add(regexError(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
    }
    return errs;
  }

  /** IsWildcardDNS1123Subdomain: {@code *.example.com}. */
  public static List<String> isWildcardDNS1123Subdomain(String value) {
    List<String> errs = new ArrayList<>(1);
    if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
    if (!WILDCARD_DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError(WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, "*.example.com"));
    }
    return errs;
  }

  // ---- label keys and values (qualified names) -------------------------------------------------------------------

  public static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  public static final String QUALIFIED_NAME_ERR_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  public static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  public static final String LABEL_VALUE_ERR_MSG =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);

  /**
   * IsQualifiedName (IsLabelKey): {@code name} or {@code prefix/name}, where the prefix is a DNS subdomain and the
   * name at most 63 characters. Used for label keys, annotation keys (lower-cased first) and finalizers.
   */
  public static List<String> isQualifiedName(String value) {
    List<String> errs = new ArrayList<>(1);
    String name;
    int slash = value.indexOf('/');
    if (slash < 0) {
      name = value;
    } else if (value.indexOf('/', slash + 1) < 0) {
      String prefix = value.substring(0, slash);
      name = value.substring(slash + 1);
      if (prefix.isEmpty()) {
        errs.add("prefix part " + emptyError());
      } else {
        for (String msg : dns1123Subdomain(prefix, bytesMaxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH))) {
          errs.add("prefix part " + msg);
        }
      }
    } else {
      errs.add("a valid label key " + regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part " + emptyError());
    } else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) {
      errs.add("name part " + bytesMaxLenError(QUALIFIED_NAME_MAX_LENGTH));
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add("name part " + regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  /** IsValidLabelValue: empty, or a qualified name's name part (at most 63). */
  public static List<String> isValidLabelValue(String value) {
    List<String> errs = new ArrayList<>(1);
    if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.add(bytesMaxLenError(LABEL_VALUE_MAX_LENGTH));
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  // ---- ports, identifiers, keys ----------------------------------------------------------------------------------

  private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
  private static final Pattern PORT_NAME_ONE_LETTER = Pattern.compile("[a-z]");

  /** IsValidPortName: an IANA_SVC_NAME (at most 15 characters, at least one letter, no double hyphens). */
  public static List<String> isValidPortName(String port) {
    List<String> errs = new ArrayList<>(1);
    if (byteLength(port) > 15) errs.add(maxLenError(15));
    if (!PORT_NAME_CHARSET.matcher(port).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!PORT_NAME_ONE_LETTER.matcher(port).find()) errs.add("must contain at least one letter (a-z)");
    if (port.contains("--")) errs.add("must not contain consecutive hyphens");
    if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  /** IsValidPortNum: 1..65535. */
  public static List<String> isValidPortNum(long port) {
    return isInRange(port, 1, 65535);
  }

  public static List<String> isInRange(long value, long min, long max) {
    if (value >= min && value <= max) return List.of();
    return List.of(inclusiveRangeError(min, max));
  }

  /** IsValidUserID / IsValidGroupID: 0..2147483647. */
  public static List<String> isValidUserID(long uid) { return isInRange(uid, 0, Integer.MAX_VALUE); }

  public static List<String> isValidGroupID(long gid) { return isInRange(gid, 0, Integer.MAX_VALUE); }

  private static final String C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern C_IDENTIFIER = Pattern.compile(C_IDENTIFIER_FMT);

  /** IsCIdentifier. */
  public static List<String> isCIdentifier(String value) {
    if (C_IDENTIFIER.matcher(value).matches()) return List.of();
    return List.of(regexError(
        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
        C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName"));
  }

  private static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
  private static final Pattern CONFIG_MAP_KEY = Pattern.compile(CONFIG_MAP_KEY_FMT);

  /** IsConfigMapKey: keys of ConfigMap and Secret data. */
  public static List<String> isConfigMapKey(String value) {
    List<String> errs = new ArrayList<>(1);
    if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
    if (!CONFIG_MAP_KEY.matcher(value).matches()) {
      errs.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
          CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
    }
    errs.addAll(hasChDirPrefix(value));
    return errs;
  }

  private static final String ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
  private static final Pattern ENV_VAR_NAME = Pattern.compile(ENV_VAR_NAME_FMT);

  /** IsEnvVarName (strict form). */
  public static List<String> isEnvVarName(String value) {
    List<String> errs = new ArrayList<>(1);
    if (!ENV_VAR_NAME.matcher(value).matches()) {
      errs.add(regexError(
          "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
          ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
    }
    errs.addAll(hasChDirPrefix(value));
    return errs;
  }

  /** IsRelaxedEnvVarName: any printable ASCII except '=' (the default since 1.34). */
  public static List<String> isRelaxedEnvVarName(String value) {
    List<String> errs = new ArrayList<>(1);
    if (value.isEmpty()) errs.add("environment variable name " + emptyError());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '=') {
        errs.add("a valid environment variable name must consist only of printable ASCII characters other than '='");
        break;
      }
    }
    return errs;
  }

  private static final String PERCENT_FMT = "[0-9]+%";
  private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);

  /** IsValidPercent: {@code 25%}. */
  public static List<String> isValidPercent(String value) {
    if (PERCENT.matcher(value).matches()) return List.of();
    return List.of(regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, "1%", "93%"));
  }

  private static final String HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+";
  private static final Pattern HTTP_HEADER_NAME = Pattern.compile(HTTP_HEADER_NAME_FMT);

  /** IsHTTPHeaderName. */
  public static List<String> isHTTPHeaderName(String value) {
    if (HTTP_HEADER_NAME.matcher(value).matches()) return List.of();
    return List.of(regexError("a valid HTTP header must consist of alphanumeric characters or '-'", HTTP_HEADER_NAME_FMT, "X-Header-Name"));
  }

  // ---- path segments (names that appear in URLs) -----------------------------------------------------------------

  /** IsValidPathSegmentName: not "." or "..", and no "/" or "%". */
  public static List<String> isValidPathSegmentName(String name) {
    if (name.equals(".")) return List.of("may not be '.'");
    if (name.equals("..")) return List.of("may not be '..'");
    return isValidPathSegmentPrefix(name);
  }

  /** IsValidPathSegmentPrefix: no "/" or "%" (a generateName prefix may be "." or ".."). */
  public static List<String> isValidPathSegmentPrefix(String name) {
    List<String> errs = new ArrayList<>(0);
    if (name.contains("/")) errs.add("may not contain '/'");
    if (name.contains("%")) errs.add("may not contain '%'");
    return errs;
  }

  // ---- name functions for object names (ValidateNameFunc), with generateName handling ----------------------------

  /** NameIsDNSSubdomain; with {@code prefix} (a generateName) a trailing '-' is allowed. */
  public static List<String> nameIsDNSSubdomain(String name, boolean prefix) {
    return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
  }

  /** NameIsDNSLabel (also ValidateNamespaceName). */
  public static List<String> nameIsDNSLabel(String name, boolean prefix) {
    return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
  }

  /** NameIsDNS1035Label (Service names). */
  public static List<String> nameIsDNS1035Label(String name, boolean prefix) {
    return isDNS1035Label(prefix ? maskTrailingDash(name) : name);
  }

  /** ValidatePathSegmentName (RBAC objects and other kinds whose names only need to be URL-safe). */
  public static List<String> validatePathSegmentName(String name, boolean prefix) {
    return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
  }

  /**
   * Upstream's maskTrailingDash: a generateName prefix may end in '-', so the last two characters are replaced by
   * "a" before checking (the generated suffix makes the real name end in an alphanumeric).
   */
  static String maskTrailingDash(String name) {
    if (name.length() > 1 && name.endsWith("-")) return name.substring(0, name.length() - 2) + "a";
    return name;
  }

  // ---- message helpers (exact upstream wording) ------------------------------------------------------------------

  /** util/validation.MaxLenError. */
  public static String maxLenError(int length) { return "must be no more than " + length + " characters"; }

  /** content.MaxLenError (label keys and values). */
  public static String bytesMaxLenError(int length) { return "must be no more than " + length + " bytes"; }

  public static String emptyError() { return "must be non-empty"; }

  public static String inclusiveRangeError(long lo, long hi) { return "must be between " + lo + " and " + hi + ", inclusive"; }

  /** RegexError: {@code msg (e.g. 'a' or 'b', regex used for validation is 're')}. */
  public static String regexError(String msg, String regex, String... examples) {
    if (examples.length == 0) return msg + " (regex used for validation is '" + regex + "')";
    StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) sb.append(" or ");
      sb.append('\'').append(examples[i]).append("', ");
    }
    return sb.append("regex used for validation is '").append(regex).append("')").toString();
  }

  private static List<String> hasChDirPrefix(String value) {
    if (value.equals(".")) return List.of("must not be '.'");
    if (value.equals("..")) return List.of("must not be '..'");
    if (value.startsWith("..")) return List.of("must not start with '..'");
    return List.of();
  }

  /** The UTF-8 length of one code point (no String or array per character, as on every managedFields check). */
  public static int utf8Length(int codePoint) {
    if (codePoint < 0x80) return 1;
    if (codePoint < 0x800) return 2;
    return codePoint < 0x10000 ? 3 : 4;
  }

  /** Length in UTF-8 bytes (Go's {@code len(string)}). */
  public static int byteLength(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) return s.getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }
}
