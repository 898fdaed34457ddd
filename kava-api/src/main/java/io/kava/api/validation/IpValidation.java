package io.kava.api.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * IP and CIDR validation as upstream's util/validation/ip.go (IsValidIP, IsValidCIDR and the legacy-field variants),
 * plus the small literal parser and formatter they need. Pure string handling: never resolves names.
 */
public final class IpValidation {
  private IpValidation() {}

  public static final String INVALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
  public static final String INVALID_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

  /** IsValidIP: a strict, canonical IPv4 or IPv6 address (no leading zeros, no IPv4-mapped IPv6). */
  public static List<FieldError> isValidIP(FieldPath path, String value) {
    List<FieldError> errs = new ArrayList<>(1);
    byte[] ip = parseIP(path, value, true, errs);
    if (!errs.isEmpty()) return errs;
    String canonical = format(ip);
    if (!value.equals(canonical)) {
      errs.add(FieldError.invalid(path.toString(), value, "must be in canonical form (" + quote(canonical) + ")"));
    }
    return errs;
  }

  /** IsValidIPForLegacyField: sloppy parsing unless {@code strict}; values in {@code validOld} always pass. */
  public static List<FieldError> isValidIPForLegacyField(FieldPath path, String value, boolean strict, List<String> validOld) {
    if (validOld != null && validOld.contains(value)) return List.of();
    List<FieldError> errs = new ArrayList<>(1);
    parseIP(path, value, strict, errs);
    return errs;
  }

  /** IsValidCIDR: a strict, canonical CIDR (no bits set beyond the prefix length). */
  public static List<FieldError> isValidCIDR(FieldPath path, String value) {
    List<FieldError> errs = new ArrayList<>(1);
    Cidr cidr = parseCIDR(path, value, true, errs);
    if (!errs.isEmpty()) return errs;
    String canonical = cidr.toString();
    if (!value.equals(canonical)) {
      errs.add(FieldError.invalid(path.toString(), value, "must be in canonical form (" + quote(canonical) + ")"));
    }
    return errs;
  }

  /** IsValidCIDRForLegacyField. */
  public static List<FieldError> isValidCIDRForLegacyField(FieldPath path, String value, boolean strict, List<String> validOld) {
    if (validOld != null && validOld.contains(value)) return List.of();
    List<FieldError> errs = new ArrayList<>(1);
    parseCIDR(path, value, strict, errs);
    return errs;
  }

  private static byte[] parseIP(FieldPath path, String value, boolean strict, List<FieldError> errs) {
    byte[] ip = parse(value, false);
    if (ip == null) {
      errs.add(FieldError.invalid(path.toString(), value, INVALID_IP));
      return null;
    }
    if (strict) {
      if (parse(value, true) == null) errs.add(FieldError.invalid(path.toString(), value, "must not have leading 0s"));
      if (isIPv4Mapped(ip) && value.indexOf(':') >= 0) {
        errs.add(FieldError.invalid(path.toString(), value, "must not be an IPv4-mapped IPv6 address"));
      }
    }
    return ip;
  }

  private static Cidr parseCIDR(FieldPath path, String value, boolean strict, List<FieldError> errs) {
    Cidr cidr = parseCidr(value, false);
    if (cidr == null) {
      errs.add(FieldError.invalid(path.toString(), value, INVALID_CIDR));
      return null;
    }
    if (strict) {
      Cidr strictCidr = parseCidr(value, true);
      if (strictCidr == null) {
        errs.add(FieldError.invalid(path.toString(), value, "must not have leading 0s in IP or prefix length"));
      } else if (strictCidr.address.length == 16 && isIPv4Mapped(strictCidr.address)) {
        errs.add(FieldError.invalid(path.toString(), value, "must not have an IPv4-mapped IPv6 address"));
      } else if (!java.util.Arrays.equals(strictCidr.address, strictCidr.network())) {
        errs.add(FieldError.invalid(path.toString(), value, "must not have bits set beyond the prefix length"));
      }
    }
    return cidr;
  }

  // ---- literals --------------------------------------------------------------------------------------------------

  /** A parsed CIDR: the address as written (4 or 16 bytes) and the prefix length. */
  public record Cidr(byte[] address, int prefixLength) {
    /** The address with the host bits cleared. */
    public byte[] network() {
      byte[] n = address.clone();
      for (int i = 0; i < n.length; i++) {
        int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
        n[i] = (byte) (n[i] & (0xff << (8 - bits)));
      }
      return n;
    }

    /** Go's IPNet.String(): the network address and the prefix length. */
    @Override
    public String toString() { return format(network()) + "/" + prefixLength; }
  }

