package io.kava.node.volume;

/**
 * One mount of a container, ready to become a CRI {@code Mount}: the host path is absolute and already
 * resolved (subPath and subPathExpr applied), and {@code readOnly} already includes the volume's own
 * read-only rule (configMap, secret, downwardAPI and projected volumes are always read-only).
 */
public record ContainerMount(String containerPath, String hostPath, boolean readOnly, Propagation propagation) {
  /** The CRI {@code Mount} message for this mount. */
  public io.kava.node.cri.v1.Mount toCri() {
    return io.kava.node.cri.v1.Mount.newBuilder()
        .setContainerPath(containerPath)
        .setHostPath(hostPath)
        .setReadonly(readOnly)
        .setPropagation(switch (propagation) {
          case PRIVATE -> io.kava.node.cri.v1.MountPropagation.PROPAGATION_PRIVATE;
          case HOST_TO_CONTAINER -> io.kava.node.cri.v1.MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
          case BIDIRECTIONAL -> io.kava.node.cri.v1.MountPropagation.PROPAGATION_BIDIRECTIONAL;
        })
        .build();
  }

  /** Mount propagation, named after CRI's {@code MountPropagation} values. */
  public enum Propagation {
    /** PROPAGATION_PRIVATE (mountPropagation None or unset). */
    PRIVATE,
    /** PROPAGATION_HOST_TO_CONTAINER (HostToContainer): the host data dir must be a shared mount. */
    HOST_TO_CONTAINER,
    /** PROPAGATION_BIDIRECTIONAL (Bidirectional): privileged containers only. */
    BIDIRECTIONAL
  }
}
