package io.kava.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real kubectl binary against a cluster's kubeconfig. The binaries live in
 * /usr/lib/google-cloud-sdk/bin/kubectl.1.27 … kubectl.1.33 on the machines this project targets.
 */
public final class Kubectl {
  public static final Path BIN_DIR = Path.of(System.getenv().getOrDefault("KAVA_KUBECTL_DIR", "/usr/lib/google-cloud-sdk/bin"));

  /** What one kubectl run printed. */
  public record Result(int exitCode, String out, String err) {
    public boolean ok() { return exitCode == 0; }

    @Override
    public String toString() { return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err; }
  }

  private final String version;
  private final Path binary;
  private final Path kubeconfig;
  private final Map<String, String> env;

  private Kubectl(String version, Path binary, Path kubeconfig, Map<String, String> env) {
    this.version = version;
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.env = env;
  }

  /** kubectl {@code version} ("1.33") for {@code kubeconfig}; check {@link #available()} before use. */
  public static Kubectl of(String version, Path kubeconfig) {
    return new Kubectl(version, BIN_DIR.resolve("kubectl." + version), kubeconfig, Map.of());
  }

  public Kubectl withEnv(Map<String, String> extra) { return new Kubectl(version, binary, kubeconfig, extra); }

  public boolean available() { return Files.isExecutable(binary); }

  public String version() { return version; }

  public Path binary() { return binary; }

  public Result run(String... args) { return runWithInput(null, args); }

  public Result runWithInput(String stdin, String... args) {
    return runWithTimeout(stdin, 60, args);
  }

  public Result runWithTimeout(String stdin, long timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("KUBECTL_COMMAND_HEADERS", "false");
    pb.environment().put("HOME", kubeconfig.getParent().toString());
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out.getNow(""), "timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
      }
      return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("could not run " + cmd, e);
    }
  }

  /** Starts kubectl and leaves it running (for -w); the caller reads and destroys it. */
  public Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("HOME", kubeconfig.getParent().toString());
    return pb.start();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }, r -> Thread.ofVirtual().start(r));
  }
}
