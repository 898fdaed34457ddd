package io.kava.apiserver.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static bearer tokens, as upstream's token file ({@code --token-auth-file}): a CSV file with
 * {@code token,user,uid[,"group1,group2"]} per line. Extra columns are ignored; a record with an empty token is
 * skipped with a warning; a later duplicate wins. Authenticated users get {@code system:authenticated} added.
 * Immutable and thread-safe; reload by building a new one.
 */
public final class TokenAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);

  /** upstream's bearertoken error for a token nobody knows */
  public static final String INVALID_BEARER_TOKEN = "invalid bearer token";

  private final Map<String, UserInfo> tokens;

  private TokenAuthenticator(Map<String, UserInfo> tokens) {
    // With system:authenticated added once here, not on every request.
    Map<String, UserInfo> withGroup = new HashMap<>();
    tokens.forEach((token, user) -> withGroup.put(token, user.withAuthenticatedGroup()));
    this.tokens = Map.copyOf(withGroup);
  }

  /** Tokens given directly (token to user, without system:authenticated). */
  public static TokenAuthenticator of(Map<String, UserInfo> tokens) { return new TokenAuthenticator(tokens); }

  /**
   * Reads a token file.
   *
   * @throws IOException when the file cannot be read, a record has fewer than 3 columns
   *     ({@code token file '<path>' must have at least 3 columns (token, user name, user uid), found N}) or the CSV is
   *     malformed
   */
  public static TokenAuthenticator fromCsv(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Map<String, UserInfo> tokens = new HashMap<>();
    int recordNum = 0;
    for (List<String> record : parseCsv(text)) {
      if (record.size() < 3) {
        throw new IOException("token file '" + file + "' must have at least 3 columns (token, user name, user uid), found " + record.size());
      }
      recordNum++;
      if (record.get(0).isEmpty()) {
        log.warn("empty token has been found in token file '{}', record number '{}'", file, recordNum);
        continue;
      }
      List<String> groups = record.size() >= 4 ? Arrays.asList(record.get(3).split(",", -1)) : List.of();
      if (tokens.containsKey(record.get(0))) {
        log.warn("duplicate token has been found in token file '{}', record number '{}'", file, recordNum);
      }
      tokens.put(record.get(0), new UserInfo(record.get(1), record.get(2), groups, Map.of()));
    }
    return new TokenAuthenticator(tokens);
  }

  /** The user of a token (with system:authenticated), or empty if the token is unknown. */
  public Optional<UserInfo> authenticateToken(String token) {
    UserInfo u = token == null ? null : tokens.get(token);
    return Optional.ofNullable(u);
  }

  /**
   * Upstream's bearer-token request authenticator over an {@code Authorization} header value: empty when there is no
   * bearer token at all (another authenticator may try), the user when the token is known.
   *
   * @throws AuthenticationException {@value #INVALID_BEARER_TOKEN} when a bearer token is present but unknown
   */
  public Optional<UserInfo> authenticateHeader(String authorization) {
    String token = bearerToken(authorization);
    if (token == null) return Optional.empty();
    Optional<UserInfo> u = authenticateToken(token);
    if (u.isEmpty()) throw new AuthenticationException(INVALID_BEARER_TOKEN);
    return u;
  }

  /** The token of {@code Bearer <token>} (scheme case-insensitive), or null. */
  public static String bearerToken(String authorization) {
    if (authorization == null) return null;
    String auth = authorization.strip();
    if (auth.isEmpty()) return null;
    String[] parts = auth.split(" ", 3);
    if (parts.length < 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) return null;
    return parts[1].isEmpty() ? null : parts[1];
  }

  public int size() { return tokens.size(); }

  /**
   * RFC 4180 records as Go's encoding/csv reads them with FieldsPerRecord = -1: quoted fields may hold commas,
   * newlines and doubled quotes; blank lines are skipped; CRLF is accepted.
   */
  static List<List<String>> parseCsv(String text) throws IOException {
    List<List<String>> records = new ArrayList<>();
    int i = 0;
    int n = text.length();
    int line = 1;
    while (i < n) {
      // skip empty lines
      if (text.charAt(i) == '\n') {
        i++;
        line++;
        continue;
      }
      if (text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i += 2;
        line++;
        continue;
      }
      List<String> record = new ArrayList<>();
      while (true) {
        StringBuilder field = new StringBuilder();
        if (i < n && text.charAt(i) == '"') {
          int startLine = line;
          i++;
          while (true) {
            if (i >= n) throw new IOException("parse error on line " + startLine + ": extraneous or missing \" in quoted-field");
            char c = text.charAt(i);
            if (c == '"') {
              if (i + 1 < n && text.charAt(i + 1) == '"') {
                field.append('"');
                i += 2;
                continue;
              }
              i++;
              break;
            }
            if (c == '\n') line++;
            field.append(c);
            i++;
          }
          if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            throw new IOException("parse error on line " + line + ": extraneous or missing \" in quoted-field");
          }
        } else {
          while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && !(text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n')) {
            if (text.charAt(i) == '"') throw new IOException("parse error on line " + line + ": bare \" in non-quoted-field");
            field.append(text.charAt(i));
            i++;
          }
        }
        record.add(field.toString());
        if (i < n && text.charAt(i) == ',') {
          i++;
          continue;
        }
        if (i < n && text.charAt(i) == '\r') i++;
        if (i < n && text.charAt(i) == '\n') {
          i++;
          line++;
        }
        break;
      }
      records.add(record);
    }
    return records;
  }
}
