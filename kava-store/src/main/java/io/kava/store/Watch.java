package io.kava.store;

/** A registered watch; {@link #close()} stops delivery (idempotent). */
public interface Watch extends AutoCloseable {
  @Override
  void close();
}
