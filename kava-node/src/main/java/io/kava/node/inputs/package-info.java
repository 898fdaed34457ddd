/**
 * Adapters that plug the volume manager, environment resolver and probe manager into the node agent's pod
 * workers: {@link io.kava.node.inputs.NodeContainerInputs} (the agent's {@code ContainerInputs}) and
 * {@link io.kava.node.inputs.ProbeStates} (its {@code PodStatusBuilder.Probes}).
 */
package io.kava.node.inputs;
