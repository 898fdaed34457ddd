package io.kava.node.env;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downward API {@code fieldRef} values of a pod, as upstream's fieldpath package and the kubelet's
 * {@code podFieldSelectorRuntimeValue} compute them.
 *
 * <p>The metadata paths ({@code metadata.name|namespace|uid|labels|annotations}, and the subscripted
 * {@code metadata.labels['k']}) are valid in volumes and env; the spec/status paths only in env, where the
 * caller passes the addresses the runtime knows (the pod status may not carry them yet when a container starts).
 */
public final class PodFields {
  private static final Pattern SUBSCRIPT = Pattern.compile("^(metadata\\.(?:labels|annotations))\\['(.*)'\\]$");

  private PodFields() {}

  /**
   * The value of a metadata field path, for the downwardAPI volume and env.
   *
   * @throws IllegalArgumentException "unsupported fieldPath: P" for any other path
   */
  public static String metadata(Pod pod, String fieldPath) {
    var meta = pod.getMetadata();
    Matcher m = SUBSCRIPT.matcher(fieldPath);
    if (m.matches()) {
      Map<String, String> map = m.group(1).equals("metadata.labels") ? meta.getLabels() : meta.getAnnotations();
      String v = map == null ? null : map.get(m.group(2));
      return v == null ? "" : v;
    }
    return switch (fieldPath) {
      case "metadata.name" -> nullToEmpty(meta.getName());
      case "metadata.namespace" -> nullToEmpty(meta.getNamespace());
      case "metadata.uid" -> nullToEmpty(meta.getUid());
      case "metadata.labels" -> formatMap(meta.getLabels());
      case "metadata.annotations" -> formatMap(meta.getAnnotations());
      default -> throw new IllegalArgumentException("unsupported fieldPath: " + fieldPath);
    };
  }

  /**
   * The value of any env {@code fieldRef}: the metadata paths plus {@code spec.nodeName},
   * {@code spec.serviceAccountName}, {@code status.hostIP(s)} and {@code status.podIP(s)}.
   *
   * @param hostIps the node's addresses, first the primary one (may be empty)
   * @param podIps the pod's addresses from the sandbox, first the primary one (may be empty)
   */
  public static String env(Pod pod, String fieldPath, List<String> hostIps, List<String> podIps) {
    return switch (fieldPath) {
      case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
      case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
      case "status.hostIP" -> hostIps.isEmpty() ? "" : hostIps.getFirst();
      case "status.hostIPs" -> String.join(",", hostIps);
      case "status.podIP" -> podIps.isEmpty() ? "" : podIps.getFirst();
      case "status.podIPs" -> String.join(",", podIps);
      default -> metadata(pod, fieldPath);
    };
  }

  /** Upstream's FormatMap: sorted {@code key="value"} lines (Go %q quoting), without a trailing newline. */
  public static String formatMap(Map<String, String> map) {
    if (map == null || map.isEmpty()) return "";
    StringBuilder b = new StringBuilder();
    for (var e : new TreeMap<>(map).entrySet()) {
      if (!b.isEmpty()) b.append('\n');
      b.append(e.getKey()).append('=').append(goQuote(e.getValue()));
    }
    return b.toString();
  }

  /** Go's strconv.Quote for the characters that occur in label and annotation values. */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case 0x07 -> b.append("\\a");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case 0x0b -> b.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", c));
          else if (!isPrintable(c)) b.append(c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
          else b.appendCodePoint(c);
        }
      }
    });
    return b.append('"').toString();
  }

  private static boolean isPrintable(int c) {
    int type = Character.getType(c);
    return c >= 0x20 && type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
        && type != Character.SURROGATE && type != Character.PRIVATE_USE
        && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
        && (type != Character.SPACE_SEPARATOR || c == ' ');
  }

  private static String nullToEmpty(String s) { return s == null ? "" : s; }
}
