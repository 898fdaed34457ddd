package io.kava.api.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Serialized JSON without one field of one of its top-level objects (for example {@code metadata.managedFields}), cut
 * out of the bytes by skipping over the other values, not by parsing and writing the object again.
 */
public final class NestedFieldCut {
  private final String parent;
  private final byte[] key;

  /** Cuts {@code field} out of the object that is the value of the top-level field {@code parent}. */
  public NestedFieldCut(String parent, String field) {
    this.parent = parent;
    this.key = ('"' + field + '"').getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code json} without the field: the same array when there is nothing to cut (or no parent the scan finds), null
   * when the parent's bytes are not what the scan understands (a field name written with escapes, a value cut short).
   * For JSON this server wrote, not for checking a client's.
   */
  public byte[] apply(byte[] json) {
    TopLevelField outer = TopLevelField.find(json, parent);
    if (outer == null) return json;
    int i = outer.start();
    int end = outer.end();
    if (json[i] != '{') return json;
    i++;
    int previousValueEnd = -1; // end of the member before the current one, or -1 for the first member
    while (true) {
      i = TopLevelField.skipWhitespace(json, i);
      if (i >= end) return null;
      if (json[i] == '}') return json; // absent
      if (json[i] != '"') return null;
      int keyStart = i;
      i = TopLevelField.skipString(json, i);
      if (i < 0 || i > end) return null;
      boolean match = Arrays.equals(json, keyStart, i, key, 0, key.length);
      i = TopLevelField.skipWhitespace(json, i);
      if (i >= end || json[i] != ':') return null;
      int valueEnd = TopLevelField.skipValue(json, TopLevelField.skipWhitespace(json, i + 1));
      if (valueEnd < 0 || valueEnd > end) return null;
      int next = TopLevelField.skipWhitespace(json, valueEnd);
      if (next >= end) return null;
      if (match) {
        // "a":1,"cut":2,"b":3 -> "a":1,"b":3 (the comma after goes); "a":1,"cut":2} -> "a":1} (the comma before goes)
        int from = keyStart;
        int to = valueEnd;
        if (json[next] == ',') to = next + 1;
        else if (previousValueEnd >= 0) from = previousValueEnd;
        byte[] out = new byte[json.length - (to - from)];
        System.arraycopy(json, 0, out, 0, from);
        System.arraycopy(json, to, out, from, json.length - to);
        return out;
      }
      if (json[next] == '}') return json; // absent
      if (json[next] != ',') return null;
      previousValueEnd = valueEnd;
      i = next + 1;
    }
  }
}
