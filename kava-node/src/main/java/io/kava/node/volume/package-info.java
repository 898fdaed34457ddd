/**
 * Pod volumes laid out under the node's pods directory, as the kubelet's volume plugins do:
 * {@code PODS_DIR/<uid>/volumes/kubernetes.io~<plugin>/<name>}. {@link io.kava.node.volume.VolumeManager} is the
 * entry point: {@code setUp} before the sandbox's containers start, {@code mounts} per container (CRI mounts),
 * {@code refresh} periodically for configMap/secret/downwardAPI/projected updates, {@code tearDown} after the
 * pod is gone. API objects come through {@link io.kava.node.volume.VolumeSources}.
 */
package io.kava.node.volume;
