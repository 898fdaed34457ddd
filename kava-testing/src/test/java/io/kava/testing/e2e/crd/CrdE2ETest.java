package io.kava.testing.e2e.crd;

import static io.kava.testing.e2e.E2E.fails;
import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.e2e.E2E;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD issue through the real kubectl 1.27, 1.30 and 1.33: a CronTab CRD with a structural schema, defaults, the
 * status and scale subresources, printer columns and a second version, its custom resources, and its deletion.
 * Each kubectl version works with its own group, so the runs share one cluster without sharing names.
 */
@Tag("e2e")
class CrdE2ETest {
  static KavaCluster cluster;

  @BeforeAll
  static void start() { cluster = KavaCluster.start(); }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static Kubectl kubectl(String version) { return E2E.kubectl(cluster, version); }

  /** Polls (generous deadline) until {@code probe} gives a result that satisfies {@code done}. */
  static Result poll(Supplier<Result> probe, java.util.function.Predicate<Result> done) {
    long end = System.nanoTime() + 60_000_000_000L;
    Result r = probe.get();
    while (!done.test(r)) {
      if (System.nanoTime() - end > 0) throw new AssertionError("gave up after 60 s; last: " + r);
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      r = probe.get();
    }
    return r;
  }

  /** Both versions serve the same schema, subresources and columns (kubectl uses v2, the preferred version). */
  static String crd(String group) {
    String version = """
          served: true
          subresources:
            status: {}
            scale:
              specReplicasPath: .spec.replicas
              statusReplicasPath: .status.replicas
              labelSelectorPath: .status.labelSelector
          additionalPrinterColumns:
          - name: Spec
            type: string
            description: The cron spec defining the interval a CronJob is run
            jsonPath: .spec.cronSpec
          - name: Replicas
            type: integer
            description: The number of jobs launched by the CronJob
            jsonPath: .spec.replicas
          - name: Age
            type: date
            jsonPath: .metadata.creationTimestamp
          schema:
            openAPIV3Schema:
              description: CronTab runs a command at the times of its cron spec.
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    cronSpec:
                      type: string
                      description: When to run, in cron format.
                    image:
                      type: string
                    replicas:
                      type: integer
                      minimum: 0
                      default: 1
                status:
                  type: object
                  properties:
                    replicas: {type: integer}
                    labelSelector: {type: string}
        """;
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: crontabs.GROUP
        spec:
          group: GROUP
          scope: Namespaced
          names:
            plural: crontabs
            singular: crontab
            kind: CronTab
            shortNames: [SHORT]
          versions:
          - name: v1
            storage: true
        """.replace("GROUP", group).replace("SHORT", shortName(group)) + version.indent(2) + "  - name: v2\n    storage: false\n" + version.indent(2);
  }

  /** Short names are not group-qualified: each run has its own. */
  static String shortName(String group) { return "ct" + group.replaceAll("[^0-9]", ""); }

  static String cronTab(String group, String name, String extraSpec) {
    return """
        apiVersion: GROUP/v1
        kind: CronTab
        metadata:
          name: NAME
        spec:
          cronSpec: "* * * * */5"
          image: my-awesome-cron-image
        """.replace("GROUP", group).replace("NAME", name) + extraSpec.indent(2);
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void customResourceLifecycle(String v) {
    Kubectl k = kubectl(v);
    String suffix = v.replace(".", "-");
    String group = "stable-" + suffix + ".example.com";
    String ns = "crd-" + suffix;
    String crontabs = "crontabs." + group;
    ok(k.run("create", "namespace", ns));

    // the CRD: created, established, and its resource discoverable at once
    assertThat(ok(k.runWithInput(crd(group), "apply", "-f", "-")).out())
        .contains("customresourcedefinition.apiextensions.k8s.io/" + crontabs + " created");
    assertThat(ok(k.run("wait", "--for", "condition=established", "--timeout=60s", "crd/" + crontabs)).out())
        .contains("condition met");
    assertThat(ok(k.run("get", "crd", crontabs, "-o",
        "jsonpath={.status.conditions[?(@.type==\"NamesAccepted\")].reason} {.status.conditions[?(@.type==\"Established\")].reason} {.status.acceptedNames.kind} {.status.storedVersions}")).out())
        .isEqualTo("NoConflicts InitialNamesAccepted CronTab [\"v1\"]");
    assertThat(ok(k.run("get", crontabs, "-n", ns)).err()).contains("No resources found");

    // a custom resource from YAML: defaulted, listed with the printer columns
    assertThat(ok(k.runWithInput(cronTab(group, "my-new-cron-object", ""), "apply", "-n", ns, "-f", "-")).out())
        .contains("crontab." + group + "/my-new-cron-object created");
    String table = ok(k.run("get", crontabs, "-n", ns)).out();
    assertThat(table).containsPattern("NAME\\s+SPEC\\s+REPLICAS\\s+AGE");
    assertThat(table).containsPattern("my-new-cron-object\\s+\\* \\* \\* \\* \\*/5\\s+1\\s+\\d+s");
    assertThat(ok(k.run("get", shortName(group), "-n", ns, "-o", "name")).out()).contains("crontab." + group + "/my-new-cron-object");

    // unknown fields: rejected under kubectl's default strict validation, pruned without validation
    Result strict = fails(k.runWithInput(cronTab(group, "strict", "someRandomField: 42"), "create", "-n", ns, "-f", "-"));
    assertThat(strict.err()).contains("unknown field \"spec.someRandomField\"");
    ok(k.runWithInput(cronTab(group, "pruned", "someRandomField: 42"), "create", "--validate=false", "-n", ns, "-f", "-"));
    assertThat(ok(k.run("get", crontabs, "pruned", "-n", ns, "-o", "json")).out()).doesNotContain("someRandomField");

    // a wrong type: upstream's schema validation message
    Result wrongType = fails(k.runWithInput(cronTab(group, "wrong", "replicas: three"), "create", "--validate=false", "-n", ns, "-f", "-"));
    assertThat(wrongType.err())
        .contains("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");

    // scale subresource
    assertThat(ok(k.run("scale", crontabs + "/my-new-cron-object", "--replicas=3", "-n", ns)).out())
        .contains("crontab." + group + "/my-new-cron-object scaled");
    assertThat(ok(k.run("get", crontabs, "my-new-cron-object", "-n", ns, "-o", "jsonpath={.spec.replicas} {.metadata.generation}")).out())
        .isEqualTo("3 2");

    // merge and JSON patches; strategic merge patch is not defined for custom resources
    assertThat(ok(k.run("patch", crontabs, "my-new-cron-object", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"image\":\"other-image\"}}")).out())
        .contains("patched");
    ok(k.run("patch", crontabs, "my-new-cron-object", "-n", ns, "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/cronSpec\",\"value\":\"0 * * * *\"}]"));
    assertThat(ok(k.run("get", crontabs, "my-new-cron-object", "-n", ns, "-o", "jsonpath={.spec.image}|{.spec.cronSpec}")).out())
        .isEqualTo("other-image|0 * * * *");
    Result smp = fails(k.run("patch", crontabs, "my-new-cron-object", "-n", ns, "--type=strategic", "-p", "{\"spec\":{\"image\":\"x\"}}"));
    assertThat(smp.err()).contains("application/strategic-merge-patch+json is not supported");

    // the status subresource takes status only, the main resource everything but status
    ok(k.run("patch", crontabs, "my-new-cron-object", "-n", ns, "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"replicas\":2,\"labelSelector\":\"app=cron\"},\"spec\":{\"replicas\":9}}"));
    ok(k.run("patch", crontabs, "my-new-cron-object", "-n", ns, "--type=merge", "-p", "{\"status\":{\"replicas\":7}}"));
    assertThat(ok(k.run("get", crontabs, "my-new-cron-object", "-n", ns, "-o", "jsonpath={.spec.replicas} {.status.replicas}")).out())
        .isEqualTo("3 2");
    assertThat(ok(k.run("get", "--raw", "/apis/" + group + "/v1/namespaces/" + ns + "/crontabs/my-new-cron-object/scale")).out())
        .contains("\"selector\":\"app=cron\"").contains("\"replicas\":3");

    // the second version serves the same objects (None conversion)
    assertThat(ok(k.run("get", "crontabs.v2." + group, "my-new-cron-object", "-n", ns, "-o", "jsonpath={.apiVersion} {.spec.image}")).out())
        .isEqualTo(group + "/v2 other-image");
    assertThat(ok(k.run("get", "crontabs.v2." + group, "-n", ns)).out()).contains("my-new-cron-object");

    // the schema is published: kubectl explain reads it
    assertThat(ok(k.run("explain", "crontabs.spec", "--api-version=" + group + "/v1")).out())
        .contains("cronSpec").contains("When to run, in cron format.");

    // deleting the CRD deletes its objects and removes the resource
    assertThat(ok(k.run("delete", "crd", crontabs, "--timeout=60s")).out()).contains("deleted");
    assertThat(ok(k.run("api-resources", "--api-group=" + group)).out()).doesNotContain("crontabs");
    fails(k.run("get", crontabs, "-n", ns));
    // created again, the CRD starts empty
    ok(k.runWithInput(crd(group), "apply", "-f", "-"));
    ok(k.run("wait", "--for", "condition=established", "--timeout=60s", "crd/" + crontabs));
    Result empty = poll(() -> k.run("get", crontabs, "-n", ns), r -> r.ok());
    assertThat(empty.out()).doesNotContain("my-new-cron-object");
    assertThat(empty.err()).contains("No resources found");
    ok(k.run("delete", "crd", crontabs, "--timeout=60s"));
  }
}
