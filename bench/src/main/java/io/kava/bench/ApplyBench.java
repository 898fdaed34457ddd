package io.kava.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The API-fidelity issue's targets, with the real kubectl against kava in a child JVM: {@code kubectl apply -f} of a
 * many-document manifest against {@code kubectl create -f} of the same manifest (each into a fresh namespace, so both
 * create every object), and the OpenAPI documents served from a cache that is rebuilt once per schema change.
 */
@Command(name = "bench apply", mixinStandardHelpOptions = true, sortOptions = false, version = "kava apply benchmark 0.1",
    description = {"Times kubectl apply -f vs kubectl create -f of one manifest against kava in a child JVM, then the "
        + "OpenAPI v3 documents: first GET after start and after a schema change (a CRD) vs later GETs."})
public final class ApplyBench implements Callable<Integer> {
  @Option(names = "--kubectl", defaultValue = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
      description = "The kubectl binary (default: ${DEFAULT-VALUE}).")
  Path kubectl;

  @Option(names = "--documents", defaultValue = "50", description = "Documents in the manifest (default: ${DEFAULT-VALUE}).")
  int documents;

  @Option(names = "--repeats", defaultValue = "7", description = "Runs of each command, alternating (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--openapi-gets", defaultValue = "50", description = "Timed GETs of each OpenAPI document (default: ${DEFAULT-VALUE}).")
  int openapiGets;

  @Option(names = "--store", defaultValue = "sqlite", description = "kava's store (default: ${DEFAULT-VALUE}).")
  String store;

  @Mixin RunOptions shared;

  private final PrintStream log = System.out;
  private final List<String> figures = new ArrayList<>();
  private Path work;
  private KavaProcess kava;

  public static void main(String[] args) { System.exit(new CommandLine(new ApplyBench()).execute(args)); }

