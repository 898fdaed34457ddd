package io.kava.node.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The registry configuration in k3s's {@code registries.yaml} format:
 *
 * <pre>
 * mirrors:
 *   docker.io:
 *     endpoint: ["http://127.0.0.1:5000"]
 *     rewrite: {"^library/(.*)": "mirrored/$1"}   # parsed; stock containerd cannot apply it (see warnings)
 *   "*":
 *     endpoint: ["https://mirror.example"]
 * configs:
 *   "127.0.0.1:5000":
 *     auth: {username: u, password: p}          # or auth: base64(u:p), or identitytoken
 *     tls: {ca_file: ..., cert_file: ..., key_file: ..., insecure_skip_verify: true}
 * </pre>
 *
 * @param mirrors by registry host ({@code docker.io}, {@code host:port}, or {@code *} for every registry)
 * @param configs by registry host (the host:port of a registry or of a mirror endpoint)
 * @param warnings settings read but not applied, to be logged
 */
public record RegistriesConfig(Map<String, Mirror> mirrors, Map<String, RegistryConfig> configs, List<String> warnings) {
  public static final RegistriesConfig EMPTY = new RegistriesConfig(Map.of(), Map.of(), List.of());
  /** The file's name in the data dir, as k3s's /etc/rancher/k3s/registries.yaml. */
  public static final String FILE_NAME = "registries.yaml";

  /** Reads {@code DATA_DIR/registries.yaml} (absent: empty). */
  public static RegistriesConfig loadFromDataDir(Path dataDir) throws IOException {
    return load(dataDir.resolve(FILE_NAME));
  }

  /** A registry's mirrors, tried in order before the registry itself. */
  public record Mirror(List<String> endpoints, Map<String, String> rewrites) {}

  /** Credentials and TLS settings of one registry host. */
  public record RegistryConfig(Optional<Auth> auth, Optional<Tls> tls) {}

  /**
   * Registry credentials. {@code auth} is base64 of {@code username:password}; {@link #effectiveUsername()} and
   * {@link #effectivePassword()} decode it when username/password are not given.
   */
  public record Auth(String username, String password, String auth, String identityToken) {
    public String effectiveUsername() { return !username.isEmpty() ? username : decoded()[0]; }
    public String effectivePassword() { return !username.isEmpty() ? password : decoded()[1]; }

    /** A CRI {@code AuthConfig} for pulls from {@code serverAddress} (host:port; containerd ignores it for other hosts). */
    public io.kava.node.cri.v1.AuthConfig toCri(String serverAddress) {
      return io.kava.node.cri.v1.AuthConfig.newBuilder().setUsername(effectiveUsername()).setPassword(effectivePassword())
          .setIdentityToken(identityToken).setServerAddress(serverAddress).build();
    }

    private String[] decoded() {
      if (auth.isEmpty()) return new String[] {"", ""};
      String s = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      int colon = s.indexOf(':');
      return colon < 0 ? new String[] {s, ""} : new String[] {s.substring(0, colon), s.substring(colon + 1)};
    }
  }

  /** TLS client settings: files are paths on the node. */
  public record Tls(String caFile, String certFile, String keyFile, boolean insecureSkipVerify) {}

  /** Reads {@code file}; a missing file is the empty configuration. */
  public static RegistriesConfig load(Path file) throws IOException {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (NoSuchFileException e) {
      return EMPTY;
    }
  }

  /**
   * Parses the YAML text.
   *
   * @throws IllegalArgumentException naming the source and the offending entry
   */
  public static RegistriesConfig parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAMLMapper.builder().build().readTree(yaml);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) return EMPTY;
    if (!root.isObject()) throw new IllegalArgumentException(source + ": expected a mapping with mirrors and configs");
    List<String> warnings = new ArrayList<>();
    Map<String, Mirror> mirrors = new LinkedHashMap<>();
    for (var e : root.path("mirrors").properties()) {
      String host = e.getKey();
      JsonNode m = e.getValue();
      List<String> endpoints = new ArrayList<>();
      for (JsonNode ep : m.path("endpoint")) {
        String url = ep.asString().trim();
        if (url.isEmpty()) continue;
        if (!url.contains("://")) url = "https://" + url; // as k3s: an endpoint without scheme is https
        endpoints.add(stripTrailingSlash(url));
      }
      Map<String, String> rewrites = new LinkedHashMap<>();
      for (var r : m.path("rewrite").properties()) rewrites.put(r.getKey(), r.getValue().asString());
      if (!rewrites.isEmpty()) {
        warnings.add(source + ": mirrors." + host + ".rewrite is ignored: stock containerd's hosts.toml has no rewrite rules");
      }
      mirrors.put(host, new Mirror(List.copyOf(endpoints), Map.copyOf(rewrites)));
    }
    Map<String, RegistryConfig> configs = new LinkedHashMap<>();
    for (var e : root.path("configs").properties()) {
      JsonNode c = e.getValue();
      Optional<Auth> auth = Optional.empty();
      if (c.has("auth")) {
        JsonNode a = c.get("auth");
        auth = Optional.of(new Auth(a.path("username").asString(""), a.path("password").asString(""),
            a.path("auth").asString(""), a.path("identitytoken").asString("")));
        try {
          auth.get().effectiveUsername();
        } catch (IllegalArgumentException bad) {
          throw new IllegalArgumentException(source + ": configs." + e.getKey() + ".auth.auth is not base64 of user:password");
        }
      }
      Optional<Tls> tls = Optional.empty();
      if (c.has("tls")) {
        JsonNode t = c.get("tls");
        tls = Optional.of(new Tls(t.path("ca_file").asString(""), t.path("cert_file").asString(""),
            t.path("key_file").asString(""), t.path("insecure_skip_verify").asBoolean(false)));
        if (tls.get().certFile().isEmpty() != tls.get().keyFile().isEmpty()) {
          throw new IllegalArgumentException(source + ": configs." + e.getKey() + ".tls needs both cert_file and key_file");
        }
      }
      configs.put(hostOf(e.getKey()), new RegistryConfig(auth, tls));
    }
    return new RegistriesConfig(Map.copyOf(mirrors), Map.copyOf(configs), List.copyOf(warnings));
  }

  /** The credentials configured for a registry host (e.g. {@code docker.io}, {@code 127.0.0.1:5000}). */
  public Optional<Auth> credentialsFor(String host) {
    RegistryConfig c = configs.get(hostOf(host));
    return c == null ? Optional.empty() : c.auth();
  }

  /**
   * The registry host an image reference pulls from, as the docker reference grammar decides: the first path
   * component when it has a dot or a port or is {@code localhost}, else {@code docker.io}.
   */
  public static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) return "docker.io";
    String first = image.substring(0, slash);
    if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) return "docker.io";
    return first.equals("index.docker.io") || first.equals("registry-1.docker.io") ? "docker.io" : first;
  }

  /** A config key may be a URL ({@code https://host:port}); containerd and CRI match on host:port. */
  static String hostOf(String key) {
    String k = key.trim();
    int scheme = k.indexOf("://");
    if (scheme >= 0) k = k.substring(scheme + 3);
    int slash = k.indexOf('/');
    return slash < 0 ? k : k.substring(0, slash);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") && url.indexOf('/', url.indexOf("://") + 3) == url.length() - 1 ? url.substring(0, url.length() - 1) : url;
  }
}
