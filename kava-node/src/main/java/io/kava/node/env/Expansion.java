package io.kava.node.env;

import java.util.function.Function;

/**
 * {@code $(VAR)} expansion as upstream's forked {@code expansion.Expand}: {@code $(NAME)} is replaced by the
 * mapping's value, {@code $$} is an escaped {@code $}, and anything else (an incomplete {@code $(}, a lone
 * {@code $}) stays as written. {@link #mappingFor} keeps an unknown reference verbatim, as the kubelet does.
 */
public final class Expansion {
  private Expansion() {}

  /** Expands {@code input}; {@code mapping} receives the text between {@code $(} and {@code )}. */
  public static String expand(String input, Function<String, String> mapping) {
    if (input == null || input.indexOf('$') < 0) return input;
    StringBuilder out = new StringBuilder(input.length());
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) == '$' && cursor + 1 < input.length()) {
        out.append(input, checkpoint, cursor);
        char next = input.charAt(cursor + 1);
        int advance = 1;
        if (next == '$') {
          out.append('$');
        } else if (next == '(') {
          int close = input.indexOf(')', cursor + 2);
          if (close >= 0) {
            out.append(mapping.apply(input.substring(cursor + 2, close)));
            advance = close - cursor;
          } else {
            out.append("$(");
          }
        } else {
          out.append('$').append(next);
        }
        cursor += advance;
        checkpoint = cursor + 1;
      }
    }
    return out.append(input, Math.min(checkpoint, input.length()), input.length()).toString();
  }

  /** A mapping that looks names up in {@code sources} in order and leaves {@code $(NAME)} for an unknown one. */
  @SafeVarargs
  public static Function<String, String> mappingFor(java.util.Map<String, String>... sources) {
    return name -> {
      for (var m : sources) {
        String v = m.get(name);
        if (v != null) return v;
      }
      return "$(" + name + ")";
    };
  }
}
