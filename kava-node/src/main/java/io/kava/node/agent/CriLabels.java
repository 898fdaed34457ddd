package io.kava.node.agent;

/** Labels and annotations on CRI objects: the kubelet's names, plus the node that owns them (several kava nodes may share a containerd). */
public final class CriLabels {
  private CriLabels() {}

  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  public static final String NODE = "kava.io/node";
  /** Annotation: the pod's deletion grace period when a container was created (kubelet records it the same way). */
  public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
  public static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
  /** Annotation: "init" or "regular". */
  public static final String CONTAINER_TYPE = "kava.io/container-type";
}
