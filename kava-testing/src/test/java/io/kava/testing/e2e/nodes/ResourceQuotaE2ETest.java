package io.kava.testing.e2e.nodes;

import static io.kava.testing.e2e.nodes.SimCluster.jsonpath;
import static io.kava.testing.e2e.nodes.SimCluster.ok;
import static io.kava.testing.e2e.nodes.SimCluster.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ResourceQuota: the controller fills status.hard and status.used, and the API server refuses creates that would
 * exceed a quota (403 with upstream's message), with pods running on a simulated node.
 */
@Tag("e2e")
class ResourceQuotaE2ETest {
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    SimCluster.assumeSimNodes();
    cluster = KavaCluster.start();
    k = SimCluster.kubectl(cluster);
    SimCluster.startNodes(k, 1);
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  @Test
  void objectCountsAreEnforced() {
    String ns = "quota";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "quota", "q", "-n", ns, "--hard=pods=2,services=1,count/deployments.apps=1,configmaps=5"));
    until(() -> jsonpath(k, ns, "quota/q", "{.status.hard.pods}/{.status.used.pods}/{.status.used.services}").equals("2/0/0"),
        () -> k.run("get", "quota", "q", "-n", ns, "-o", "yaml").toString());

    ok(k.run("run", "a", "--image=nginx", "-n", ns));
    ok(k.run("run", "b", "--image=nginx", "-n", ns));
    Result refused = k.run("run", "c", "--image=nginx", "-n", ns);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    until(() -> jsonpath(k, ns, "quota/q", "{.status.used.pods}").equals("2"), () -> k.run("get", "quota", "q", "-n", ns, "-o", "yaml").toString());

    ok(k.run("create", "deployment", "d1", "--image=nginx", "--replicas=0", "-n", ns));
    Result second = k.run("create", "deployment", "d2", "--image=nginx", "--replicas=0", "-n", ns);
    assertThat(second.err()).contains("exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1");
    ok(k.run("create", "service", "clusterip", "s1", "--tcp=80:80", "-n", ns));
    assertThat(k.run("create", "service", "clusterip", "s2", "--tcp=80:80", "-n", ns).err()).contains("exceeded quota: q, requested: services=1");

    // kubectl describe quota shows used against hard.
    String describe = ok(k.run("describe", "quota", "q", "-n", ns)).out();
    assertThat(describe).containsPattern("pods\\s+2\\s+2").containsPattern("services\\s+1\\s+1");

    // Deleting a pod frees its share once its deletion is through.
    ok(k.run("delete", "pod", "a", "-n", ns, "--wait=true"));
    until(() -> jsonpath(k, ns, "quota/q", "{.status.used.pods}").equals("1"), () -> k.run("get", "quota", "q", "-n", ns, "-o", "yaml").toString());
    ok(k.run("run", "c", "--image=nginx", "-n", ns));

    // Counted kinds (from the metadata-only informers): kube-root-ca.crt, then one more, then one fewer.
    until(() -> jsonpath(k, ns, "quota/q", "{.status.used.configmaps}").equals("1"), () -> k.run("get", "quota", "q", "-n", ns, "-o", "yaml").toString());
    ok(k.run("create", "configmap", "extra", "--from-literal=a=b", "-n", ns));
    until(() -> jsonpath(k, ns, "quota/q", "{.status.used.configmaps}").equals("2"), () -> k.run("get", "quota", "q", "-n", ns, "-o", "yaml").toString());
    ok(k.run("delete", "configmap", "extra", "-n", ns));
    until(() -> jsonpath(k, ns, "quota/q", "{.status.used.configmaps}").equals("1"), () -> k.run("get", "quota", "q", "-n", ns, "-o", "yaml").toString());
  }

  @Test
  void computeQuotasNeedRequestsAndLimits() {
    String ns = "quota-compute";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "quota", "qc", "-n", ns, "--hard=requests.cpu=1,requests.memory=1Gi,limits.cpu=2,limits.memory=2Gi"));
    until(() -> jsonpath(k, ns, "quota/qc", "{.status.used.requests\\.cpu}").equals("0"), () -> k.run("get", "quota", "qc", "-n", ns, "-o", "yaml").toString());
    Result bare = k.run("run", "bare", "--image=nginx", "-n", ns);
    assertThat(bare.err()).contains("pods \"bare\" is forbidden: failed quota: qc: must specify limits.cpu for: bare; limits.memory for: bare; "
        + "requests.cpu for: bare; requests.memory for: bare");
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\","
        + "\"resources\":{\"requests\":{\"cpu\":\"600m\",\"memory\":\"256Mi\"},\"limits\":{\"cpu\":\"1\",\"memory\":\"512Mi\"}}}]}}";
    ok(k.runWithInput(pod.formatted("sized"), "create", "--validate=false", "-n", ns, "-f", "-"));
    until(() -> jsonpath(k, ns, "quota/qc", "{.status.used.requests\\.cpu}/{.status.used.limits\\.memory}").equals("600m/512Mi"),
        () -> k.run("get", "quota", "qc", "-n", ns, "-o", "yaml").toString());
    Result over = k.runWithInput(pod.formatted("more"), "create", "--validate=false", "-n", ns, "-f", "-");
    assertThat(over.err()).contains("pods \"more\" is forbidden: exceeded quota: qc, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1");
  }
}
