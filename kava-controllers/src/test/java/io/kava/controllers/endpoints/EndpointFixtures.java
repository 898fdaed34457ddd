package io.kava.controllers.endpoints;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Map;
import java.util.UUID;

/** Services and pods for endpoint tests. */
public final class EndpointFixtures {
  private EndpointFixtures() {}

  /** A ClusterIP Service selecting app=web with port "http" 80 → targetPort {@code target} (int or name). */
  public static Service service(String name, Object target) {
    IntOrString t = target instanceof Integer i ? new IntOrString(i) : new IntOrString((String) target);
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("svc-uid-" + name)
        .withLabels(Map.of("team", "a")).withCreationTimestamp("2025-06-01T12:00:00Z").endMetadata()
        .withNewSpec().withClusterIP("10.96.0.20").withIpFamilies("IPv4").withSelector(Map.of("app", "web"))
        .withPorts(new ServicePortBuilder().withName("http").withPort(80).withProtocol("TCP").withTargetPort(t).build())
        .endSpec().build();
  }

  /** A pod app=web on node n1 with {@code ip}, Ready as given, a container port named "web" = {@code webPort}. */
  public static Pod pod(String name, String ip, boolean ready, int webPort) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(UUID.nameUUIDFromBytes(name.getBytes()).toString())
        .withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("x")
        .withPorts(new ContainerPortBuilder().withName("web").withContainerPort(webPort).build()).endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP(ip)
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
            .withLastTransitionTime("2025-06-01T12:00:00Z").build())
        .endStatus().build();
  }
}
