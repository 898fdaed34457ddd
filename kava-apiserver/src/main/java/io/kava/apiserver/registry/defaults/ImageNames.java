package io.kava.apiserver.registry.defaults;

import java.util.regex.Pattern;

/**
 * The tag of a container image reference, as the kubelet's parsers.ParseImageName reports it: the tag written after
 * the last ':' of the name, "latest" when neither a tag nor a digest is given, and "" when the reference does not
 * parse (upstream then ignores the error, so the pull policy becomes IfNotPresent).
 */
public final class ImageNames {
  private ImageNames() {}

  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?";
  private static final Pattern NAME = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

  /** The tag; "latest" when untagged and undigested; "" when the reference is invalid. */
  public static String tag(String image) {
    if (image == null || image.isEmpty()) return "";
    String ref = image;
    String digest = null;
    int at = ref.indexOf('@');
    if (at >= 0) {
      digest = ref.substring(at + 1);
      ref = ref.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) return "";
    }
    String tag = null;
    int colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      tag = ref.substring(colon + 1);
      ref = ref.substring(0, colon);
      if (!TAG.matcher(tag).matches()) return "";
    }
    if (ref.isEmpty() || ref.length() > 255 || HEX64.matcher(ref).matches()) return "";
    // a first component is a registry host only when it looks like one; otherwise it must be a lower-case path
    int slash = ref.indexOf('/');
    String first = slash < 0 ? ref : ref.substring(0, slash);
    boolean domain = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase()));
    String path = domain ? ref.substring(slash + 1) : ref;
    if (!NAME.matcher(domain ? first + "/" + path : path).matches()) return "";
    if (tag != null) return tag;
    return digest != null ? "" : "latest";
  }

  /** SetDefaults_Container's rule: Always for ":latest" (or no tag and no digest), otherwise IfNotPresent. */
  public static String defaultPullPolicy(String image) { return tag(image).equals("latest") ? "Always" : "IfNotPresent"; }
}
