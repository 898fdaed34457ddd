package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** ControllerRef helpers (metav1.GetControllerOf, NewControllerRef). */
public final class Owners {
  private Owners() {}

  /** The owner reference with controller=true, or null. */
  public static OwnerReference controllerOf(HasMetadata o) {
    if (o == null || o.getMetadata() == null || o.getMetadata().getOwnerReferences() == null) return null;
    for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())) return r;
    }
    return null;
  }

  public static String controllerUid(HasMetadata o) {
    OwnerReference r = controllerOf(o);
    return r == null ? null : r.getUid();
  }

  /**
   * The reference a controller puts on what it creates or adopts: controller=true so no one else claims it, and
   * blockOwnerDeletion=true so a foreground deletion of the owner waits for it.
   */
  public static OwnerReference newControllerRef(HasMetadata owner, String apiVersion, String kind) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion).withKind(kind)
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * An event's involvedObject for {@code o}. Objects from an informer's list may lack apiVersion and kind, so the
   * caller names them.
   */
  public static ObjectReference reference(HasMetadata o, String apiVersion, String kind) {
    return new ObjectReferenceBuilder()
        .withApiVersion(apiVersion).withKind(kind)
        .withNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName())
        .withUid(o.getMetadata().getUid()).withResourceVersion(o.getMetadata().getResourceVersion())
        .build();
  }
}
