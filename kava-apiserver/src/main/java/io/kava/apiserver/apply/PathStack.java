package io.kava.apiserver.apply;

import java.util.Arrays;

/** The path of the position a walk is at; {@link #markIn} adds it to a set. Reused along one walk. */
final class PathStack {
  private String[] elements = new String[16];
  private int depth;

  void push(String pe) {
    if (depth == elements.length) elements = Arrays.copyOf(elements, depth * 2);
    elements[depth++] = pe;
  }

  void pop() { elements[--depth] = null; }

  int depth() { return depth; }

  /** Adds the current path to {@code set} as a member (nothing at the root). */
  void markIn(FieldSet set) { set.addPath(elements, depth); }
}
