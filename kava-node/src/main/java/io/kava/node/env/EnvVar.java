package io.kava.node.env;

/** One resolved environment variable, as handed to CRI's {@code KeyValue}. */
public record EnvVar(String name, String value) {}