  @Override
  public Integer call() throws Exception {
    if (!Files.isExecutable(kubectl)) {
      log.println("kubectl not found at " + kubectl + ": nothing to measure (--kubectl PATH)");
      return 2;
    }
    String started = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19);
    String version = run(List.of(kubectl.toString(), "version", "--client", "-o", "yaml"), null).out().lines()
        .filter(l -> l.contains("gitVersion")).findFirst().orElse("?").trim();
    log.printf("kava apply benchmark, %s; %d CPUs (%s), JDK %s; kubectl %s (%s); load average %s%n", started,
        Runtime.getRuntime().availableProcessors(), Machine.cpuModel(), System.getProperty("java.version"), kubectl, version, Machine.loadAverage());
    String loadAtStart = Machine.loadAverage();
    Machine.Cpu runStart = Machine.cpu();
    work = Files.createTempDirectory("kava-apply-bench-");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      kava = KavaProcess.start(vertx, shared.kavaTree(), store, List.of(), List.of("--runtime", "none"), work); // no node needed
      Path manifest = work.resolve("manifest.yaml");
      Files.writeString(manifest, manifest(documents), StandardCharsets.UTF_8);
      HttpClientAgent api = Clients.http(vertx, kava.endpoint(), Clients.Protocol.H1, 4, 1, 1);
      try {
        openApi(api, "after start");
        applyVsCreate(manifest);
        schemaChange(api);
      } finally {
        api.close().await();
      }
    } finally {
      if (kava != null) kava.close();
      vertx.close().await();
    }
    String end = String.format(Locale.ROOT, "other processes used %.0f%% of the CPUs over the run; load average %s at the start, %s at the end",
        Machine.cpu().foreignShare(runStart) * 100, loadAtStart, Machine.loadAverage());
    log.println(end);
    log.println();
    figures.forEach(log::println);
    if (shared.writesReport()) {
      StringBuilder md = new StringBuilder("Run ").append(started).append(" on ").append(Runtime.getRuntime().availableProcessors())
          .append(" CPUs (").append(Machine.cpuModel()).append("), JDK ").append(System.getProperty("java.version")).append(", kubectl ")
          .append(version.replace("gitVersion: ", "")).append(".\n\n");
      shared.appendCommandLine(md, null);
      figures.forEach(f -> md.append(f).append('\n'));
      md.append("- ").append(end).append('\n');
      shared.writeReport(log, md);
    }
    StartupBench.deleteTree(work);
    return 0;
  }

  /** apply -f and create -f of the same manifest, alternating, each into a namespace of its own. */
  private void applyVsCreate(Path manifest) throws Exception {
    // discovery and the OpenAPI index are cached by kubectl in its cache dir: warm it once so neither side pays for it
    kubectl(List.of("get", "namespaces"));
    Samples apply = new Samples();
    Samples create = new Samples();
    Samples reapply = new Samples();
    shared.awaitQuiet(log, "kubectl apply vs create");
    Machine.Cpu before = Machine.cpu();
    for (int i = 0; i < repeats; i++) {
      for (String verb : i % 2 == 0 ? List.of("create", "apply") : List.of("apply", "create")) {
        String ns = verb + "-" + i;
        kubectl(List.of("create", "namespace", ns));
        long t0 = System.nanoTime();
        Run r = kubectl(List.of(verb, "-f", manifest.toString(), "-n", ns));
        long took = System.nanoTime() - t0;
        long lines = r.out().lines().filter(l -> l.endsWith(" created")).count();
        if (lines != documents) throw new IllegalStateException("kubectl " + verb + " printed " + lines + " 'created' lines:\n" + r.out() + r.err());
        (verb.equals("apply") ? apply : create).add(took);
        if (verb.equals("apply")) {
          long t1 = System.nanoTime();
          Run again = kubectl(List.of("apply", "-f", manifest.toString(), "-n", ns));
          reapply.add(System.nanoTime() - t1);
          long unchanged = again.out().lines().filter(l -> l.endsWith(" unchanged")).count();
          if (unchanged != documents) throw new IllegalStateException("re-apply printed " + unchanged + " 'unchanged' lines:\n" + again.out());
        }
      }
    }
    double foreign = Machine.cpu().foreignShare(before);
    double a = apply.percentileMillis(50);
    double c = create.percentileMillis(50);
    log.printf("[apply] kubectl create -f: median %.0f ms (min %.0f); kubectl apply -f: median %.0f ms (min %.0f); re-apply (unchanged) "
            + "median %.0f ms; ratio %.2f; other processes used %.0f%% of the CPUs%n", c, create.percentileMillis(0), a, apply.percentileMillis(0),
        reapply.percentileMillis(50), a / c, foreign * 100);
    String busy = busy(foreign);
    figure(String.format(Locale.ROOT, "`kubectl create -f` of a %d-document manifest (median of %d)", documents, repeats),
        String.format(Locale.ROOT, "%.0f ms%s", c, busy));
    figure(String.format(Locale.ROOT, "`kubectl apply -f` of the same manifest, every object new (median of %d)", repeats),
        String.format(Locale.ROOT, "%.0f ms — %.2f× the creates (target ≤ 1.2×)%s", a, a / c, busy));
    figure("`kubectl apply -f` again, every object unchanged (median)", String.format(Locale.ROOT, "%.0f ms%s", reapply.percentileMillis(50), busy));
  }

  /** A CRD is a schema change: the documents are built again once, on the next request, then served from the cache. */
  private void schemaChange(HttpClientAgent api) throws Exception {
    // through the API, not kubectl: kubectl create would itself fetch the OpenAPI documents and hide the rebuild
    String crd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.bench.kava.io"},
         "spec":{"group":"bench.kava.io","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
           "spec":{"type":"object","properties":{"size":{"type":"integer"},"color":{"type":"string"}}}}}}}]}}""";
    Api.Response r = Api.fetch(api, HttpMethod.POST, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        io.vertx.core.buffer.Buffer.buffer(crd), "application/json").await();
    if (r.status() != 201) throw new IllegalStateException("creating the CRD: HTTP " + r.status() + ": " + r.body());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      r = Api.fetch(api, HttpMethod.GET, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.bench.kava.io", null, null).await();
      if (established(r)) break;
      Thread.sleep(50);
    }
    Thread.sleep(2000);
    openApi(api, "after a CRD was created");
  }

  private static boolean established(Api.Response r) {
    if (r.status() != 200) return false;
    for (tools.jackson.databind.JsonNode c : io.kava.api.json.Json.parse(r.body().getBytes()).path("status").path("conditions")) {
      if (c.path("type").asString("").equals("Established") && c.path("status").asString("").equals("True")) return true;
    }
    return false;
  }

  /** First GET of each v3 document vs the median of later ones; the entity tag must not change between them. */
  private void openApi(HttpClientAgent api, String when) throws Exception {
    shared.awaitQuiet(log, "the OpenAPI GETs");
    List<String> paths = new ArrayList<>(List.of("/openapi/v3", "/openapi/v3/api/v1", "/openapi/v3/apis/apps/v1"));
    if (when.contains("CRD")) paths.add("/openapi/v3/apis/bench.kava.io/v1");
    for (String path : paths) {
      long t0 = System.nanoTime();
      Fetched first = get(api, path);
      double firstMs = (System.nanoTime() - t0) / 1e6;
      Samples later = new Samples();
      boolean sameTag = true;
      for (int i = 0; i < openapiGets; i++) {
        long t1 = System.nanoTime();
        Fetched f = get(api, path);
        later.add(System.nanoTime() - t1);
        sameTag &= f.etag().equals(first.etag());
      }
      log.printf("[openapi] %s, GET %s (%,d bytes): first %.1f ms, then median %.2f ms, p99 %.2f ms over %d; ETag %s%n", when, path,
          first.bytes(), firstMs, later.percentileMillis(50), later.percentileMillis(99), openapiGets, sameTag ? "unchanged" : "CHANGED");
      figure(String.format(Locale.ROOT, "GET %s %s (%,d bytes)", path, when, first.bytes()),
          String.format(Locale.ROOT, "first %.1f ms, then median %.2f ms over %d GETs, ETag %s", firstMs, later.percentileMillis(50), openapiGets,
              sameTag ? "the same on every GET" : "CHANGED between GETs"));
    }
  }

  private record Fetched(int bytes, String etag) {}

  private static Fetched get(HttpClientAgent api, String path) {
    return api.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path).putHeader("Accept", "application/json"))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) throw new IllegalStateException("GET " + path + ": HTTP " + resp.statusCode());
          return new Fetched(b.length(), String.valueOf(resp.getHeader("ETag")));
        }))
        .await();
  }

  /** A manifest of {@code n} documents: ConfigMaps, Secrets, Services and Deployments in turn. */
  static String manifest(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append("---\n");
      switch (i % 4) {
        case 0 -> sb.append("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: config-%d, labels: {app: bench}}
            data: {greeting: hello, size: "%d"}
            """.formatted(i, i));
        case 1 -> sb.append("""
            apiVersion: v1
            kind: Secret
            metadata: {name: secret-%d, labels: {app: bench}}
            type: Opaque
            data: {password: %s}
            """.formatted(i, java.util.Base64.getEncoder().encodeToString(("s3cr3t-" + i).getBytes(StandardCharsets.UTF_8))));
        case 2 -> sb.append("""
            apiVersion: v1
            kind: Service
            metadata: {name: svc-%d, labels: {app: bench}}
            spec:
              selector: {app: web-%d}
              ports: [{name: http, port: 80, targetPort: 8080}]
            """.formatted(i, i));
        default -> sb.append("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web-%d, labels: {app: bench}}
            spec:
              replicas: 0
              selector: {matchLabels: {app: web-%d}}
              template:
                metadata: {labels: {app: web-%d}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports: [{containerPort: 8080}]
                    env: [{name: MODE, value: bench}]
            """.formatted(i, i, i));
      }
    }
    return sb.toString();
  }

  private record Run(int code, String out, String err) {}

  private Run kubectl(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(kubectl.toString());
    cmd.add("--kubeconfig=" + kava.kubeconfig());
    cmd.add("--cache-dir=" + work.resolve("kube-cache"));
    cmd.addAll(args);
    Run r = run(cmd, null);
    if (r.code() != 0) throw new IllegalStateException(String.join(" ", args) + " failed (" + r.code() + "): " + r.out() + r.err());
    return r;
  }

  private static Run run(List<String> cmd, Path dir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (dir != null) pb.directory(dir.toFile());
    Path err = Files.createTempFile("kubectl-", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
    String e = Files.readString(err, StandardCharsets.UTF_8);
    Files.deleteIfExists(err);
    return new Run(p.exitValue(), out, e);
  }

  private void figure(String label, String value) { figures.add("- " + label + ": " + value); }

  private static String busy(double share) {
    return share >= 0.10 ? String.format(Locale.ROOT, " (other processes used %.0f%% of the CPUs)", share * 100) : "";
  }
}
