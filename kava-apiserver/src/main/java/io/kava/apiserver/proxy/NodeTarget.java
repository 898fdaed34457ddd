package io.kava.apiserver.proxy;

/** Where a node's streaming server listens: the Node's address and its daemonEndpoints.kubeletEndpoint.Port. */
public record NodeTarget(String node, String host, int port) {}
