package io.kava.api.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where the value of one top-level field lies in a JSON object's bytes, found by skipping over the other values
 * without parsing them: for cutting a part out of JSON that is already serialized (a cached object's metadata)
 * instead of parsing it into a tree and writing that again.
 *
 * @param start offset of the value's first byte
 * @param end   offset just past its last byte
 */
public record TopLevelField(int start, int end) {

  /**
   * The span of the value of {@code name} in the JSON object {@code json}; null when the field is absent, its name is
   * written with escapes, or the bytes are not a JSON object (callers then parse).
   */
  public static TopLevelField find(byte[] json, String name) {
    byte[] key = ('"' + name + '"').getBytes(StandardCharsets.UTF_8);
    int n = json.length;
    int i = skipWhitespace(json, 0);
    if (i >= n || json[i] != '{') return null;
    i++;
    while (true) {
      i = skipWhitespace(json, i);
      if (i >= n || json[i] != '"') return null; // '}' (absent) or not JSON
      int keyStart = i;
      i = skipString(json, i);
      if (i < 0) return null;
      boolean match = Arrays.equals(json, keyStart, i, key, 0, key.length);
      i = skipWhitespace(json, i);
      if (i >= n || json[i] != ':') return null;
      int valueStart = skipWhitespace(json, i + 1);
      i = skipValue(json, valueStart);
      if (i < 0) return null;
      if (match) return new TopLevelField(valueStart, i);
      i = skipWhitespace(json, i);
      if (i >= n || json[i] != ',') return null;
      i++;
    }
  }

  static int skipWhitespace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
    return i;
  }

  /** Just past the string that opens at {@code i}, or -1. */
  static int skipString(byte[] b, int i) {
    for (int j = i + 1; j < b.length; j++) {
      if (b[j] == '\\') j++;
      else if (b[j] == '"') return j + 1;
    }
    return -1;
  }

  /** Just past the value that starts at {@code i}, or -1. */
  static int skipValue(byte[] b, int i) {
    if (i >= b.length) return -1;
    byte c = b[i];
    if (c == '"') return skipString(b, i);
    if (c == '{' || c == '[') {
      int depth = 0;
      for (int j = i; j < b.length; j++) {
        byte x = b[j];
        if (x == '"') {
          j = skipString(b, j);
          if (j < 0) return -1;
          j--;
        } else if (x == '{' || x == '[') {
          depth++;
        } else if (x == '}' || x == ']') {
          if (--depth == 0) return j + 1;
        }
      }
      return -1;
    }
    int j = i;
    while (j < b.length && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t') j++;
    return j == i ? -1 : j;
  }
}
