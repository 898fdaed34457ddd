/**
 * Container environment as the kubelet builds it: {@link io.kava.node.env.EnvResolver} turns a container's
 * {@code env}/{@code envFrom} plus the service link variables into the list handed to CRI, and expands
 * {@code $(VAR)} references in values, command and args. {@link io.kava.node.env.PodFields} and
 * {@link io.kava.node.env.ContainerResources} answer downward API references and are shared with the
 * downwardAPI volume.
 */
package io.kava.node.env;
