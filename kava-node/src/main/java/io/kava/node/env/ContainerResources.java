package io.kava.node.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.kava.api.quantity.Quantity;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Downward API {@code resourceFieldRef} values, as upstream's {@code ExtractContainerResourceValue}: cpu in
 * millicores divided by the divisor's millicores, memory and storage in bytes divided by the divisor's bytes,
 * both rounded up. A limit the container does not set reads as the node's allocatable amount.
 */
public final class ContainerResources {
  private ContainerResources() {}

  /**
   * The value of {@code ref} for {@code defaultContainer} (or the container the ref names).
   *
   * @throws IllegalArgumentException for an unknown resource or container name
   */
  public static String value(Pod pod, String defaultContainer, ResourceFieldSelector ref, NodeAllocatable node) {
    String containerName = ref.getContainerName() == null || ref.getContainerName().isEmpty()
        ? defaultContainer : ref.getContainerName();
    Container c = findContainer(pod, containerName)
        .orElseThrow(() -> new IllegalArgumentException("container " + containerName + " not found in pod "
            + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()));
    Quantity divisor = ref.getDivisor() == null || ref.getDivisor().toString().isEmpty()
        ? Quantity.of(1, Quantity.Format.DECIMAL_SI) : Quantity.parse(ref.getDivisor().toString());
    if (divisor.isZero()) divisor = Quantity.of(1, Quantity.Format.DECIMAL_SI);
    String resource = ref.getResource();
    boolean isLimit = resource.startsWith("limits.");
    boolean isRequest = resource.startsWith("requests.");
    if (!isLimit && !isRequest) throw new IllegalArgumentException("unsupported container resource : " + resource);
    String name = resource.substring(resource.indexOf('.') + 1);
    var res = c.getResources();
    Map<String, io.fabric8.kubernetes.api.model.Quantity> amounts =
        res == null ? null : isLimit ? res.getLimits() : res.getRequests();
    Quantity amount = amounts == null || amounts.get(name) == null ? null : Quantity.parse(amounts.get(name).toString());
    switch (name) {
      case "cpu" -> {
        if (amount == null) amount = isLimit && node != null ? node.cpu() : Quantity.ZERO;
        return Long.toString(ceilDiv(amount.milliValue(), divisor.milliValue()));
      }
      case "memory", "ephemeral-storage" -> {
        if (amount == null) {
          amount = isLimit && node != null ? (name.equals("memory") ? node.memory() : node.ephemeralStorage()) : Quantity.ZERO;
        }
        return Long.toString(ceilDiv(amount.value(), divisor.value()));
      }
      default -> {
        if (name.startsWith("hugepages-")) {
          return Long.toString(ceilDiv(amount == null ? 0 : amount.value(), divisor.value()));
        }
        throw new IllegalArgumentException("unsupported container resource : " + resource);
      }
    }
  }

  static Optional<Container> findContainer(Pod pod, String name) {
    var spec = pod.getSpec();
    return Stream.of(spec.getContainers(), spec.getInitContainers())
        .filter(l -> l != null)
        .flatMap(java.util.List::stream)
        .filter(c -> name.equals(c.getName()))
        .findFirst();
  }

  private static long ceilDiv(long a, long b) {
    return (long) Math.ceil((double) a / (double) b);
  }
}
