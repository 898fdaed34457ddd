package io.kava.testing.e2e.apply;

import static io.kava.testing.e2e.E2E.fails;
import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.e2e.E2E;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server-side apply and managedFields through the real kubectl 1.27, 1.30 and 1.33 against one kava. */
@Tag("e2e")
class ServerSideApplyE2ETest {
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static Kubectl kubectl(String version) { return E2E.kubectl(cluster, version); }

  static String ns(String version, String what) { return E2E.name(what, version); }

  static Path file(String name, String content) throws Exception {
    Path f = Files.createTempFile(cluster.dataDir(), name + "-", ".yaml");
    Files.writeString(f, content);
    return f;
  }

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web, tier: front}
      spec:
        replicas: 2
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
            - name: web
              image: busybox:1.36
              ports:
              - containerPort: 8080
      """;

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void applyConflictsForceAndPrune(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(v, "ssa");
    ok(k.run("create", "namespace", ns));
    Path manifest = file("ssa", DEPLOYMENT);
    assertThat(ok(k.run("apply", "--server-side", "-n", ns, "-f", manifest.toString())).out())
        .contains("deployment.apps/web serverside-applied");
    assertThat(ok(k.run("apply", "--server-side", "-n", ns, "-f", manifest.toString())).out())
        .contains("deployment.apps/web serverside-applied");
    assertThat(ok(k.run("get", "deployment", "web", "-n", ns, "-o",
        "jsonpath={.metadata.generation} {.metadata.managedFields[?(@.operation==\"Apply\")].manager}")).out()).isEqualTo("1 kubectl");
    String yaml = ok(k.run("get", "deployment", "web", "-n", ns, "-o", "yaml", "--show-managed-fields")).out();
    assertThat(yaml).contains("manager: kubectl\n", "operation: Apply\n", "fieldsType: FieldsV1\n", "f:replicas: {}\n",
        "k:{\"name\":\"web\"}:\n", "k:{\"containerPort\":8080,\"protocol\":\"TCP\"}:\n");

    // Another manager changes replicas: the next apply conflicts with it, unless forced.
    ok(k.run("scale", "deployment", "web", "--replicas=5", "-n", ns));
    Result conflict = fails(k.run("apply", "--server-side", "-n", ns, "-f", manifest.toString()));
    assertThat(conflict.err()).containsPattern("Apply failed with 1 conflict: conflict with \"kubectl[^\"]*\"( with subresource \"scale\")? using apps/v1: \\.spec\\.replicas");
    ok(k.run("apply", "--server-side", "--force-conflicts", "-n", ns, "-f", manifest.toString()));
    assertThat(ok(k.run("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).out()).isEqualTo("2");

    // A second applier may share a value but not change it.
    Path other = file("other", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec: {replicas: 3}
        """);
    Result otherConflict = fails(k.run("apply", "--server-side", "--field-manager=other", "-n", ns, "-f", other.toString()));
    assertThat(otherConflict.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");

    // Fields dropped from the manifest are removed from the object.
    Files.writeString(manifest, DEPLOYMENT.replace("labels: {app: web, tier: front}", "labels: {app: web}")
        .replace("    - containerPort: 8080\n", "    - containerPort: 9090\n"));
    ok(k.run("apply", "--server-side", "-n", ns, "-f", manifest.toString()));
    assertThat(ok(k.run("get", "deployment", "web", "-n", ns, "-o",
        "jsonpath={.metadata.labels} {.spec.template.spec.containers[0].ports[*].containerPort}")).out())
        .isEqualTo("{\"app\":\"web\"} 9090");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void clientSideThenServerSideApply(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(v, "csa");
    ok(k.run("create", "namespace", ns));
    String cm = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: fast
          size: small
        """;
    Path manifest = file("csa", cm);
    assertThat(ok(k.run("apply", "-n", ns, "-f", manifest.toString())).out()).contains("configmap/settings created");
    assertThat(ok(k.run("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.metadata.managedFields[*].manager}")).out())
        .isEqualTo("kubectl-client-side-apply");
    // The client-side applier's values are taken over without conflicts.
    Files.writeString(manifest, cm.replace("mode: fast", "mode: slow"));
    assertThat(ok(k.run("apply", "--server-side", "-n", ns, "-f", manifest.toString())).out()).contains("configmap/settings serverside-applied");
    assertThat(ok(k.run("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.mode}")).out()).isEqualTo("slow");
    // kubectl then migrates the client-side entry into its own (a JSON patch of managedFields); both are Apply entries,
    // ordered by time, then manager, so their order depends on whether the two applies fell in the same second
    assertThat(ok(k.run("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.metadata.managedFields[*].manager}")).out().split(" "))
        .containsExactlyInAnyOrder("kubectl", "kubectl-last-applied");
    // ...and back to client-side apply, which diffs against the annotation the server kept in step.
    Files.writeString(manifest, cm.replace("  size: small\n", ""));
    ok(k.run("apply", "-n", ns, "-f", manifest.toString()));
    assertThat(ok(k.run("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data}")).out()).isEqualTo("{\"mode\":\"fast\"}");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void updatesRecordTheirManagers(String v) {
    Kubectl k = kubectl(v);
    String ns = ns(v, "mf");
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "configmap", "cfg", "--from-literal=a=b", "-n", ns));
    ok(k.run("label", "configmap", "cfg", "team=x", "-n", ns));
    String yaml = ok(k.run("get", "configmap", "cfg", "-n", ns, "-o", "yaml", "--show-managed-fields")).out();
    assertThat(yaml).contains("manager: kubectl-create\n", "manager: kubectl-label\n", "operation: Update\n", "f:team: {}\n");
    assertThat(ok(k.run("get", "configmap", "cfg", "-n", ns, "-o", "yaml")).out()).doesNotContain("managedFields");
  }

  @Test
  void applyCustomResources() throws Exception {
    Kubectl k = kubectl("1.33");
    String ns = "cr-1-33";
    ok(k.run("create", "namespace", ns));
    ok(k.runWithInput("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.ssa.example.com}
        spec:
          group: ssa.example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer}
                      color: {type: string}
                      tags: {type: array, items: {type: string}}
                  status:
                    type: object
                    properties:
                      phase: {type: string}
        """, "apply", "-f", "-"));
    ok(k.run("wait", "--for", "condition=established", "--timeout=60s", "crd/widgets.ssa.example.com"));
    String widget = """
        apiVersion: ssa.example.com/v1
        kind: Widget
        metadata: {name: w}
        spec: {size: 1, color: red, tags: [a, b]}
        """;
    assertThat(ok(k.runWithInput(widget, "apply", "--server-side", "-n", ns, "-f", "-")).out()).contains("widget.ssa.example.com/w serverside-applied");
    ok(k.runWithInput(widget, "apply", "--server-side", "-n", ns, "-f", "-"));
    Result conflict = fails(k.runWithInput(widget.replace("size: 1", "size: 2"), "apply", "--server-side", "--field-manager=other", "-n", ns, "-f", "-"));
    assertThat(conflict.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.size");
    ok(k.runWithInput(widget.replace(", color: red", ""), "apply", "--server-side", "-n", ns, "-f", "-"));
    assertThat(ok(k.run("get", "widgets", "w", "-n", ns, "-o", "jsonpath={.spec}")).out()).isEqualTo("{\"size\":1,\"tags\":[\"a\",\"b\"]}");

    // kubectl 1.33 applies to subresources: only the status is applied, under its own entry
    String status = widget.replace("size: 1", "size: 9") + "status: {phase: Ready}\n";
    ok(k.runWithInput(status, "apply", "--server-side", "--subresource=status", "--field-manager=status-writer", "-n", ns, "-f", "-"));
    assertThat(ok(k.run("get", "widgets", "w", "-n", ns, "-o",
        "jsonpath={.spec.size} {.status.phase} {.metadata.managedFields[?(@.manager==\"status-writer\")].subresource}")).out())
        .isEqualTo("1 Ready status");
  }

}
