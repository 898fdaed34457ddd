package io.kava.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;

/**
 * Records core/v1 Events about objects for one component, the ones {@code kubectl describe} lists. Recording never
 * blocks and never fails the caller: events are correlated and written by the broadcaster's sender thread, and
 * dropped if the API cannot take them (they are diagnostics, not state).
 */
public final class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private final EventBroadcaster broadcaster;
  private final String component;

  EventRecorder(EventBroadcaster broadcaster, String component) {
    this.broadcaster = broadcaster;
    this.component = component;
  }

  public String component() { return component; }

  /** An event about {@code object}, which must carry kind and apiVersion. */
  public void event(HasMetadata object, String type, String reason, String message) {
    event(referenceTo(object), type, reason, message);
  }

  public void eventf(HasMetadata object, String type, String reason, String format, Object... args) {
    event(object, type, reason, String.format(format, args));
  }

  public void event(ObjectReference involved, String type, String reason, String message) {
    broadcaster.submit(involved, type, reason, message, component);
  }

  public static ObjectReference referenceTo(HasMetadata o) {
    return new ObjectReferenceBuilder()
        .withApiVersion(o.getApiVersion()).withKind(o.getKind())
        .withNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName())
        .withUid(o.getMetadata().getUid()).withResourceVersion(o.getMetadata().getResourceVersion())
        .build();
  }
}
