package io.kava.apiserver.registry.defaults;

import static io.kava.apiserver.registry.defaults.Fixtures.assertDefaults;
import static io.kava.apiserver.registry.defaults.Fixtures.assertJson;
import static io.kava.apiserver.registry.defaults.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.registry.Defaulter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ServiceDefaultsTest {
  private final Defaulter service = KindDefaults.forKind("", "Service");

  /** {@code kubectl create service clusterip web --tcp=80:8080} (allocation of clusterIP is the server's). */
  @Test
  void kubectlCreateServiceClusterIP() {
    assertDefaults(service, """
        {"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"web"},"name":"web"},
         "spec":{"ports":[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}],"selector":{"app":"web"},"type":"ClusterIP"},
         "status":{"loadBalancer":{}}}""", """
        {"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"web"},"name":"web"},
         "spec":{"internalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
                 "ports":[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}],"selector":{"app":"web"},
                 "sessionAffinity":"None","type":"ClusterIP"},
         "status":{"loadBalancer":{}}}""");
  }

  @Test
  void minimalServiceGetsTypePortsAndTargetPort() {
    assertDefaults(service, """
        {"spec":{"ports":[{"port":80},{"port":443,"targetPort":0},{"port":53,"protocol":"UDP","targetPort":"dns"}]}}""", """
        {"spec":{"type":"ClusterIP","sessionAffinity":"None","internalTrafficPolicy":"Cluster",
                 "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
                 "ports":[{"port":80,"protocol":"TCP","targetPort":80},{"port":443,"protocol":"TCP","targetPort":443},
                          {"port":53,"protocol":"UDP","targetPort":"dns"}]}}""");
  }

  @Test
  void nodePortAndLoadBalancerGetExternalTrafficPolicy() {
    ObjectNode np = json("""
        {"spec":{"type":"NodePort","ports":[{"port":80}]}}""");
    service.apply(np);
    assertThat(np.at("/spec/externalTrafficPolicy").asString()).isEqualTo("Cluster");
    assertThat(np.at("/spec/allocateLoadBalancerNodePorts").isMissingNode()).isTrue();
    ObjectNode lb = json("""
        {"spec":{"type":"LoadBalancer","ports":[{"port":80}]},"status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}}}""");
    service.apply(lb);
    assertThat(lb.at("/spec/externalTrafficPolicy").asString()).isEqualTo("Cluster");
    assertThat(lb.at("/spec/allocateLoadBalancerNodePorts").asBoolean()).isTrue();
    assertThat(lb.at("/status/loadBalancer/ingress/0/ipMode").asString()).isEqualTo("VIP");
    ObjectNode ext = json("""
        {"spec":{"ports":[{"port":80}],"externalIPs":["192.0.2.10"]}}""");
    service.apply(ext);
    assertThat(ext.at("/spec/externalTrafficPolicy").asString()).isEqualTo("Cluster");
  }

  @Test
  void sessionAffinityClientIPGetsTimeout() {
    ObjectNode s = json("""
        {"spec":{"ports":[{"port":80}],"sessionAffinity":"ClientIP"}}""");
    service.apply(s);
    assertJson(s.at("/spec/sessionAffinityConfig"), """
        {"clientIP":{"timeoutSeconds":10800}}""");
    ObjectNode none = json("""
        {"spec":{"ports":[{"port":80}],"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":5}}}}""");
    service.apply(none);
    assertThat(none.at("/spec/sessionAffinityConfig").isMissingNode()).isTrue();
  }

  @Test
  void headlessServices() {
    ObjectNode withSelector = json("""
        {"spec":{"clusterIP":"None","selector":{"app":"db"},"ports":[{"port":5432}]}}""");
    service.apply(withSelector);
    assertJson(withSelector.at("/spec/clusterIPs"), "[\"None\"]");
    assertThat(withSelector.at("/spec/ipFamilyPolicy").asString()).isEqualTo("SingleStack");
    ObjectNode noSelector = json("""
        {"spec":{"clusterIP":"None","ports":[{"port":5432}]}}""");
    service.apply(noSelector);
    assertThat(noSelector.at("/spec/ipFamilyPolicy").asString()).isEqualTo("RequireDualStack");
    assertJson(noSelector.at("/spec/ipFamilies"), "[\"IPv4\"]");
  }

  @Test
  void externalNameGetsNoIPFamilies() {
    assertDefaults(service, """
        {"spec":{"type":"ExternalName","externalName":"db.example.com"}}""", """
        {"spec":{"type":"ExternalName","externalName":"db.example.com","sessionAffinity":"None"}}""");
  }

  @Test
  void updateKeepsAllocatedValuesTheClientDidNotResend() {
    ObjectNode old = json("""
        {"spec":{"type":"NodePort","clusterIP":"10.96.0.20","clusterIPs":["10.96.0.20"],
                 "ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":80,"nodePort":30080}]}}""");
    ObjectNode now = json("""
        {"spec":{"type":"NodePort","ports":[{"name":"http","port":80}]}}""");
    service.apply(now);
    KindHooks.prepareForUpdate("", "Service").apply(null, now, old);
    assertThat(now.at("/spec/clusterIP").asString()).isEqualTo("10.96.0.20");
    assertJson(now.at("/spec/clusterIPs"), "[\"10.96.0.20\"]");
    assertThat(now.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30080);
  }

  @Test
  void switchingToExternalNameDropsAllocatedFields() {
    ObjectNode old = json("""
        {"spec":{"type":"ClusterIP","clusterIP":"10.96.0.20","clusterIPs":["10.96.0.20"],"ipFamilies":["IPv4"],
                 "ipFamilyPolicy":"SingleStack","ports":[{"port":80,"protocol":"TCP","targetPort":80}]}}""");
    ObjectNode now = old.deepCopy();
    ((ObjectNode) now.get("spec")).put("type", "ExternalName").put("externalName", "example.com");
    service.apply(now);
    KindHooks.prepareForUpdate("", "Service").apply(null, now, old);
    assertThat(now.at("/spec/clusterIP").isMissingNode()).isTrue();
    assertThat(now.at("/spec/clusterIPs").isMissingNode()).isTrue();
    assertThat(now.at("/spec/ipFamilies").isMissingNode()).isTrue();
    assertThat(now.at("/spec/ipFamilyPolicy").isMissingNode()).isTrue();
  }
}
