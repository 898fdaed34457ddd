package io.kava.testing.e2e;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The foundation issue's commands, driven through the real kubectl 1.27, 1.30 and 1.33 against one kava. */
@Tag("e2e")
class KubectlFoundationE2ETest {
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static Kubectl kubectl(String version) { return E2E.kubectl(cluster, version); }

  static String ns(String version, String what) { return E2E.name(what, version); }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void createsTypedObjectsAndReadsThemBack(String v) {
    Kubectl k = kubectl(v);
    String ns = ns(v, "typed");
    assertThat(ok(k.run("create", "namespace", ns)).out()).contains("namespace/" + ns + " created");
    assertThat(ok(k.run("get", "namespace", ns)).out()).containsPattern(ns + "\\s+Active\\s+\\d+s");
    assertThat(ok(k.run("create", "configmap", "cfg", "--from-literal=a=b", "-n", ns)).out()).contains("configmap/cfg created");
    assertThat(ok(k.run("get", "configmap", "cfg", "-n", ns, "-o", "jsonpath={.data.a}")).out()).isEqualTo("b");
    assertThat(ok(k.run("create", "secret", "generic", "s1", "--from-literal=p=q", "-n", ns)).out()).contains("secret/s1 created");
    assertThat(ok(k.run("get", "secret", "s1", "-n", ns, "-o", "jsonpath={.type} {.data.p}")).out())
        .isEqualTo("Opaque " + Base64.getEncoder().encodeToString("q".getBytes(StandardCharsets.UTF_8)));
    assertThat(ok(k.run("create", "deployment", "web", "--image=nginx", "-n", ns)).out()).contains("deployment.apps/web created");
    assertThat(ok(k.run("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].imagePullPolicy} {.metadata.generation}")).out())
        .isEqualTo("1 Always 1");
    // replicas: 0 is a pointer field that must survive kubectl 1.33's protobuf body.
    ok(k.run("create", "deployment", "zero", "--image=busybox:1.36", "--replicas=0", "-n", ns));
    assertThat(ok(k.run("get", "deployment", "zero", "-n", ns, "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].imagePullPolicy}")).out())
        .isEqualTo("0 IfNotPresent");
    assertThat(ok(k.run("expose", "deployment", "web", "--port=80", "-n", ns)).out()).contains("service/web exposed");
    assertThat(ok(k.run("get", "service", "web", "-n", ns, "-o", "jsonpath={.spec.clusterIP}")).out()).matches("10\\.\\d+\\.\\d+\\.\\d+");
    String table = ok(k.run("get", "service", "web", "-n", ns)).out();
    assertThat(table).containsPattern("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE");
    assertThat(table).containsPattern("web\\s+ClusterIP\\s+10\\.[0-9.]+\\s+<none>\\s+80/TCP\\s+\\d+s");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void getAllDescribeLabelAnnotatePatchScaleDelete(String v) {
    Kubectl k = kubectl(v);
    String ns = ns(v, "verbs");
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "deployment", "web", "--image=nginx:1.25", "-n", ns));
    ok(k.run("expose", "deployment", "web", "--port=8080", "--target-port=80", "-n", ns));
    String all = ok(k.run("get", "all", "-n", ns)).out();
    assertThat(all).contains("deployment.apps/web").contains("service/web");
    String allNs = ok(k.run("get", "all", "-A")).out();
    assertThat(allNs).containsPattern("NAMESPACE\\s+NAME").containsPattern(ns + "\\s+deployment.apps/web\\s+0/1");
    assertThat(ok(k.run("label", "deployment", "web", "tier=frontend", "-n", ns)).out()).contains("deployment.apps/web labeled");
    // kubectl 1.27 prints "annotate", later versions "annotated": both are client-side text.
    assertThat(ok(k.run("annotate", "deployment", "web", "owner=team-a", "-n", ns)).out()).containsPattern("deployment.apps/web annotated?");
    assertThat(ok(k.run("patch", "deployment", "web", "-n", ns, "-p", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.26\"}]}}}}")).out())
        .contains("deployment.apps/web patched");
    assertThat(ok(k.run("scale", "deployment", "web", "--replicas=3", "-n", ns)).out()).contains("deployment.apps/web scaled");
    assertThat(ok(k.run("get", "deployment", "web", "-n", ns, "-o",
        "jsonpath={.metadata.labels.tier} {.metadata.annotations.owner} {.spec.template.spec.containers[0].image} {.spec.replicas} {.metadata.generation}")).out())
        .isEqualTo("frontend team-a nginx:1.26 3 3");
    ok(k.run("patch", "deployment", "web", "-n", ns, "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]"));
    ok(k.run("patch", "deployment", "web", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"labels\":{\"tier\":null}}}"));
    assertThat(ok(k.run("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}|{.metadata.labels.tier}")).out()).isEqualTo("2|");
    String described = ok(k.run("describe", "deployment", "web", "-n", ns)).out();
    assertThat(described).containsPattern("Name:\\s+web").containsPattern("Namespace:\\s+" + ns).contains("nginx:1.26");
    assertThat(ok(k.run("get", "deployment", "web", "-n", ns, "-o", "wide")).out())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+CONTAINERS\\s+IMAGES\\s+SELECTOR")
        .containsPattern("web\\s+0/2\\s+\\d+\\s+0\\s+\\d+s\\s+nginx\\s+nginx:1.26\\s+app=web");
    assertThat(ok(k.run("delete", "deployment", "web", "-n", ns)).out()).contains("deployment.apps \"web\" deleted");
    Result gone = k.run("get", "deployment", "web", "-n", ns);
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.err()).contains("Error from server (NotFound): deployments.apps \"web\" not found");
    assertThat(ok(k.run("delete", "service", "web", "-n", ns)).out()).contains("service \"web\" deleted");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void applyManyDocuments(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(v, "apply");
    ok(k.run("create", "namespace", ns));
    String manifest = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: fast
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          labels: {app: api}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: api}
          template:
            metadata:
              labels: {app: api}
            spec:
              containers:
              - name: api
                image: busybox:1.36
                ports:
                - containerPort: 8080
                - containerPort: 9090
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: api
        spec:
          selector: {app: api}
          ports:
          - port: 80
            targetPort: 8080
        """;
    Path file = Files.createTempFile(cluster.dataDir(), "many-", ".yaml");
    Files.writeString(file, manifest);
    String out = ok(k.run("apply", "-n", ns, "-f", file.toString())).out();
    assertThat(out).contains("configmap/settings created").contains("deployment.apps/api created").contains("service/api created");
    String again = ok(k.run("apply", "-n", ns, "-f", file.toString())).out();
    assertThat(again).contains("configmap/settings unchanged").contains("deployment.apps/api unchanged").contains("service/api unchanged");
    // Dropping a port from the manifest removes it from the object (three-way strategic merge patch).
    Files.writeString(file, manifest.replaceAll("(?m)^ *- containerPort: 9090\n", "").replace("mode: fast", "mode: slow"));
    String changed = ok(k.run("apply", "-n", ns, "-f", file.toString())).out();
    assertThat(changed).contains("configmap/settings configured").contains("deployment.apps/api configured");
    assertThat(ok(k.run("get", "deployment", "api", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].ports[*].containerPort} {.metadata.generation}")).out())
        .isEqualTo("8080 2");
    assertThat(ok(k.run("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.mode}")).out()).isEqualTo("slow");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void watchPrintsNewObjects(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(v, "watch");
    ok(k.run("create", "namespace", ns));
    Process watch = k.start("get", "pods", "-w", "-n", ns);
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
      String pod = """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"watched"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}
          """;
      // Give the watch a moment to be established, then create; the watch must print the new pod's row.
      Thread.sleep(1500);
      ok(k.runWithInput(pod, "create", "-n", ns, "-f", "-"));
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String line;
      while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
        seen.add(line);
        if (line.startsWith("watched")) break;
      }
      assertThat(seen).as("kubectl get -w output").anySatisfy(l -> assertThat(l).matches("watched\\s+0/1\\s+Pending\\s+0\\s+\\d+s"));
    } finally {
      watch.destroyForcibly();
    }
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void apiResourcesAndErrors(String v) {
    Kubectl k = kubectl(v);
    String resources = ok(k.run("api-resources")).out();
    assertThat(resources).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
    assertThat(resources).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace");
    assertThat(resources).containsPattern("priorityclasses\\s+pc\\s+scheduling.k8s.io/v1\\s+false\\s+PriorityClass");
    Result missing = k.run("get", "pod", "does-not-exist", "-n", "default");
    assertThat(missing.err()).contains("Error from server (NotFound): pods \"does-not-exist\" not found");
    Result badName = k.run("create", "configmap", "Bad_Name", "-n", "default");
    assertThat(badName.exitCode()).isNotZero();
    assertThat(badName.err()).contains("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"");
    Result noNs = k.run("create", "configmap", "x", "-n", "no-such-namespace-" + v.replace(".", ""));
    assertThat(noNs.err()).contains("namespaces \"no-such-namespace-" + v.replace(".", "") + "\" not found");
    Result dup = k.run("create", "namespace", "default");
    assertThat(dup.err()).contains("Error from server (AlreadyExists): namespaces \"default\" already exists");
  }
}
