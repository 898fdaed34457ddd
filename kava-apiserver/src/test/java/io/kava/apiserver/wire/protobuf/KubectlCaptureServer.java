package io.kava.apiserver.wire.protobuf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plain-HTTP stand-in for an API server, just enough for {@code kubectl create ...} to send its request: minimal
 * legacy discovery ({@code /api}, {@code /apis}, the resource lists of the groups below) and a 201 answer to every
 * write, which is recorded. The answer to a protobuf body is the body decoded by {@link ProtobufDecoder} as JSON.
 */
final class KubectlCaptureServer implements AutoCloseable {
  static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");

  record Request(String method, String path, String contentType, byte[] body) {}

  /** group version → resources (plural, kind, namespaced). */
  private static final Map<String, List<Object[]>> RESOURCES = new LinkedHashMap<>();

  static {
    RESOURCES.put("v1", List.of(new Object[] {"namespaces", "Namespace", false}, new Object[] {"pods", "Pod", true},
        new Object[] {"services", "Service", true}, new Object[] {"configmaps", "ConfigMap", true},
        new Object[] {"secrets", "Secret", true}, new Object[] {"serviceaccounts", "ServiceAccount", true},
        new Object[] {"resourcequotas", "ResourceQuota", true}));
    RESOURCES.put("apps/v1", List.of(new Object[] {"deployments", "Deployment", true}, new Object[] {"deployments/scale", "Scale", true},
        new Object[] {"replicasets", "ReplicaSet", true}, new Object[] {"statefulsets", "StatefulSet", true},
        new Object[] {"daemonsets", "DaemonSet", true}));
    RESOURCES.put("batch/v1", List.of(new Object[] {"jobs", "Job", true}, new Object[] {"cronjobs", "CronJob", true}));
    RESOURCES.put("rbac.authorization.k8s.io/v1", List.of(new Object[] {"roles", "Role", true},
        new Object[] {"rolebindings", "RoleBinding", true}, new Object[] {"clusterroles", "ClusterRole", false},
        new Object[] {"clusterrolebindings", "ClusterRoleBinding", false}));
    RESOURCES.put("networking.k8s.io/v1", List.<Object[]>of(new Object[] {"ingresses", "Ingress", true}));
    RESOURCES.put("policy/v1", List.<Object[]>of(new Object[] {"poddisruptionbudgets", "PodDisruptionBudget", true}));
    RESOURCES.put("scheduling.k8s.io/v1", List.<Object[]>of(new Object[] {"priorityclasses", "PriorityClass", false}));
    RESOURCES.put("autoscaling/v1", List.<Object[]>of(new Object[] {"horizontalpodautoscalers", "HorizontalPodAutoscaler", true}));
    RESOURCES.put("autoscaling/v2", List.<Object[]>of(new Object[] {"horizontalpodautoscalers", "HorizontalPodAutoscaler", true}));
    RESOURCES.put("authorization.k8s.io/v1", List.<Object[]>of(
        new Object[] {"selfsubjectaccessreviews", "SelfSubjectAccessReview", false}));
    RESOURCES.put("authentication.k8s.io/v1", List.<Object[]>of(new Object[] {"selfsubjectreviews", "SelfSubjectReview", false}));
    RESOURCES.put("certificates.k8s.io/v1", List.of(
        new Object[] {"certificatesigningrequests", "CertificateSigningRequest", false},
        new Object[] {"certificatesigningrequests/approval", "CertificateSigningRequest", false}));
  }

  /** Objects some commands read before they write (autoscale, create job --from, certificate approve). */
  private static final Map<String, String> OBJECTS = Map.of(
      "/apis/apps/v1/namespaces/default/deployments/x",
      "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"x\",\"namespace\":\"default\",\"uid\":\"u-1\"},"
          + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"template\":{\"metadata\":{\"labels\":"
          + "{\"app\":\"x\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}",
      "/apis/batch/v1/namespaces/default/cronjobs/cj",
      "{\"kind\":\"CronJob\",\"apiVersion\":\"batch/v1\",\"metadata\":{\"name\":\"cj\",\"namespace\":\"default\",\"uid\":\"u-2\"},"
          + "\"spec\":{\"schedule\":\"* * * * *\",\"jobTemplate\":{\"metadata\":{\"labels\":{\"team\":\"a\"}},\"spec\":"
          + "{\"backoffLimit\":0,\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}}}",
      "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1",
      "{\"kind\":\"CertificateSigningRequest\",\"apiVersion\":\"certificates.k8s.io/v1\",\"metadata\":{\"name\":\"csr1\","
          + "\"uid\":\"u-3\",\"resourceVersion\":\"5\"},\"spec\":{\"request\":\"AAAA\",\"signerName\":"
          + "\"kubernetes.io/kube-apiserver-client\",\"usages\":[\"client auth\"],\"username\":\"u\"},\"status\":{}}");

