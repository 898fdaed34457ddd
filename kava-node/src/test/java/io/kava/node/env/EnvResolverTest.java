package io.kava.node.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvResolverTest {
  final Map<String, ConfigMap> configMaps = new HashMap<>();
  final Map<String, Secret> secrets = new HashMap<>();
  final Map<String, List<Service>> services = new HashMap<>();
  final EnvSources sources = new EnvSources() {
    @Override public Optional<ConfigMap> configMap(String ns, String name) { return Optional.ofNullable(configMaps.get(ns + "/" + name)); }
    @Override public Optional<Secret> secret(String ns, String name) { return Optional.ofNullable(secrets.get(ns + "/" + name)); }
    @Override public List<Service> services(String ns) { return services.getOrDefault(ns, List.of()); }
  };
  final EnvResolver resolver = new EnvResolver(sources, () -> NodeAllocatable.of("4", "8Gi", "100Gi"));
  final EnvResolver.Addresses addresses = new EnvResolver.Addresses(List.of("192.168.1.10"), List.of("10.244.0.7"));

  static Pod pod(Container c) {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("uid-1").addToLabels("app", "w").endMetadata()
        .withNewSpec().withNodeName("n1").withServiceAccountName("sa").withContainers(c).endSpec().build();
  }

  static Service service(String ns, String name, String ip, io.fabric8.kubernetes.api.model.ServicePort... ports) {
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withClusterIP(ip).withPorts(ports).endSpec().build();
  }

  static io.fabric8.kubernetes.api.model.ServicePort port(String name, int port, String protocol) {
    var p = new io.fabric8.kubernetes.api.model.ServicePort();
    p.setName(name);
    p.setPort(port);
    p.setProtocol(protocol);
    return p;
  }

  void put(ConfigMap cm) { configMaps.put(cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName(), cm); }
  void put(Secret s) { secrets.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s); }

  @Test
  void valuesReferencesFieldsAndResources() {
    put(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("ns").endMetadata().addToData("mode", "fast").build());
    put(new SecretBuilder().withNewMetadata().withName("sec").withNamespace("ns").endMetadata()
        .addToData("pw", Base64.getEncoder().encodeToString("hunter2".getBytes())).build());
    Container c = new ContainerBuilder().withName("app")
        .withNewResources().addToLimits("memory", new Quantity("256Mi")).addToRequests("cpu", new Quantity("100m")).endResources()
        .addNewEnv().withName("GREETING").withValue("hello").endEnv()
        .addNewEnv().withName("MSG").withValue("$(GREETING) $(POD) $$(GREETING) $(UNKNOWN)").endEnv()
        .addNewEnv().withName("MODE").withNewValueFrom().withNewConfigMapKeyRef().withName("cfg").withKey("mode").endConfigMapKeyRef().endValueFrom().endEnv()
        .addNewEnv().withName("PW").withNewValueFrom().withNewSecretKeyRef().withName("sec").withKey("pw").endSecretKeyRef().endValueFrom().endEnv()
        .addNewEnv().withName("OPT").withNewValueFrom().withNewSecretKeyRef().withName("sec").withKey("nope").withOptional(true).endSecretKeyRef().endValueFrom().endEnv()
        .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("HOST").withNewValueFrom().withNewFieldRef().withFieldPath("status.hostIP").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("SA").withNewValueFrom().withNewFieldRef().withFieldPath("spec.serviceAccountName").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("MEM_MI").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory").withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("CPU_LIMIT").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu").endResourceFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("CPU_REQ_M").withNewValueFrom().withNewResourceFieldRef().withResource("requests.cpu").withDivisor(new Quantity("1m")).endResourceFieldRef().endValueFrom().endEnv()
        .build();
    Map<String, String> env = resolver.resolve(pod(c), c, addresses).asMap();
    assertThat(env).containsEntry("MSG", "hello $(POD) $(GREETING) $(UNKNOWN)") // POD is defined later: not expanded
        .containsEntry("MODE", "fast").containsEntry("PW", "hunter2").containsEntry("POD", "web")
        .containsEntry("NODE", "n1").containsEntry("IP", "10.244.0.7").containsEntry("HOST", "192.168.1.10")
        .containsEntry("APP", "w").containsEntry("SA", "sa").containsEntry("MEM_MI", "256")
        .containsEntry("CPU_LIMIT", "4").containsEntry("CPU_REQ_M", "100")
        .doesNotContainKey("OPT");
  }

  @Test
  void missingReferencesAreErrorsUnlessOptional() {
    put(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("ns").endMetadata().addToData("a", "1").build());
    Container noMap = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef()
        .withName("gone").withKey("a").endConfigMapKeyRef().endValueFrom().endEnv().build();
    assertThatThrownBy(() -> resolver.resolve(pod(noMap), noMap, addresses)).isInstanceOf(EnvException.class).hasMessage("configmap \"gone\" not found");
    Container noKey = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef()
        .withName("cfg").withKey("b").endConfigMapKeyRef().endValueFrom().endEnv().build();
    assertThatThrownBy(() -> resolver.resolve(pod(noKey), noKey, addresses)).hasMessage("couldn't find key b in ConfigMap ns/cfg");
    Container noSecret = new ContainerBuilder().withName("c").addNewEnvFrom().withNewSecretRef().withName("s").endSecretRef().endEnvFrom().build();
    assertThatThrownBy(() -> resolver.resolve(pod(noSecret), noSecret, addresses)).hasMessage("secret \"s\" not found");
    Container optional = new ContainerBuilder().withName("c").addNewEnvFrom().withNewSecretRef().withName("s").withOptional(true).endSecretRef().endEnvFrom().build();
    assertThat(resolver.resolve(pod(optional), optional, addresses).env()).isEmpty();
    Container badField = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom().withNewFieldRef()
        .withFieldPath("spec.bogus").endFieldRef().endValueFrom().endEnv().build();
    assertThatThrownBy(() -> resolver.resolve(pod(badField), badField, addresses)).hasMessage("unsupported fieldPath: spec.bogus");
  }

  @Test
  void envFromWithPrefixSkipsInvalidNamesAndEnvOverrides() {
    put(new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("ns").endMetadata()
        .addToData("GOOD", "1").addToData("bad key", "2").addToData("1st", "3").addToData("OVER", "from-cfg").build());
    put(new SecretBuilder().withNewMetadata().withName("sec").withNamespace("ns").endMetadata()
        .addToData("TOKEN", Base64.getEncoder().encodeToString("t".getBytes())).build());
    Container c = new ContainerBuilder().withName("c")
        .addNewEnvFrom().withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
        .addNewEnvFrom().withPrefix("S_").withNewSecretRef().withName("sec").endSecretRef().endEnvFrom()
        .addNewEnv().withName("OVER").withValue("$(GOOD)-env").endEnv()
        .build();
    var resolved = resolver.resolve(pod(c), c, addresses);
    assertThat(resolved.asMap()).containsEntry("GOOD", "1").containsEntry("S_TOKEN", "t").containsEntry("OVER", "1-env")
        .doesNotContainKeys("bad key", "1st");
    assertThat(resolved.warnings()).containsExactly("Keys [1st, bad key] from the EnvFrom configMap ns/cfg were skipped "
        + "since they are considered invalid environment variable names.");
  }

  @Test
  void serviceLinksAndTheKubernetesService() {
    services.put("default", List.of(service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP")),
        service("default", "other", "10.96.0.9", port("", 80, null))));
    services.put("ns", List.of(service("ns", "redis-master", "10.96.3.4", port("", 6379, null), port("metrics", 9121, "TCP")),
        service("ns", "headless", "None", port("", 80, null))));
    Container c = new ContainerBuilder().withName("c").addNewEnv().withName("REDIS").withValue("$(REDIS_MASTER_SERVICE_HOST)").endEnv().build();
    Pod pod = pod(c);
    Map<String, String> env = resolver.resolve(pod, c, addresses).asMap();
    assertThat(env).containsEntry("REDIS", "10.96.3.4")
        .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1").containsEntry("KUBERNETES_SERVICE_PORT", "443")
        .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443").containsEntry("KUBERNETES_PORT", "tcp://10.96.0.1:443")
        .containsEntry("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443").containsEntry("KUBERNETES_PORT_443_TCP_PROTO", "tcp")
        .containsEntry("KUBERNETES_PORT_443_TCP_PORT", "443").containsEntry("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1")
        .containsEntry("REDIS_MASTER_SERVICE_HOST", "10.96.3.4").containsEntry("REDIS_MASTER_SERVICE_PORT", "6379")
        .containsEntry("REDIS_MASTER_SERVICE_PORT_METRICS", "9121").containsEntry("REDIS_MASTER_PORT_9121_TCP_ADDR", "10.96.3.4")
        .containsEntry("REDIS_MASTER_PORT", "tcp://10.96.3.4:6379");
    assertThat(env.keySet()).noneMatch(k -> k.startsWith("HEADLESS_") || k.startsWith("OTHER_"));

    pod.getSpec().setEnableServiceLinks(false);
    Map<String, String> noLinks = resolver.resolve(pod, c, addresses).asMap();
    assertThat(noLinks).containsKey("KUBERNETES_SERVICE_HOST").doesNotContainKey("REDIS_MASTER_SERVICE_HOST")
        .containsEntry("REDIS", "$(REDIS_MASTER_SERVICE_HOST)");
  }

  @Test
  void commandAndArgsExpansion() {
    Map<String, String> env = Map.of("PORT", "8080");
    assertThat(EnvResolver.expandCommand(new ArrayList<>(List.of("httpd", "-p", "$(PORT)", "$$(PORT)", "$(NONE)")), env))
        .containsExactly("httpd", "-p", "8080", "$(PORT)", "$(NONE)");
    assertThat(EnvResolver.expandCommand(null, env)).isEmpty();
    assertThat(new EnvVar("K", "é").toCri().getValue().toStringUtf8()).isEqualTo("é");
  }
}
