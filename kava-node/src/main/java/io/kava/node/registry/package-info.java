/**
 * Image registries: {@link io.kava.node.registry.RegistriesConfig} reads the data dir's {@code registries.yaml}
 * in k3s's format, and {@link io.kava.node.registry.RegistryHosts} renders it into containerd's
 * {@code certs.d/<host>/hosts.toml} files and registry auth.
 */
package io.kava.node.registry;
