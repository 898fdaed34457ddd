package io.kava.bench;

/** A server under test, started in this JVM. */
public interface Target extends AutoCloseable {
  /** As given to --targets: kava-sqlite, kava-memory, mock. */
  String name();

  Endpoint endpoint();

  /** A line for the report: what runs and how it is reached. */
  String description();

  /** True for kava: namespaces must exist before objects are created in them. */
  default boolean needsNamespaces() { return true; }

  @Override
  void close();
}
