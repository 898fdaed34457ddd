package io.kava.node.registry;

import io.kava.node.registry.RegistriesConfig.Mirror;
import io.kava.node.registry.RegistriesConfig.RegistryConfig;
import io.kava.node.registry.RegistriesConfig.Tls;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders a {@link RegistriesConfig} for containerd, as k3s does:
 *
 * <ul>
 *   <li>{@link #hostsFiles}: one {@code certs.d/<registry>/hosts.toml} per mirrored or configured registry
 *       ({@code _default} for the {@code *} mirror), with {@code server} the registry's own endpoint
 *       ({@code https://registry-1.docker.io} for docker.io) and one {@code [host."<endpoint>"]} per mirror
 *       endpoint with {@code capabilities = ["pull", "resolve"]} and the endpoint's TLS settings
 *       ({@code ca}, {@code client}, {@code skip_verify});
 *   <li>{@link #criAuthToml}: the {@code registry.configs."<host>".auth} tables of containerd 1.6/1.7's CRI
 *       plugin, through which containerd itself authenticates to each registry and mirror host (CRI pulls
 *       without an AuthConfig of their own).
 * </ul>
 *
 * <p>Wiring in the node agent, before containerd starts: {@code var reg = RegistriesConfig.loadFromDataDir(dataDir);
 * reg.warnings().forEach(log::warn); RegistryHosts.write(reg, layout.registryHostsDir());} and append
 * {@code RegistryHosts.criAuthToml(reg)} to the containerd config (hosts.toml files are re-read by containerd on
 * every pull; the auth tables need a containerd restart).
 */
public final class RegistryHosts {
  /** First line of every file kava writes, so that {@link #write} removes only its own stale files. */
  static final String MARKER = "# written by kava from registries.yaml; edits are replaced";

  private RegistryHosts() {}

  /** The hosts.toml text per certs.d directory name. */
  public static Map<String, String> hostsFiles(RegistriesConfig config) {
    Map<String, String> files = new TreeMap<>();
    Set<String> registries = new LinkedHashSet<>(config.mirrors().keySet());
    // a registry with only TLS settings (no mirror) still needs its hosts.toml
    config.configs().forEach((host, c) -> {
      if (c.tls().isPresent()) registries.add(host);
    });
    for (String registry : registries) {
      StringBuilder b = new StringBuilder(MARKER).append('\n');
      String server = defaultEndpoint(registry);
      if (server != null) {
        b.append("server = ").append(quote(server)).append('\n');
        tls(b, config.configs().get(RegistriesConfig.hostOf(registry)));
      }
      Mirror m = config.mirrors().get(registry);
      if (m != null) {
        for (String endpoint : m.endpoints()) {
          if (endpoint.equals(server)) continue; // the registry itself is the fallback server anyway
          URI uri = URI.create(endpoint);
          String path = uri.getRawPath() == null ? "" : uri.getRawPath();
          boolean overridePath = !path.isEmpty() && !path.equals("/") && !path.equals("/v2") && !path.equals("/v2/");
          String hostUrl = overridePath ? endpoint : uri.getScheme() + "://" + uri.getRawAuthority();
          b.append('\n').append("[host.").append(quote(hostUrl)).append("]\n");
          b.append("  capabilities = [\"pull\", \"resolve\"]\n");
          if (overridePath) b.append("  override_path = true\n");
          tlsIndented(b, config.configs().get(uri.getRawAuthority()));
        }
      }
      files.put(dirName(registry), b.toString());
    }
    return files;
  }

  /**
   * Writes {@link #hostsFiles} under {@code certsDir} (containerd's registry {@code config_path}) and removes
   * directories kava wrote earlier that the configuration no longer names.
   *
   * @return the directory names written
   */
  public static List<String> write(RegistriesConfig config, Path certsDir) throws IOException {
    Map<String, String> files = hostsFiles(config);
    Files.createDirectories(certsDir);
    for (var e : files.entrySet()) {
      Path dir = certsDir.resolve(e.getKey());
      Files.createDirectories(dir);
      Path tmp = dir.resolve("hosts.toml.tmp");
      Files.writeString(tmp, e.getValue());
      Files.move(tmp, dir.resolve("hosts.toml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(certsDir, Files::isDirectory)) {
      for (Path dir : dirs) {
        Path hosts = dir.resolve("hosts.toml");
        if (files.containsKey(dir.getFileName().toString()) || !Files.isRegularFile(hosts)) continue;
        if (Files.readString(hosts).startsWith(MARKER)) {
          Files.delete(hosts);
          try (var rest = Files.list(dir)) {
            if (rest.findAny().isEmpty()) Files.delete(dir);
          }
        }
      }
    }
    return new ArrayList<>(files.keySet());
  }

  /**
   * The CRI plugin's auth tables for every configured host with credentials, to append to containerd's
   * config.toml (containerd 1.6/1.7 honour them beside {@code config_path}).
   */
  public static String criAuthToml(RegistriesConfig config) {
    StringBuilder b = new StringBuilder();
    Map<String, RegistryConfig> sorted = new TreeMap<>(config.configs());
    sorted.forEach((host, c) -> c.auth().ifPresent(a -> {
      b.append("[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.").append(quote(host)).append(".auth]\n");
      if (!a.effectiveUsername().isEmpty()) b.append("  username = ").append(quote(a.effectiveUsername())).append('\n');
      if (!a.effectivePassword().isEmpty()) b.append("  password = ").append(quote(a.effectivePassword())).append('\n');
      if (!a.identityToken().isEmpty()) b.append("  identitytoken = ").append(quote(a.identityToken())).append('\n');
    }));
    return b.toString();
  }

  /** The registry's own endpoint, or null for the {@code *} wildcard. */
  static String defaultEndpoint(String registry) {
    if (registry.equals("*")) return null;
    if (registry.equals("docker.io")) return "https://registry-1.docker.io";
    return registry.contains("://") ? registry : "https://" + registry;
  }

  static String dirName(String registry) {
    return registry.equals("*") ? "_default" : RegistriesConfig.hostOf(registry);
  }

  private static void tls(StringBuilder b, RegistryConfig c) {
    if (c == null || c.tls().isEmpty()) return;
    for (String line : tlsLines(c.tls().get())) b.append(line).append('\n');
  }

  private static void tlsIndented(StringBuilder b, RegistryConfig c) {
    if (c == null || c.tls().isEmpty()) return;
    for (String line : tlsLines(c.tls().get())) b.append("  ").append(line).append('\n');
  }

  private static List<String> tlsLines(Tls t) {
    List<String> lines = new ArrayList<>();
    if (!t.caFile().isEmpty()) lines.add("ca = " + quote(t.caFile()));
    if (!t.certFile().isEmpty()) lines.add("client = [[" + quote(t.certFile()) + ", " + quote(t.keyFile()) + "]]");
    if (t.insecureSkipVerify()) lines.add("skip_verify = true");
    return lines;
  }

  /** A TOML basic string. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  /** Hosts with credentials, for logging which registries are authenticated (never the secrets). */
  public static Map<String, String> credentialSummary(RegistriesConfig config) {
    Map<String, String> out = new LinkedHashMap<>();
    config.configs().forEach((h, c) -> c.auth().ifPresent(a -> out.put(h, a.identityToken().isEmpty() ? "user " + a.effectiveUsername() : "identity token")));
    return out;
  }
}
