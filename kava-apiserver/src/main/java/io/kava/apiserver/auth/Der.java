package io.kava.apiserver.auth;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The little DER (ASN.1 distinguished encoding) needed to build X.509 certificates and to read names and key
 * identifiers out of them. Kept on the JDK alone: loading BouncyCastle's signed provider jar costs 1.5 to 3 seconds
 * on first use (JAR signature verification), which does not fit the first-start budget; see CertificateAuthority.
 */
final class Der {
  private Der() {}

  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int PRINTABLE_STRING = 0x13;
  static final int T61_STRING = 0x14;
  static final int IA5_STRING = 0x16;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int UNIVERSAL_STRING = 0x1c;
  static final int BMP_STRING = 0x1e;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  // ---- writing ---------------------------------------------------------------------------------------------------

  /** A TLV with the given tag and content. */
  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) out.write(len >>> (8 * i));
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... items) { return tlv(SEQUENCE, concat(items)); }

  static byte[] set(byte[]... items) { return tlv(SET, concat(items)); }

  static byte[] integer(BigInteger v) { return tlv(INTEGER, v.toByteArray()); }

  static byte[] integer(long v) { return integer(BigInteger.valueOf(v)); }

  static byte[] bool(boolean v) { return tlv(BOOLEAN, new byte[] {(byte) (v ? 0xff : 0)}); }

  static byte[] octetString(byte[] v) { return tlv(OCTET_STRING, v); }

  static byte[] nul() { return new byte[] {NULL, 0}; }

  /** A BIT STRING of whole bytes (no unused bits). */
  static byte[] bitString(byte[] v) {
    byte[] c = new byte[v.length + 1];
    System.arraycopy(v, 0, c, 1, v.length);
    return tlv(BIT_STRING, c);
  }

  /** A named-bit BIT STRING (bit 0 is the most significant bit of the first byte), trailing zero bits dropped. */
  static byte[] namedBits(int... bits) {
    int max = 0;
    for (int b : bits) max = Math.max(max, b);
    byte[] v = new byte[max / 8 + 1];
    for (int b : bits) v[b / 8] |= (byte) (0x80 >>> (b % 8));
    int unused = 7 - (max % 8);
    byte[] c = new byte[v.length + 1];
    c[0] = (byte) unused;
    System.arraycopy(v, 0, c, 1, v.length);
    return tlv(BIT_STRING, c);
  }

  static byte[] oid(String dotted) {
    String[] parts = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeBase128(out, Long.parseLong(parts[0]) * 40 + Long.parseLong(parts[1]));
    for (int i = 2; i < parts.length; i++) writeBase128(out, Long.parseLong(parts[i]));
    return tlv(OID, out.toByteArray());
  }

  private static void writeBase128(ByteArrayOutputStream out, long v) {
    int groups = 1;
    for (long t = v >>> 7; t != 0; t >>>= 7) groups++;
    for (int i = groups - 1; i >= 0; i--) {
      int b = (int) ((v >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? b : b | 0x80);
    }
  }

  static byte[] utf8(String s) { return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8)); }

  /** Context-specific tag {@code [n]}: constructed (EXPLICIT, or IMPLICIT over a constructed type) or primitive. */
  static byte[] tagged(int n, boolean constructed, byte[] content) { return tlv(0x80 | (constructed ? 0x20 : 0) | n, content); }

  /** RFC 5280 validity time: UTCTime through 2049, GeneralizedTime from 2050. */
  static byte[] time(Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    if (z.getYear() >= 1950 && z.getYear() < 2050) {
      return tlv(UTC_TIME, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(z).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(GENERALIZED_TIME, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(z).getBytes(StandardCharsets.US_ASCII));
  }

  // ---- reading ---------------------------------------------------------------------------------------------------

  /** One decoded element: its tag and content bytes. */
  record Element(int tag, byte[] content) {
    /** The elements inside a constructed element. */
    List<Element> children() { return readAll(content); }

    String oidString() {
      StringBuilder sb = new StringBuilder();
      long v = 0;
      boolean first = true;
      for (byte b : content) {
        v = (v << 7) | (b & 0x7f);
        if ((b & 0x80) == 0) {
          if (first) {
            long a = Math.min(v / 40, 2);
            sb.append(a).append('.').append(v - 40 * a);
            first = false;
          } else {
            sb.append('.').append(v);
          }
          v = 0;
        }
      }
      return sb.toString();
    }

    /** The text of a string type, or null for other types. */
    String string() {
      return switch (tag) {
        case UTF8_STRING, PRINTABLE_STRING, IA5_STRING -> new String(content, StandardCharsets.UTF_8);
        case T61_STRING -> new String(content, StandardCharsets.ISO_8859_1);
        case BMP_STRING -> new String(content, StandardCharsets.UTF_16BE);
        case UNIVERSAL_STRING -> new String(content, java.nio.charset.Charset.forName("UTF-32BE"));
        default -> null;
      };
    }
  }

  /** Decodes one element at the start of {@code der}. */
  static Element read(byte[] der) {
    List<Element> all = readAll(der);
    if (all.isEmpty()) throw new IllegalArgumentException("empty DER");
    return all.get(0);
  }

  /** Decodes consecutive elements. */
  static List<Element> readAll(byte[] der) {
    List<Element> out = new ArrayList<>();
    int i = 0;
    while (i < der.length) {
      int tag = der[i++] & 0xff;
      if ((tag & 0x1f) == 0x1f) throw new IllegalArgumentException("multi-byte DER tags are not supported");
      if (i >= der.length) throw new IllegalArgumentException("truncated DER");
      int len = der[i++] & 0xff;
      if (len >= 0x80) {
        int n = len & 0x7f;
        if (n == 0 || n > 4) throw new IllegalArgumentException("unsupported DER length");
        len = 0;
        for (int k = 0; k < n; k++) {
          if (i >= der.length) throw new IllegalArgumentException("truncated DER");
          len = (len << 8) | (der[i++] & 0xff);
        }
      }
      if (len < 0 || i + len > der.length) throw new IllegalArgumentException("truncated DER");
      byte[] c = new byte[len];
      System.arraycopy(der, i, c, 0, len);
      out.add(new Element(tag, c));
      i += len;
    }
    return out;
  }

  /** The subjectPublicKey bits of a SubjectPublicKeyInfo (what the key identifiers hash). */
  static byte[] subjectPublicKeyBits(byte[] spki) {
    Element bits = read(spki).children().get(1);
    byte[] c = bits.content();
    byte[] out = new byte[c.length - 1];
    System.arraycopy(c, 1, out, 0, out.length);
    return out;
  }
}
