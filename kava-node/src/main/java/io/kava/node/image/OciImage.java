package io.kava.node.image;

import io.kava.api.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A single-platform (linux/amd64 or the host's) OCI image built in memory: one gzip layer, a config and a manifest,
 * written as an OCI image layout directory (for {@code skopeo copy oci:DIR:TAG …}) or as an OCI archive
 * (for {@code ctr images import}). The same input always gives the same digests.
 */
public final class OciImage {
  public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
  public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final String name;
  private final Map<String, byte[]> blobs;
  private final String manifestDigest;
  private final int manifestSize;

  private OciImage(String name, Map<String, byte[]> blobs, String manifestDigest, int manifestSize) {
    this.name = name;
    this.blobs = blobs;
    this.manifestDigest = manifestDigest;
    this.manifestSize = manifestSize;
  }

  /** The fully qualified reference this image is named by (for example {@code kava.local/pause:1}). */
  public String name() { return name; }

  public String tag() {
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    return colon > slash ? name.substring(colon + 1) : "latest";
  }

  public String manifestDigest() { return manifestDigest; }

  public static Builder builder(String name) { return new Builder(name); }

  /** An OCI image layout: oci-layout, index.json and blobs/sha256/…; the tag is the index's ref.name. */
  public void writeLayout(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    for (var e : layoutFiles().entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
  }

  /** The same layout as one tar file. */
  public void writeArchive(OutputStream out) throws IOException {
    Tar tar = new Tar(out);
    tar.directory("blobs", 0755);
    tar.directory("blobs/sha256", 0755);
    for (var e : layoutFiles().entrySet()) tar.file(e.getKey(), 0644, e.getValue());
    tar.close();
  }

  private Map<String, byte[]> layoutFiles() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
    ObjectNode index = Json.object();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ObjectNode m = index.putArray("manifests").addObject();
    m.put("mediaType", MANIFEST_TYPE);
    m.put("digest", manifestDigest);
    m.put("size", manifestSize);
    ObjectNode ann = m.putObject("annotations");
    ann.put("org.opencontainers.image.ref.name", tag());
    ann.put("io.containerd.image.name", name);
    files.put("index.json", Json.bytes(index));
    for (var e : blobs.entrySet()) files.put("blobs/sha256/" + e.getKey().substring("sha256:".length()), e.getValue());
    return files;
  }

  /** Builds one layer from files and links, plus the image config. */
  public static final class Builder {
    private final String name;
    private final ByteArrayOutputStream layer = new ByteArrayOutputStream();
    private final Tar tar = new Tar(layer);
    private final List<String> dirs = new ArrayList<>();
    private List<String> entrypoint = List.of();
    private List<String> cmd = List.of();
    private final List<String> env = new ArrayList<>(List.of(DEFAULT_PATH));
    private String workingDir = "/";
    private String user = "";

    private Builder(String name) { this.name = name; }

    public Builder directory(String path) throws IOException {
      String p = strip(path);
      if (!dirs.contains(p)) {
        dirs.add(p);
        tar.directory(p, 0755);
      }
      return this;
    }

    public Builder file(String path, int mode, byte[] content) throws IOException {
      parents(strip(path));
      tar.file(strip(path), mode, content);
      return this;
    }

    public Builder symlink(String path, String target) throws IOException {
      parents(strip(path));
      tar.symlink(strip(path), target);
      return this;
    }

    public Builder entrypoint(List<String> e) { this.entrypoint = List.copyOf(e); return this; }

    public Builder cmd(List<String> c) { this.cmd = List.copyOf(c); return this; }

    public Builder env(String keyValue) { env.add(keyValue); return this; }

    public Builder workingDir(String w) { this.workingDir = w; return this; }

    public Builder user(String u) { this.user = u; return this; }

    private void parents(String p) throws IOException {
      int i = p.indexOf('/');
      while (i > 0) {
        directory(p.substring(0, i));
        i = p.indexOf('/', i + 1);
      }
    }

    private static String strip(String p) { return p.startsWith("/") ? p.substring(1) : p; }

    public OciImage build() throws IOException {
      tar.close();
      byte[] raw = layer.toByteArray();
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
        z.write(raw);
      }
      byte[] compressed = gz.toByteArray();
      Map<String, byte[]> blobs = new LinkedHashMap<>();
      String layerDigest = digest(compressed);
      blobs.put(layerDigest, compressed);

      ObjectNode config = Json.object();
      config.put("created", "2000-01-01T00:00:00Z");
      config.put("architecture", goArch());
      config.put("os", "linux");
      ObjectNode c = config.putObject("config");
      ArrayNode envs = c.putArray("Env");
      env.forEach(envs::add);
      if (!entrypoint.isEmpty()) entrypoint.forEach(c.putArray("Entrypoint")::add);
      if (!cmd.isEmpty()) cmd.forEach(c.putArray("Cmd")::add);
      c.put("WorkingDir", workingDir);
      if (!user.isEmpty()) c.put("User", user);
      ObjectNode rootfs = config.putObject("rootfs");
      rootfs.put("type", "layers");
      rootfs.putArray("diff_ids").add(digest(raw));
      byte[] configBytes = Json.bytes(config);
      String configDigest = digest(configBytes);
      blobs.put(configDigest, configBytes);

      ObjectNode manifest = Json.object();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", MANIFEST_TYPE);
      manifest.putObject("config").put("mediaType", CONFIG_TYPE).put("digest", configDigest).put("size", configBytes.length);
      manifest.putArray("layers").addObject().put("mediaType", LAYER_TYPE).put("digest", layerDigest).put("size", compressed.length);
      byte[] manifestBytes = Json.bytes(manifest);
      String manifestDigest = digest(manifestBytes);
      blobs.put(manifestDigest, manifestBytes);
      return new OciImage(name, blobs, manifestDigest, manifestBytes.length);
    }
  }

  static String goArch() {
    String a = System.getProperty("os.arch", "amd64");
    return switch (a) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> a;
    };
  }

  static String digest(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
