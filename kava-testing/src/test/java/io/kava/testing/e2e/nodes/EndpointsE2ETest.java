package io.kava.testing.e2e.nodes;

import static io.kava.testing.e2e.nodes.SimCluster.jsonpath;
import static io.kava.testing.e2e.nodes.SimCluster.ok;
import static io.kava.testing.e2e.nodes.SimCluster.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Endpoints and EndpointSlice controllers with pods on simulated nodes: a Service's endpoints follow its ready
 * pods, as kubectl get endpoints / endpointslices and describe svc show them.
 */
@Tag("e2e")
class EndpointsE2ETest {
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    SimCluster.assumeSimNodes();
    cluster = KavaCluster.start();
    k = SimCluster.kubectl(cluster);
    SimCluster.startNodes(k, 2);
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static List<String> podIps(String ns) {
    String ips = jsonpath(k, ns, "pods", "{.items[*].status.podIP}").trim();
    return ips.isEmpty() ? List.of() : Arrays.stream(ips.split(" ")).sorted().toList();
  }

  @Test
  void endpointsAndSlicesFollowTheReadyPods() {
    String ns = "ep";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", ns));
    ok(k.run("expose", "deployment", "web", "--port=80", "--target-port=8080", "-n", ns));
    until(() -> podIps(ns).size() == 2, () -> k.run("get", "pods", "-n", ns, "-o", "wide").out());
    List<String> ips = podIps(ns);

    // kubectl get endpoints: IP:PORT of both pods.
    until(() -> k.run("get", "endpoints", "web", "-n", ns).out().contains(ips.get(0) + ":8080")
            && k.run("get", "endpoints", "web", "-n", ns).out().contains(ips.get(1) + ":8080"),
        () -> k.run("get", "endpoints", "web", "-n", ns, "-o", "yaml").toString());
    assertThat(jsonpath(k, ns, "endpoints/web", "{.subsets[0].ports[0].port}")).isEqualTo("8080");
    assertThat(jsonpath(k, ns, "endpoints/web", "{.subsets[0].addresses[*].targetRef.kind}")).isEqualTo("Pod Pod");

    // kubectl get endpointslices: one IPv4 slice, managed and owned.
    until(() -> k.run("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=web").out().contains(ips.get(0)),
        () -> k.run("get", "endpointslices", "-n", ns, "-o", "yaml").toString());
    String slices = ok(k.run("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=web")).out();
    assertThat(slices).contains("IPv4").contains("8080").contains("web-");
    assertThat(jsonpath(k, ns, "endpointslices", "{.items[0].metadata.labels.endpointslice\\.kubernetes\\.io/managed-by}"))
        .isEqualTo("endpointslice-controller.k8s.io");
    assertThat(jsonpath(k, ns, "endpointslices", "{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name}"))
        .isEqualTo("Service/web");
    assertThat(jsonpath(k, ns, "endpointslices", "{.items[0].endpoints[*].conditions.ready}")).isEqualTo("true true");

    // kubectl describe svc shows the endpoints.
    String describe = ok(k.run("describe", "svc", "web", "-n", ns)).out();
    assertThat(describe).containsPattern("Endpoints:\\s+\\S*" + ips.get(0).replace(".", "\\.") + ":8080");

    // Scaled to zero: no addresses, and the slice set keeps one empty placeholder.
    ok(k.run("scale", "deployment/web", "--replicas=0", "-n", ns));
    until(() -> k.run("get", "endpoints", "web", "-n", ns).out().contains("<none>"),
        () -> k.run("get", "endpoints", "web", "-n", ns, "-o", "yaml").toString());
    until(() -> jsonpath(k, ns, "endpointslices", "{.items[*].endpoints}").isEmpty()
            && jsonpath(k, ns, "endpointslices", "{.items[*].metadata.name}").split(" ").length == 1,
        () -> k.run("get", "endpointslices", "-n", ns, "-o", "yaml").toString());

    // Deleting the Service removes its Endpoints and (through the owner reference) its slices.
    ok(k.run("delete", "svc", "web", "-n", ns));
    until(() -> k.run("get", "endpoints", "-n", ns, "-o", "name").out().isBlank()
            && k.run("get", "endpointslices", "-n", ns, "-o", "name").out().isBlank(),
        () -> k.run("get", "endpoints,endpointslices", "-n", ns).toString());
  }

  @Test
  void headlessAndSelectorlessServices() {
    String ns = "ep-kinds";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "deployment", "db", "--image=postgres", "--replicas=1", "-n", ns));
    ok(k.run("create", "service", "clusterip", "db", "--clusterip=None", "--tcp=5432:5432", "-n", ns));
    // kubectl create service sets selector app=db, which the deployment's pods carry.
    until(() -> !podIps(ns).isEmpty(), () -> k.run("get", "pods", "-n", ns).out());
    String ip = podIps(ns).getFirst();
    until(() -> k.run("get", "endpoints", "db", "-n", ns).out().contains(ip + ":5432"),
        () -> k.run("get", "endpoints", "db", "-n", ns, "-o", "yaml").toString());
    assertThat(jsonpath(k, ns, "endpoints/db", "{.metadata.labels}")).contains("service.kubernetes.io/headless");
    until(() -> jsonpath(k, ns, "endpointslices", "{.items[*].metadata.labels}").contains("service.kubernetes.io/headless"),
        () -> k.run("get", "endpointslices", "-n", ns, "-o", "yaml").toString());

    // A Service without a selector: its Endpoints are the user's, left exactly as written.
    String svc = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"ext\"},\"spec\":{\"ports\":[{\"port\":80}]}}";
    ok(k.runWithInput(svc, "create", "--validate=false", "-n", ns, "-f", "-"));
    String ep = "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"ext\"},"
        + "\"subsets\":[{\"addresses\":[{\"ip\":\"192.0.2.10\"}],\"ports\":[{\"port\":80}]}]}";
    ok(k.runWithInput(ep, "create", "--validate=false", "-n", ns, "-f", "-"));
    // Give the controllers a moment to (wrongly) act, then check nothing changed.
    ok(k.run("scale", "deployment/db", "--replicas=2", "-n", ns));
    until(() -> podIps(ns).size() == 2 && k.run("get", "endpoints", "db", "-n", ns).out().split(":5432").length >= 3,
        () -> k.run("get", "endpoints", "-n", ns).toString());
    assertThat(jsonpath(k, ns, "endpoints/ext", "{.subsets[0].addresses[*].ip}")).isEqualTo("192.0.2.10");
    assertThat(k.run("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=ext", "-o", "name").out()).isBlank();
  }
}
