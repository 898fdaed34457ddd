package io.kava.client;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8 stops an informer for good when its list or watch fails (a timeout on a busy machine, an API server still
 * starting or restarting); a component whose informer stopped never syncs again. Every kava informer keeps retrying
 * instead, with fabric8's own back-off.
 */
public final class InformerRetries {
  private static final Logger log = LoggerFactory.getLogger(InformerRetries.class);

  private InformerRetries() {}

  /** Makes {@code informer} retry after any list or watch failure; call before it starts. Returns it. */
  public static <T> SharedIndexInformer<T> keepRetrying(SharedIndexInformer<T> informer, String what) {
    informer.exceptionHandler((listing, failure) -> {
      log.debug("informer for {} failed; retrying", what, failure);
      return true;
    });
    return informer;
  }
}
