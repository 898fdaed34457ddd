package io.kava.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthenticatorTest {
  @TempDir
  Path dir;

  @Test
  void readsUpstreamFormat() throws Exception {
    Path f = dir.resolve("tokens.csv");
    Files.writeString(f, """
        abc123,admin,uid-1,"system:masters,devs"
        node-token,system:node:n1,uid-2,system:nodes

        plain,bob,uid-3
        ,nobody,uid-4
        "quoted,token",carol,uid-5,"a""b",extra
        """);
    TokenAuthenticator t = TokenAuthenticator.fromCsv(f);
    assertThat(t.size()).isEqualTo(4);
    UserInfo admin = t.authenticateToken("abc123").orElseThrow();
    assertThat(admin.name()).isEqualTo("admin");
    assertThat(admin.uid()).isEqualTo("uid-1");
    assertThat(admin.groups()).containsExactly("system:masters", "devs", "system:authenticated");
    assertThat(t.authenticateToken("node-token").orElseThrow().groups()).containsExactly("system:nodes", "system:authenticated");
    assertThat(t.authenticateToken("plain").orElseThrow().groups()).containsExactly("system:authenticated");
    assertThat(t.authenticateToken("quoted,token").orElseThrow().groups()).containsExactly("a\"b", "system:authenticated");
    assertThat(t.authenticateToken("")).isEmpty();
    assertThat(t.authenticateToken("nope")).isEmpty();
  }

  @Test
  void tooFewColumns() throws Exception {
    Path f = dir.resolve("tokens.csv");
    Files.writeString(f, "abc,admin\n");
    assertThatThrownBy(() -> TokenAuthenticator.fromCsv(f)).isInstanceOf(IOException.class)
        .hasMessage("token file '" + f + "' must have at least 3 columns (token, user name, user uid), found 2");
  }

  @Test
  void badCsv() throws Exception {
    Path f = dir.resolve("tokens.csv");
    Files.writeString(f, "ab\"c,admin,1\n");
    assertThatThrownBy(() -> TokenAuthenticator.fromCsv(f)).isInstanceOf(IOException.class).hasMessageContaining("bare \"");
  }

  @Test
  void bearerHeader() {
    TokenAuthenticator t = TokenAuthenticator.of(java.util.Map.of("tok", UserInfo.of("u", List.of("g"))));
    assertThat(t.authenticateHeader("Bearer tok").orElseThrow().groups()).containsExactly("g", "system:authenticated");
    assertThat(t.authenticateHeader("bearer tok").orElseThrow().name()).isEqualTo("u");
    assertThat(t.authenticateHeader("  Bearer tok  ")).isPresent();
    assertThat(t.authenticateHeader(null)).isEmpty();
    assertThat(t.authenticateHeader("Basic abc")).isEmpty();
    assertThat(t.authenticateHeader("Bearer")).isEmpty();
    assertThat(t.authenticateHeader("Bearer  tok")).isEmpty();
    assertThatThrownBy(() -> t.authenticateHeader("Bearer other")).isInstanceOf(AuthenticationException.class)
        .hasMessage("invalid bearer token");
  }

  @Test
  void groupAdder() {
    assertThat(UserInfo.anonymous().withAuthenticatedGroup().groups()).containsExactly("system:unauthenticated");
    assertThat(UserInfo.of("x", List.of("system:authenticated")).withAuthenticatedGroup().groups()).containsExactly("system:authenticated");
  }
}