  private final HttpServer server;
  private final java.util.concurrent.ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Request> writes = Collections.synchronizedList(new ArrayList<>());
  private final Path home;

  KubectlCaptureServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
    home = Files.createTempDirectory("kubectl-capture");
  }

  static boolean kubectlPresent() { return Files.isExecutable(KUBECTL); }

  String url() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

  List<Request> writes() { return List.copyOf(writes); }

  /** Runs kubectl against this server; returns its standard output, failing on a non-zero exit. */
  String kubectl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(KUBECTL.toString(), "--server=" + url(),
        "--cache-dir=" + home.resolve("cache"), "--request-timeout=20s"));
    cmd.addAll(List.of(args));
    Path stderr = home.resolve("stderr");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
    pb.environment().put("KUBECONFIG", "/dev/null");
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("kubectl timed out: " + cmd);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("kubectl exited " + p.exitValue() + ": " + cmd + "\n" + text + Files.readString(stderr));
    }
    return text;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (method.equals("GET")) {
        String json = OBJECTS.containsKey(path) ? OBJECTS.get(path) : discovery(path);
        if (json == null) {
          send(ex, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        } else {
          send(ex, 200, json);
        }
        return;
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      String contentType = ex.getRequestHeaders().getFirst("Content-Type");
      writes.add(new Request(method, path, contentType, body));
      if (method.equals("DELETE")) {
        send(ex, 200, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\"}");
        return;
      }
      String answer;
      if (ProtobufDecoder.hasMagic(body)) {
        ObjectNode obj = ProtobufDecoder.get().decode(body);
        switch (obj.path("kind").asString()) {
          case "TokenRequest" -> obj.putObject("status").put("token", "captured");
          case "SelfSubjectAccessReview" -> obj.putObject("status").put("allowed", true);
          case "SelfSubjectReview" -> obj.putObject("status").putObject("userInfo").put("username", "captured");
          default -> { }
        }
        answer = obj.toString();
      } else {
        answer = new String(body, StandardCharsets.UTF_8);
      }
      send(ex, 201, answer);
    } catch (RuntimeException e) {
      send(ex, 500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":500}");
    }
  }

  private static String discovery(String path) {
    if (path.equals("/api")) {
      return "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
          + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}";
    }
    if (path.equals("/apis")) {
      // group → its versions in the order of RESOURCES; the last one is preferred
      Map<String, List<String>> groups = new LinkedHashMap<>();
      for (String gv : RESOURCES.keySet()) {
        int slash = gv.indexOf('/');
        if (slash > 0) groups.computeIfAbsent(gv.substring(0, slash), g -> new ArrayList<>()).add(gv);
      }
      StringBuilder sb = new StringBuilder("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[");
      String sep = "";
      for (Map.Entry<String, List<String>> g : groups.entrySet()) {
        List<String> versions = g.getValue().stream()
            .map(gv -> "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + gv.substring(gv.indexOf('/') + 1) + "\"}").toList();
        sb.append(sep).append("{\"name\":\"").append(g.getKey()).append("\",\"versions\":[").append(String.join(",", versions))
            .append("],\"preferredVersion\":").append(versions.get(versions.size() - 1)).append('}');
        sep = ",";
      }
      return sb.append("]}").toString();
    }
    String gv = path.startsWith("/api/") ? path.substring(5) : path.startsWith("/apis/") ? path.substring(6) : null;
    List<Object[]> resources = gv == null ? null : RESOURCES.get(gv);
    if (resources == null) return null;
    StringBuilder sb = new StringBuilder("{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"")
        .append(gv).append("\",\"resources\":[");
    String sep = "";
    for (Object[] r : resources) {
      sb.append(sep).append("{\"name\":\"").append(r[0]).append("\",\"singularName\":\"\",\"namespaced\":").append(r[2])
          .append(",\"kind\":\"").append(r[1]).append("\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\"]}");
      sep = ",";
    }
    return sb.append("]}").toString();
  }

  private static void send(HttpExchange ex, int code, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    executor.shutdownNow();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
