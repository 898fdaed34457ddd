package io.kava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wrk load generator (Debian package {@code wrk}): HTTP/1.1 keep-alive connections driven from C, so on 2 cores it
 * takes far less CPU from the server than a Java client does. Requests come from a Lua script: GETs of random objects,
 * or POSTs of ConfigMaps with unique names. With a token it sends {@code Authorization: Bearer}, since wrk cannot
 * present a client certificate.
 */
final class Wrk {
  /** Where wrk is, or null. */
  static final Path BINARY = find();

  /**
   * @param perSecond requests per second wrk reports (all responses, whatever their status)
   * @param non2xx    responses with a status other than 2xx/3xx: a create that got 409, a GET that got 404
   */
  record Result(double perSecond, long requests, long non2xx, long socketErrors, double p50Millis, double p99Millis, String output) {
    /** Good responses per second. */
    double okPerSecond() { return requests == 0 ? 0 : perSecond * (requests - non2xx) / requests; }
  }

  private Wrk() {}

  private static Path find() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, "wrk");
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }

  static boolean available() { return BINARY != null; }

  /** GETs of {@code /api/v1/namespaces/NS/configmaps/PREFIX<random below count>}. */
  static String getScript(String namespace, String prefix, int count, String token) {
    return header(token) + """
        local path = "%s/"
        request = function()
          return wrk.format("GET", path .. "%s" .. math.random(0, %d))
        end
        """.formatted(Api.configMapsPath(namespace), prefix, Math.max(0, count - 1));
  }

  /** POSTs of ~1 KB ConfigMaps named PREFIX<counter>, the same body as the Java generator's. */
  static String createScript(String namespace, String prefix, String token) {
    String body = Api.configMap(namespace, "NAME").toString();
    int at = body.indexOf("NAME");
    return header(token) + """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        local head = "%s"
        local tail = "%s"
        local n = 0
        request = function()
          n = n + 1
          return wrk.format(nil, "%s", nil, head .. "%s" .. n .. tail)
        end
        """.formatted(lua(body.substring(0, at)), lua(body.substring(at + 4)), Api.configMapsPath(namespace), prefix);
  }

  private static String header(String token) {
    return "wrk.headers[\"Accept\"] = \"application/json\"\nwrk.headers[\"User-Agent\"] = \"kava-bench-wrk\"\n"
        + (token == null ? "" : "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n");
  }

  private static String lua(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\""); }

  /** Runs wrk against {@code ep} for {@code duration} with {@code connections} connections on {@code threads} threads. */
  static Result run(Endpoint ep, String script, int threads, int connections, Duration duration, Path dir) throws IOException, InterruptedException {
    Path lua = Files.createTempFile(dir, "wrk-", ".lua");
    Files.writeString(lua, script, StandardCharsets.UTF_8);
    String url = (ep.tls() ? "https" : "http") + "://" + ep.host() + ":" + ep.port();
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-t" + threads, "-c" + Math.max(threads, connections),
        "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "30s", "--latency", "-s", lua.toString(), url));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) p.destroyForcibly();
    Files.deleteIfExists(lua);
    return parse(out);
  }

  static Result parse(String out) {
    double rps = number(out, "Requests/sec:\\s+([0-9.]+)");
    long requests = (long) number(out, "(\\d+) requests in");
    long non2xx = (long) Math.max(0, number(out, "Non-2xx or 3xx responses:\\s+(\\d+)"));
    long errors = 0;
    Matcher e = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
    if (e.find()) for (int i = 1; i <= 4; i++) errors += Long.parseLong(e.group(i));
    if (Double.isNaN(rps)) throw new IllegalStateException("wrk printed no figures:\n" + out);
    return new Result(rps, requests, non2xx, errors, latency(out, "50"), latency(out, "99"), out);
  }

  private static double number(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    return m.find() ? Double.parseDouble(m.group(1)) : (regex.startsWith("Non") ? 0 : Double.NaN);
  }

  /** A line of the --latency distribution, e.g. "     99%    5.67ms", in milliseconds. */
  private static double latency(String out, String percent) {
    Matcher m = Pattern.compile("(?m)^\\s+" + percent + "(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$").matcher(out);
    if (!m.find()) return Double.NaN;
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      case "m" -> v * 60_000;
      default -> v;
    };
  }
}
