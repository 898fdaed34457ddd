package io.kava.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Small nodes and pods for scheduler tests. */
public final class Fixtures {
  private Fixtures() {}

  public static Node node(String name, String cpu, String memory) { return node(name, cpu, memory, "110", Map.of(), List.of()); }

  public static Node node(String name, String cpu, String memory, String pods, Map<String, String> labels, List<Taint> taints) {
    Map<String, Quantity> cap = new HashMap<>();
    cap.put("cpu", new Quantity(cpu));
    cap.put("memory", new Quantity(memory));
    cap.put("pods", new Quantity(pods));
    Map<String, String> l = new HashMap<>(labels);
    l.putIfAbsent("kubernetes.io/hostname", name);
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(l).withUid(UUID.randomUUID().toString()).endMetadata()
        .withNewSpec().withTaints(taints).endSpec()
        .withNewStatus().withCapacity(cap).withAllocatable(cap).endStatus().build();
  }

  public static Taint taint(String key, String value, String effect) {
    return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
  }

  public static Toleration toleration(String key, String op, String value, String effect) {
    return new TolerationBuilder().withKey(key).withOperator(op).withValue(value).withEffect(effect).build();
  }

  /** A pod in namespace "default" with one container requesting {@code cpu} and {@code memory} (null = none). */
  public static Pod pod(String name, String cpu, String memory) { return pod(name, cpu, memory, b -> b); }

  public static Pod pod(String name, String cpu, String memory, UnaryOperator<PodBuilder> more) {
    return more.apply(new PodBuilder()
        .withNewMetadata().withName(name).withNamespace("default").withUid(UUID.randomUUID().toString()).endMetadata()
        .withNewSpec().withContainers(container("c", cpu, memory)).withSchedulerName("default-scheduler").endSpec()).build();
  }

  public static Container container(String name, String cpu, String memory) {
    Map<String, Quantity> req = new HashMap<>();
    if (cpu != null) req.put("cpu", new Quantity(cpu));
    if (memory != null) req.put("memory", new Quantity(memory));
    return new ContainerBuilder().withName(name).withImage("x").withNewResources().withRequests(req).endResources().build();
  }

  public static PodInfo info(Pod p) { return PodInfo.of(p); }

  public static PodInfo info(Pod p, int priority) { return PodInfo.of(p, priority); }

  /** {@code pod} placed on {@code node} (spec.nodeName set). */
  public static PodInfo on(String node, Pod p) {
    return PodInfo.of(new PodBuilder(p).editSpec().withNodeName(node).endSpec().build());
  }

  public static PodInfo on(String node, Pod p, int priority) {
    return PodInfo.of(new PodBuilder(p).editSpec().withNodeName(node).endSpec().build(), priority);
  }

  public static NodeInfo nodeInfo(Node n, PodInfo... pods) { return NodeInfo.of(n, pods); }
}
