package io.kava.store.support;

import java.util.Comparator;

/**
 * Orders keys as UTF-8 byte strings, which is how etcd and SQLite (BINARY collation) order them.
 *
 * <p>UTF-8 byte order equals Unicode code point order. {@link String#compareTo} compares UTF-16 units, which differs
 * only where a surrogate (U+D800..U+DFFF) meets a char in U+E000..U+FFFF; this comparator fixes exactly that case and
 * is otherwise as fast as {@code compareTo} (kava keys are ASCII).
 */
public final class KeyOrder {
  public static final Comparator<String> COMPARATOR = KeyOrder::compare;

  private KeyOrder() {}

  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x >= 0xD800 && y >= 0xD800) return codePointRank(x) - codePointRank(y);
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /** Moves surrogates above U+E000..U+FFFF, where the code points they encode belong. */
  private static int codePointRank(char c) {
    return c < 0xE000 ? c + 0x2000 : c - 0x800;
  }
}
