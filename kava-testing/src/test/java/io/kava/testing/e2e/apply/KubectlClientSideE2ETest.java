package io.kava.testing.e2e.apply;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.e2e.E2E;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The everyday kubectl paths besides server-side apply, with the real kubectl 1.27, 1.30 and 1.33: client-side apply
 * round trips, diff (a server-side dry run), edit, replace, wait, jsonpath and custom-columns output, sorting (a Table
 * with includeObject) and explain.
 */
@Tag("e2e")
class KubectlClientSideE2ETest {
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static Kubectl kubectl(String version) { return E2E.kubectl(cluster, version); }

  static String ns(Kubectl k, String what) {
    String ns = what + "-" + k.version().replace(".", "-");
    ok(k.run("create", "namespace", ns));
    return ns;
  }

  static Path file(String name, String content) throws Exception {
    Path f = Files.createTempFile(cluster.dataDir(), name + "-", ".yaml");
    Files.writeString(f, content);
    return f;
  }

  static String get(Kubectl k, String ns, String what, String jsonpath) {
    return ok(k.run("get", what, "-n", ns, "-o", "jsonpath=" + jsonpath)).out();
  }

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web, tier: front}
      spec:
        replicas: 1
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
            - name: web
              image: busybox:1.36
              command: [sleep, "3600"]
              env:
              - {name: MODE, value: fast}
              - {name: SIZE, value: small}
      """;

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void applyRoundTripsAndDiff(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(k, "csa");
    Path manifest = file("deploy", DEPLOYMENT);
    String f = manifest.toString();

    // diff of an object that does not exist yet: the whole object, and nothing is created by the dry run
    Result fresh = k.run("diff", "-n", ns, "-f", f);
    assertThat(fresh.exitCode()).as(fresh.toString()).isEqualTo(1);
    assertThat(fresh.out()).contains("+  replicas: 1", "+  name: web");
    assertThat(k.run("get", "deployment", "web", "-n", ns).err()).contains("not found");

    assertThat(ok(k.run("apply", "-n", ns, "-f", f)).out()).isEqualTo("deployment.apps/web created\n");
    assertThat(ok(k.run("apply", "-n", ns, "-f", f)).out()).isEqualTo("deployment.apps/web unchanged\n");
    Result same = k.run("diff", "-n", ns, "-f", f);
    assertThat(same.exitCode()).as(same.toString()).isZero();
    assertThat(same.out()).isEmpty();

    // A changed manifest: diff shows the server's dry-run result and leaves the object alone.
    String rv = get(k, ns, "deployment/web", "{.metadata.resourceVersion}");
    Files.writeString(manifest, DEPLOYMENT.replace("replicas: 1", "replicas: 3"));
    Result changed = k.run("diff", "-n", ns, "-f", f);
    assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(1);
    assertThat(changed.out()).contains("-  replicas: 1\n", "+  replicas: 3\n", "-  generation: 1\n", "+  generation: 2\n");
    Result serverSide = k.run("diff", "--server-side", "-n", ns, "-f", f);
    assertThat(serverSide.exitCode()).as(serverSide.toString()).isEqualTo(1);
    assertThat(serverSide.out()).contains("-  replicas: 1\n", "+  replicas: 3\n");
    assertThat(get(k, ns, "deployment/web", "{.spec.replicas} {.metadata.resourceVersion}")).isEqualTo("1 " + rv);

    // Fields dropped from the manifest (a label, a list element, a map key) go, by the last-applied configuration.
    Files.writeString(manifest, DEPLOYMENT.replace("labels: {app: web, tier: front}", "labels: {app: web}")
        .replace("        - {name: SIZE, value: small}\n", ""));
    assertThat(ok(k.run("apply", "-n", ns, "-f", f)).out()).isEqualTo("deployment.apps/web configured\n");
    assertThat(get(k, ns, "deployment/web", "{.metadata.labels} {.spec.template.spec.containers[0].env[*].name} {.spec.replicas}"))
        .isEqualTo("{\"app\":\"web\"} MODE 1");
    assertThat(get(k, ns, "deployment/web", "{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"))
        .contains("\"labels\":{\"app\":\"web\"}").doesNotContain("SIZE");
    // A field another writer set and the manifest never had survives an apply.
    ok(k.run("annotate", "deployment", "web", "-n", ns, "note=kept"));
    ok(k.run("apply", "-n", ns, "-f", f));
    assertThat(get(k, ns, "deployment/web", "{.metadata.annotations.note}")).isEqualTo("kept");
    Result after = k.run("diff", "-n", ns, "-f", f);
    assertThat(after.exitCode()).as(after.toString()).isZero();
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void editAndReplace(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(k, "edit");
    ok(k.run("create", "configmap", "cfg", "-n", ns, "--from-literal=mode=fast"));
    String uid = get(k, ns, "configmap/cfg", "{.metadata.uid}");

    Path editor = cluster.dataDir().resolve("editor-" + v + ".sh");
    Files.writeString(editor, "#!/bin/sh\nsed -i 's/mode: fast/mode: edited/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
    Kubectl editing = k.withEnv(Map.of("EDITOR", editor.toString(), "KUBE_EDITOR", editor.toString()));
    assertThat(ok(editing.run("edit", "configmap", "cfg", "-n", ns)).out()).isEqualTo("configmap/cfg edited\n");
    assertThat(get(k, ns, "configmap/cfg", "{.data.mode}")).isEqualTo("edited");
    // The same edit again changes nothing.
    assertThat(ok(editing.run("edit", "configmap", "cfg", "-n", ns)).err()).contains("Edit cancelled, no changes made.");

    String live = ok(k.run("get", "configmap", "cfg", "-n", ns, "-o", "yaml")).out();
    Path replacement = file("replace", live.replace("mode: edited", "mode: replaced"));
    assertThat(ok(k.run("replace", "-f", replacement.toString())).out()).isEqualTo("configmap/cfg replaced\n");
    assertThat(get(k, ns, "configmap/cfg", "{.data.mode} {.metadata.uid}")).isEqualTo("replaced " + uid);
    // The file's resourceVersion is stale now: a plain replace conflicts, --force deletes and creates.
    Result stale = k.run("replace", "-f", replacement.toString());
    assertThat(stale.exitCode()).isNotZero();
    assertThat(stale.err()).contains("the object has been modified; please apply your changes to the latest version and try again");
    Files.writeString(replacement, live.replace("mode: edited", "mode: forced"));
    Result forced = ok(k.run("replace", "--force", "-f", replacement.toString()));
    assertThat(forced.out()).contains("configmap \"cfg\" deleted\n", "configmap/cfg replaced\n");
    assertThat(get(k, ns, "configmap/cfg", "{.data.mode}")).isEqualTo("forced");
    assertThat(get(k, ns, "configmap/cfg", "{.metadata.uid}")).isNotEqualTo(uid);
  }

  static String crd(String group) {
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.GROUP}
        spec:
          group: GROUP
          scope: Namespaced
          names: {plural: gadgets, singular: gadget, kind: Gadget}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Phase, type: string, jsonPath: .status.phase}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status:
                    type: object
                    properties:
                      phase: {type: string}
                      conditions:
                        type: array
                        items:
                          type: object
                          properties:
                            type: {type: string}
                            status: {type: string}
        """.replace("GROUP", group);
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void waitForConditionsAndDeletion(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(k, "wait");
    String group = "wait" + v.replace(".", "") + ".example.com";
    String gadget = "gadgets." + group; // qualified: each version's run has its own group
    ok(k.runWithInput(crd(group), "apply", "-f", "-"));
    assertThat(ok(k.run("wait", "--for=condition=Established", "--timeout=60s", "crd/gadgets." + group)).out())
        .isEqualTo("customresourcedefinition.apiextensions.k8s.io/gadgets." + group + " condition met\n");
    ok(k.runWithInput("apiVersion: " + group + "/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: 1}\n", "apply", "-n", ns, "-f", "-"));

    // Not met yet: wait times out...
    Result early = k.run("wait", "--for=condition=Ready", "--timeout=1s", "-n", ns, gadget + "/g");
    assertThat(early.exitCode()).isNotZero();
    assertThat(early.err()).contains("timed out waiting for the condition");
    // ...and a wait that is running sees the status change through its watch.
    CompletableFuture<Result> waiting = CompletableFuture.supplyAsync(
        () -> k.runWithTimeout(null, 90, "wait", "--for=condition=Ready", "--timeout=80s", "-n", ns, gadget + "/g"));
    ok(k.run("patch", gadget, "g", "-n", ns, "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"phase\":\"Up\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"));
    assertThat(ok(waiting.get(100, TimeUnit.SECONDS)).out()).isEqualTo("gadget." + group + "/g condition met\n");
    assertThat(ok(k.run("wait", "--for=jsonpath={.status.phase}=Up", "--timeout=30s", "-n", ns, gadget + "/g")).out())
        .isEqualTo("gadget." + group + "/g condition met\n");

    // --for=delete waits out a finalizer.
    ok(k.run("patch", gadget, "g", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}"));
    ok(k.run("delete", gadget, "g", "-n", ns, "--wait=false"));
    Result held = k.run("wait", "--for=delete", "--timeout=1s", "-n", ns, gadget + "/g");
    assertThat(held.exitCode()).as(held.toString()).isNotZero();
    CompletableFuture<Result> deleting = CompletableFuture.supplyAsync(
        () -> k.runWithTimeout(null, 90, "wait", "--for=delete", "--timeout=80s", "-n", ns, gadget + "/g"));
    ok(k.run("patch", gadget, "g", "-n", ns, "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]"));
    ok(deleting.get(100, TimeUnit.SECONDS));
    assertThat(k.run("get", gadget, "g", "-n", ns).err()).contains("not found");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void outputFormatsAndSorting(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(k, "out");
    String group = "sort" + v.replace(".", "") + ".example.com";
    String gadget = "gadgets." + group;
    ok(k.runWithInput(crd(group), "apply", "-f", "-"));
    ok(k.run("wait", "--for=condition=Established", "--timeout=60s", "crd/gadgets." + group));
    Map<String, String> phases = Map.of("b", "Alpha", "a", "Zeta", "c", "Mid");
    for (var e : phases.entrySet()) {
      ok(k.runWithInput("apiVersion: " + group + "/v1\nkind: Gadget\nmetadata: {name: " + e.getKey() + "}\nspec: {}\n",
          "create", "-n", ns, "-f", "-"));
      ok(k.run("patch", gadget, e.getKey(), "-n", ns, "--subresource=status", "--type=merge",
          "-p", "{\"status\":{\"phase\":\"" + e.getValue() + "\"}}"));
    }
    // Table output sorted by a status field: kubectl asks for the Table with includeObject=Object and sorts the rows.
    assertThat(ok(k.run("get", gadget, "-n", ns, "--sort-by=.status.phase")).out())
        .isEqualTo("NAME   PHASE\nb      Alpha\nc      Mid\na      Zeta\n"); // printer columns given: no AGE, as upstream
    assertThat(ok(k.run("get", gadget, "-n", ns, "--sort-by=.metadata.name", "--no-headers")).out())
        .matches("a +Zeta\nb +Alpha\nc +Mid\n");
    assertThat(ok(k.run("get", gadget, "-n", ns, "--sort-by=.status.phase",
        "-o", "custom-columns=NAME:.metadata.name,PHASE:.status.phase")).out())
        .isEqualTo("NAME   PHASE\nb      Alpha\nc      Mid\na      Zeta\n");
    assertThat(ok(k.run("get", gadget, "-n", ns, "-o",
        "jsonpath={range .items[*]}{.metadata.name}={.status.phase}{\"\\n\"}{end}")).out())
        .isEqualTo("a=Zeta\nb=Alpha\nc=Mid\n");

    // The same on built-in kinds: a status field of Services (LoadBalancer ingress written through /status).
    for (String[] svc : new String[][] {{"s1", "10.0.0.9"}, {"s2", "10.0.0.3"}, {"s3", "10.0.0.5"}}) {
      ok(k.run("create", "service", "loadbalancer", svc[0], "--tcp=80:8080", "-n", ns));
      ok(k.run("patch", "service", svc[0], "-n", ns, "--subresource=status", "--type=merge",
          "-p", "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"" + svc[1] + "\"}]}}}"));
    }
    assertThat(ok(k.run("get", "services", "-n", ns, "--sort-by=.status.loadBalancer.ingress[0].ip",
        "-o", "custom-columns=NAME:.metadata.name,IP:.status.loadBalancer.ingress[0].ip,PORT:.spec.ports[0].port")).out())
        .isEqualTo("NAME   IP         PORT\ns2     10.0.0.3   80\ns3     10.0.0.5   80\ns1     10.0.0.9   80\n");
    String table = ok(k.run("get", "services", "-n", ns, "--sort-by=.status.loadBalancer.ingress[0].ip")).out();
    assertThat(table).startsWith("NAME   TYPE           CLUSTER-IP");
    assertThat(table.lines().skip(1).map(l -> l.split(" +")[0]).toList()).containsExactly("s2", "s3", "s1");
    assertThat(ok(k.run("get", "service", "s1", "-n", ns, "-o", "jsonpath={.spec.type}:{.spec.ports[0].targetPort}")).out())
        .isEqualTo("LoadBalancer:8080");
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void explainPrintsFieldDocs(String v) {
    Kubectl k = kubectl(v);
    String out = ok(k.run("explain", "pod.spec.containers")).out();
    assertThat(out).contains("KIND:       Pod\n", "VERSION:    v1\n", "FIELD: containers <[]Container>\n",
        "List of containers belonging to the pod.", "FIELDS:\n", "  image\t<string>\n", "  name\t<string> -required-\n",
        "  ports\t<[]ContainerPort>\n");
    assertThat(ok(k.run("explain", "deployment.spec.replicas")).out())
        .contains("GROUP:      apps\n", "KIND:       Deployment\n", "FIELD: replicas <integer>\n", "Number of desired pods.");
  }
  /** Upstream decodes into Go types: unknown fields are dropped (after Warn's warnings), empty lists and maps read back absent. */
  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.33"})
  void unknownFieldsAndEmptyCollectionsAreNotStored(String v) throws Exception {
    Kubectl k = kubectl(v);
    String ns = ns(k, "drop");
    Path cm = file("cm", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: extra
          labels: {}
          finalizers: []
          colour: blue
        data: {a: "1"}
        binaryData: {}
        shape: round
        """);
    Result warn = ok(k.run("create", "-n", ns, "-f", cm.toString(), "--validate=warn"));
    assertThat(warn.err()).contains("unknown field \"metadata.colour\"", "unknown field \"shape\"");
    assertThat(ok(k.run("get", "configmap", "extra", "-n", ns, "-o", "json")).out())
        .contains("\"a\": \"1\"").doesNotContain("colour", "shape", "binaryData", "labels", "finalizers");

    Path deploy = file("deploy", DEPLOYMENT.replace("env:\n", "volumeMounts: []\n        bogus: 3\n        env:\n")
        .replace("replicas: 1", "replicas: 0\n  unusedField: x"));
    ok(k.run("create", "-n", ns, "-f", deploy.toString(), "--validate=false"));
    String container = get(k, ns, "deployment/web", "{.spec.template.spec.containers[0]}");
    assertThat(container).contains("\"image\":\"busybox:1.36\"", "\"MODE\"").doesNotContain("bogus", "volumeMounts");
    assertThat(get(k, ns, "deployment/web", "{.spec}")).doesNotContain("unusedField");
    // a patch that adds an empty list stores none either
    ok(k.run("patch", "deployment", "web", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"template\":{\"spec\":{\"tolerations\":[]}}}}"));
    assertThat(get(k, ns, "deployment/web", "{.spec.template.spec}")).doesNotContain("tolerations");
  }
}
