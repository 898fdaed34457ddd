package io.kava.store.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.store.Store;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRangeTest {
  @Test
  void etcdStyleEnds() {
    KeyRange single = KeyRange.of("/a", null);
    assertThat(single.contains("/a")).isTrue();
    assertThat(single.contains("/a\0")).isFalse();
    assertThat(single.contains("/a/b")).isFalse();
    assertThat(single.singleKey()).isEqualTo("/a");
    assertThat(KeyRange.of("/a", "").singleKey()).isEqualTo("/a");

    KeyRange open = KeyRange.of("/m", "\0");
    assertThat(open.end()).isNull();
    assertThat(open.contains("/z/zz")).isTrue();
    assertThat(open.contains("/l")).isFalse();

    KeyRange prefix = KeyRange.of("/apps/", Store.prefixEnd("/apps/"));
    assertThat(prefix.contains("/apps/x")).isTrue();
    assertThat(prefix.contains("/apps")).isFalse();
    assertThat(prefix.contains("/apps0")).isFalse();
    assertThat(prefix.singleKey()).isNull();
    assertThat(KeyRange.of("", Store.prefixEnd("")).contains("/anything")).isTrue();
    assertThat(KeyRange.of("/b", "/a").isEmpty()).isTrue();
  }

  @Test
  void filterKeepsOrderAndReturnsTheSameListWhenAllMatch() {
    KeyRange r = KeyRange.of("/a/", "/a0");
    List<String> all = List.of("/a/1", "/a/2");
    assertThat(r.filter(all, s -> s)).isSameAs(all);
    assertThat(r.filter(List.of("/b", "/a/1", "/c", "/a/2"), s -> s)).containsExactly("/a/1", "/a/2");
    assertThat(r.filter(List.of("/a/1", "/b", "/a/2"), s -> s)).containsExactly("/a/1", "/a/2");
    assertThat(r.filter(List.of("/b"), s -> s)).isEmpty();
  }

  @Test
  void keysOrderAsUtf8Bytes() {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 9F 98 80), unlike in UTF-16.
    String bmpHigh = "\uFF5E";
    String astral = new String(Character.toChars(0x1F600));
    assertThat(bmpHigh.compareTo(astral)).isPositive();
    assertThat(KeyOrder.compare(bmpHigh, astral)).isNegative();
    List<String> keys = new ArrayList<>(List.of(astral, "b", bmpHigh, "a", "ab", "\u00e9"));
    keys.sort(KeyOrder.COMPARATOR);
    List<String> byBytes = new ArrayList<>(keys);
    byBytes.sort((x, y) -> java.util.Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(keys).isEqualTo(byBytes);
  }
}