  /**
   * Parses an IP literal: 4 bytes for dotted IPv4, 16 for IPv6 (which may end in dotted IPv4). Sloppy mode (Go's
   * legacy ParseIP) accepts leading zeros in IPv4 parts as decimal; strict mode (netip.ParseAddr) does not. Zones
   * are rejected. Returns null when the text is not an address.
   */
  public static byte[] parse(String s, boolean strict) {
    if (s == null || s.isEmpty()) return null;
    if (s.indexOf(':') < 0) return parseIPv4(s, 0, s.length(), strict);
    return parseIPv6(s, strict);
  }

  /** Parses {@code addr/len}; null if invalid. IPv4 addresses give 4-byte addresses. */
  public static Cidr parseCidr(String s, boolean strict) {
    int slash = s.indexOf('/');
    if (slash < 0) return null;
    byte[] ip = parse(s.substring(0, slash), strict);
    if (ip == null) return null;
    String mask = s.substring(slash + 1);
    if (mask.isEmpty() || mask.length() > 3) return null;
    for (int i = 0; i < mask.length(); i++) if (mask.charAt(i) < '0' || mask.charAt(i) > '9') return null;
    if (strict && mask.length() > 1 && mask.charAt(0) == '0') return null;
    int n = Integer.parseInt(mask);
    if (n > ip.length * 8) return null;
    return new Cidr(ip, n);
  }

  private static byte[] parseIPv4(String s, int from, int to, boolean strict) {
    byte[] out = new byte[4];
    int part = 0;
    int i = from;
    while (part < 4) {
      int start = i;
      int v = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        v = v * 10 + (s.charAt(i) - '0');
        if (v > 255) return null;
        i++;
      }
      int digits = i - start;
      if (digits == 0) return null;
      if (strict && digits > 1 && s.charAt(start) == '0') return null;
      out[part++] = (byte) v;
      if (part < 4) {
        if (i >= to || s.charAt(i) != '.') return null;
        i++;
      }
    }
    return i == to ? out : null;
  }

  private static byte[] parseIPv6(String s, boolean strict) {
    if (s.indexOf('%') >= 0) return null;
    byte[] out = new byte[16];
    int n = s.length();
    int i = 0;
    int pos = 0;          // next byte to write
    int ellipsis = -1;    // byte position of "::"
    if (n >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
      ellipsis = 0;
      i = 2;
      if (i == n) return out;
    }
    while (pos < 16) {
      int start = i;
      int v = 0;
      while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 5) {
        v = v * 16 + Character.digit(s.charAt(i), 16);
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4) return null;
      if (i < n && s.charAt(i) == '.') {
        // embedded IPv4 in the last 32 bits
        if (ellipsis < 0 && pos != 12) return null;
        if (pos + 4 > 16) return null;
        byte[] v4 = parseIPv4(s, start, n, strict);
        if (v4 == null) return null;
        System.arraycopy(v4, 0, out, pos, 4);
        pos += 4;
        i = n;
        break;
      }
      out[pos++] = (byte) (v >> 8);
      out[pos++] = (byte) v;
      if (i == n) break;
      if (s.charAt(i) != ':' || i + 1 == n) return null;
      i++;
      if (s.charAt(i) == ':') {
        if (ellipsis >= 0) return null;
        ellipsis = pos;
        i++;
        if (i == n) break;
      }
    }
    if (i != n) return null;
    if (pos < 16) {
      if (ellipsis < 0) return null;
      int tail = pos - ellipsis;
      System.arraycopy(out, ellipsis, out, 16 - tail, tail);
      for (int k = ellipsis; k < 16 - tail; k++) out[k] = 0;
    } else if (ellipsis >= 0 && ellipsis != 16) {
      // "::" must stand for at least one group
      return null;
    }
    return out;
  }

  /** True for a 16-byte address in ::ffff:0:0/96. */
  public static boolean isIPv4Mapped(byte[] ip) {
    if (ip.length != 16) return false;
    for (int i = 0; i < 10; i++) if (ip[i] != 0) return false;
    return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
  }

  /**
   * Go's net.IP.String(): dotted IPv4 for 4-byte and IPv4-mapped addresses, otherwise RFC 5952 (lower-case hex, the
   * longest run of two or more zero groups shortened to "::").
   */
  public static String format(byte[] ip) {
    if (ip.length == 4 || isIPv4Mapped(ip)) {
      int o = ip.length - 4;
      return (ip[o] & 0xff) + "." + (ip[o + 1] & 0xff) + "." + (ip[o + 2] & 0xff) + "." + (ip[o + 3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((ip[2 * i] & 0xff) << 8) | (ip[2 * i + 1] & 0xff);
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static String quote(String s) { return "\"" + s + "\""; }
}
