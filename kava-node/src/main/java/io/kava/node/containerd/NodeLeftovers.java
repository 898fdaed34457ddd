package io.kava.node.containerd;

import io.kava.api.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Which of the host's mounts, processes, files and iptables rules belong to one kava node, from the host's own listings
 * ({@code /proc/self/mounts}, command lines, {@code iptables-save}) and the node's containerd state. Pure, so that the
 * rules {@link NodeCleanup} acts on are tested without a host: every match is by a path or name derived from the data
 * dir (or recorded in its containerd's state), never a broad pattern that could take another node's.
 */
final class NodeLeftovers {
  private NodeLeftovers() {}

  /**
   * A network namespace the CRI created in the host-wide dir ({@code netns_mounts_under_state_dir} off: nodes
   * started before kava set it, or another config). Its name holds a random UUID, so a path recorded in this node's
   * metadata or bundles cannot be another node's.
   */
  static final Pattern HOST_NETNS = Pattern.compile(
      "(?:/var)?/run/netns/cni-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  /** A per-pod chain of the bridge ({@code ipMasq}) or portmap plugin; the shared CNI-HOSTPORT-* chains are not. */
  static final Pattern POD_CHAIN = Pattern.compile("CNI-(?:[A-Z]{2}-)?[0-9a-f]{16,28}");
  private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

  /** One line of {@code /proc/self/mounts}. */
  record Mount(String source, String point, String type) {}

  /** The host-wide netns paths named in a file of the node's containerd (meta.db read as ISO-8859-1, a config.json). */
  static Set<String> hostNetnsPaths(CharSequence text) {
    Set<String> paths = new LinkedHashSet<>();
    Matcher m = HOST_NETNS.matcher(text);
    while (m.find()) paths.add(m.group());
    return paths;
  }

  static List<Mount> parseMounts(List<String> lines) {
    List<Mount> mounts = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 3) continue;
      mounts.add(new Mount(unescape(f[0]), unescape(f[1]), f[2]));
    }
    return mounts;
  }

  /** The kernel writes space, tab, newline and backslash in mount points as octal escapes ({@code \040}). */
  static String unescape(String field) {
    return OCTAL_ESCAPE.matcher(field).replaceAll(r -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(r.group(1), 8))));
  }

  /** Mount points at or under {@code dir}, in mount order. {@code /data/kava2} is not under {@code /data/kava}. */
  static List<String> pointsUnder(List<Mount> mounts, Path dir) {
    String d = dir.toString();
    List<String> out = new ArrayList<>();
    for (Mount m : mounts) {
      if (m.point().equals(d) || m.point().startsWith(d.endsWith("/") ? d : d + "/")) out.add(m.point());
    }
    return out;
  }

  static boolean isMounted(List<Mount> mounts, String point) { return mounts.stream().anyMatch(m -> m.point().equals(point)); }

  /** A {@code containerd-shim*} process started by the containerd that listens on {@code socket}. */
  static boolean isShimOf(List<String> args, Path socket) {
    if (args.isEmpty() || !fileName(args.getFirst()).startsWith("containerd-shim")) return false;
    return option(args, "-address").filter(a -> a.equals(socket.toString()) || a.equals("unix://" + socket)).isPresent();
  }

  /** The {@code containerd} daemon started with {@code config}. */
  static boolean isContainerdOf(List<String> args, Path config) {
    if (args.isEmpty() || !fileName(args.getFirst()).equals("containerd")) return false;
    return option(args, "--config").or(() -> option(args, "-c")).filter(c -> c.equals(config.toString())).isPresent();
  }

  /** A shim's socket as its bundle's {@code address} file names it ({@code unix:///run/containerd/s/HASH}). */
  static Optional<Path> shimSocket(String addressFile) {
    String a = addressFile.strip();
    if (a.startsWith("unix://")) a = a.substring("unix://".length());
    return a.startsWith("/") && !a.contains("\n") ? Optional.of(Path.of(a)) : Optional.empty();
  }

  /** A host-local reservation file (named by the IP; {@code last_reserved_ip.0} and {@code lock} are not). */
  static boolean isIpReservation(String fileName) { return IPV4.matcher(fileName).matches() || IPV6.matcher(fileName).matches(); }

  /** libcni's cached result of one attachment: {@code NETWORK-CONTAINERID-IFNAME}. */
  static boolean isCniResultOf(String fileName, String network) { return fileName.startsWith(network + "-"); }

  /**
   * The host ends of the veth pairs a cached CNI result names: its interfaces outside the pod ({@code sandbox} unset)
   * other than the node's bridge. They go with the pod's network namespace; cleanup checks that they did.
   */
  static List<String> hostVeths(byte[] cniResult, String bridge) {
    List<String> veths = new ArrayList<>();
    try {
      for (JsonNode i : Json.parse(cniResult).path("result").path("interfaces")) {
        String name = i.path("name").asString("");
        if (!name.isEmpty() && !name.equals(bridge) && i.path("sandbox").asString("").isEmpty()) veths.add(name);
      }
    } catch (JacksonException e) {
      // a torn cache file: it names nothing
    }
    return veths;
  }

  /**
   * What the CNI plugins added to the nat table for this node's pods: the rules whose comment names the network
   * ({@code name: "kava-ID" id: "..."} from the bridge's ipMasq, {@code dnat name: ...} from portmap) and the per-pod
   * chains they jump to.
   */
  record NatRules(List<String> rules, Set<String> chains) {
    boolean isEmpty() { return rules.isEmpty() && chains.isEmpty(); }

    /** An {@code iptables-restore --noflush} script that removes them. */
    String restoreScript() {
      StringBuilder b = new StringBuilder("*nat\n");
      for (String r : rules) b.append("-D ").append(r).append('\n');
      for (String c : chains) b.append("-F ").append(c).append('\n');
      for (String c : chains) b.append("-X ").append(c).append('\n');
      return b.append("COMMIT\n").toString();
    }
  }

  /** From {@code iptables-save -t nat}. */
  static NatRules natRulesOf(String iptablesSave, String network) {
    String tag = "name: \\\"" + network + "\\\"";
    List<String> rules = new ArrayList<>();
    Set<String> chains = new LinkedHashSet<>();
    for (String line : iptablesSave.split("\n")) {
      if (!line.startsWith("-A ") || !line.contains(tag)) continue;
      rules.add(line.substring(3));
      Matcher jump = Pattern.compile(" -j (\\S+)").matcher(line);
      if (jump.find() && POD_CHAIN.matcher(jump.group(1)).matches()) chains.add(jump.group(1));
    }
    return new NatRules(rules, chains);
  }

  private static Optional<String> option(List<String> args, String name) {
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals(name) || a.equals("-" + name)) && i + 1 < args.size()) return Optional.of(args.get(i + 1));
      if (a.startsWith(name + "=")) return Optional.of(a.substring(name.length() + 1));
      if (a.startsWith("-" + name + "=")) return Optional.of(a.substring(name.length() + 2));
    }
    return Optional.empty();
  }

  private static String fileName(String path) { return path.substring(path.lastIndexOf('/') + 1); }
}
