package io.kava.api;

/**
 * Request headers that only the components in the API server's own process send, over its loopback listener; the
 * server honours them from that listener's user alone, so every other client sees upstream's behaviour.
 */
public final class InProcessHeaders {
  private InProcessHeaders() {}

  /**
   * "true" on a watch: its events carry objects without {@code metadata.managedFields}. For informers whose caches
   * drop them anyway: a third of a pod's JSON that would be sent, scanned and skipped for nothing.
   */
  public static final String WITHOUT_MANAGED_FIELDS = "X-Kava-Without-Managed-Fields";
}
