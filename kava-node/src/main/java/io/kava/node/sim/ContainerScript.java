package io.kava.node.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a simulated container does, since nothing runs: it runs until deleted, or it exits with a code after some
 * time. Rules, first match wins:
 *
 * <ol>
 *   <li>restartPolicy Always (the default; Deployments, ReplicaSets, DaemonSets): every container runs until the
 *       pod is deleted, whatever its command.</li>
 *   <li>Annotation {@code kava.io/sim-exit-code: "N"}: every container exits with N, after
 *       {@code kava.io/sim-duration} ("0", "5", "5s", "1500ms", "2m"; default 0).</li>
 *   <li>The container's command line (command then args) when it is recognisably short-lived:
 *       {@code true}, {@code echo …}, {@code printf …}, {@code date}, {@code env}, {@code hostname}, {@code pwd},
 *       {@code ls} exit 0 at once; {@code false} exits 1; {@code sleep N} exits 0 after N seconds (s/m/h suffixes);
 *       {@code sh|bash|ash -c "…"} scripts made of those statements separated by {@code ;}, {@code &&} or newlines,
 *       plus {@code exit N}, run them in order.</li>
 *   <li>Anything else (no command, a server, a loop, an unknown program) runs until deleted.</li>
 * </ol>
 *
 * A pod finishes only when all its containers finish; if one of them would run forever, all are shown running.
 * Under restartPolicy OnFailure a non-zero exit is final (the pod fails) rather than restarted with back-off.
 */
public final class ContainerScript {
  public static final String EXIT_CODE_ANNOTATION = "kava.io/sim-exit-code";
  public static final String DURATION_ANNOTATION = "kava.io/sim-duration";

  /** How one container ends: exit code after runMillis. */
  public record Exit(int code, long runMillis) {}

  /**
   * The plan for a pod: null when it runs until deleted, else each regular container's exit by name (in spec order).
   */
  public static Map<String, Exit> plan(Pod pod) {
    var spec = pod.getSpec();
    if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) return null;
    String policy = spec.getRestartPolicy() == null || spec.getRestartPolicy().isEmpty() ? "Always" : spec.getRestartPolicy();
    if (policy.equals("Always")) return null;
    Map<String, String> ann = pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
    Map<String, Exit> out = new LinkedHashMap<>();
    String code = ann.get(EXIT_CODE_ANNOTATION);
    if (code != null) {
      int c;
      try {
        c = Integer.parseInt(code.trim());
      } catch (NumberFormatException e) {
        c = 1;
      }
      long d = parseDuration(ann.getOrDefault(DURATION_ANNOTATION, "0"));
      if (d < 0) d = 0;
      for (Container ct : spec.getContainers()) out.put(ct.getName(), new Exit(c, d));
      return out;
    }
    for (Container ct : spec.getContainers()) {
      List<String> argv = new ArrayList<>();
      if (ct.getCommand() != null) argv.addAll(ct.getCommand());
      if (ct.getArgs() != null) argv.addAll(ct.getArgs());
      Exit e = run(argv);
      if (e == null) return null;
      out.put(ct.getName(), e);
    }
    return out;
  }

  /** The exit of a command line, or null when it would run until killed. */
  static Exit run(List<String> argv) {
    if (argv.isEmpty()) return null;
    String prog = basename(argv.get(0));
    if ((prog.equals("sh") || prog.equals("bash") || prog.equals("ash")) && argv.size() >= 3 && argv.get(1).equals("-c")) {
      return script(argv.get(2));
    }
    return statement(prog, argv.subList(1, argv.size()));
  }

  private static final Pattern SEPARATORS = Pattern.compile("\\s*(?:;|&&|\\n)\\s*");

  static Exit script(String script) {
    long total = 0;
    int last = 0;
    for (String stmt : SEPARATORS.split(script.trim())) {
      if (stmt.isBlank()) continue;
      List<String> words = words(stmt);
      String prog = basename(words.get(0));
      if (prog.equals("exit")) {
        int c = words.size() > 1 ? parseInt(words.get(1), 1) : last;
        return new Exit(c, total);
      }
      Exit e = statement(prog, words.subList(1, words.size()));
      if (e == null) return null;
      total += e.runMillis();
      last = e.code();
    }
    return new Exit(last, total);
  }

  private static Exit statement(String prog, List<String> args) {
    return switch (prog) {
      case "true", "echo", "printf", "date", "env", "hostname", "pwd", "ls", ":" -> new Exit(0, 0);
      case "false" -> new Exit(1, 0);
      case "sleep" -> {
        if (args.isEmpty()) yield new Exit(1, 0);
        long ms = parseDuration(args.get(0));
        yield ms < 0 ? null : new Exit(0, ms); // "sleep infinity" runs forever
      }
      default -> null;
    };
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  /** "5", "5s", "1500ms", "2m", "1h" in milliseconds; -1 when it is not one. */
  static long parseDuration(String s) {
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches()) return -1;
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double factor = switch (unit) {
      case "ms" -> 1;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      default -> 1000;
    };
    return (long) (v * factor);
  }

  private static List<String> words(String stmt) {
    List<String> out = new ArrayList<>();
    for (String w : stmt.trim().split("\\s+")) out.add(w.replaceAll("^['\"]|['\"]$", ""));
    return out;
  }

  private static int parseInt(String s, int dflt) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  private static String basename(String s) {
    int i = s.lastIndexOf('/');
    return i < 0 ? s : s.substring(i + 1);
  }
}
