/**
 * Simulated nodes, the way kwok fakes kubelets: many Nodes in one process that register, report Ready, renew
 * their Leases in kube-node-lease and carry pods through their lifecycle without running anything. For tests,
 * demos and scale runs.
 *
 * <h2>Starting them</h2>
 * <ul>
 *   <li>{@code kava server --sim-nodes 100} (with {@code --sim-node-cpu}, {@code --sim-node-memory},
 *       {@code --sim-node-pods}, {@code --sim-node-pod-cidr}) runs nodes {@code kava-sim-0 … kava-sim-99};</li>
 *   <li>in a running cluster, the ConfigMap {@code kube-system/kava-sim-nodes} is the desired state (the flag only
 *       writes it): {@code kubectl -n kube-system create configmap kava-sim-nodes --from-literal=count=100}, then
 *       patch {@code data.count} to grow or shrink. Other keys: {@code cpu}, {@code memory}, {@code pods},
 *       {@code ephemeral-storage}, {@code podCIDR}, {@code namePrefix}, {@code kubeletVersion},
 *       {@code leaseDurationSeconds}, {@code stopped} (names of nodes whose kubelets go silent, to test node failure);</li>
 *   <li>from Java: {@link io.kava.node.sim.SimNodes#start(java.nio.file.Path, io.kava.node.sim.SimNodes.Options)}.</li>
 * </ul>
 *
 * <h2>What a node does</h2>
 * Capacity 32 cpu / 256Gi / 110 pods by default; InternalIP from 172.16.0.0/12; a /24 pod CIDR per node from
 * 10.244.0.0/16 (256 nodes; give a larger podCIDR for more, else addresses repeat across nodes). A pod bound to it
 * gets an IP from that range and goes Running (containers ready and started, the kubelet's conditions); pods whose
 * containers finish (see {@link io.kava.node.sim.ContainerScript}: restartPolicy Never/OnFailure with
 * {@code true}, {@code false}, {@code echo}, {@code sleep N}, {@code sh -c "…; exit N"}, or the annotations
 * {@code kava.io/sim-exit-code} and {@code kava.io/sim-duration}) go to Succeeded or Failed; a deleted pod has its
 * containers marked terminated and is then removed with grace period 0, as a kubelet does.
 *
 * <h2>Scale</h2>
 * One pod informer for all nodes (indexed by node name), a work queue with 16 workers (one status patch per pod
 * transition), one heartbeat loop for all leases (spread over the renew period, 16 writes in flight). Only the
 * holder of the Lease {@code kube-system/kava-sim-nodes} drives the nodes when several servers share a store.
 */
package io.kava.node.sim;
