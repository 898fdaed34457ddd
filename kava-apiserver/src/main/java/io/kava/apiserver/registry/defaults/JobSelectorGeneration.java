package io.kava.apiserver.registry.defaults;

import io.kava.apiserver.registry.ObjectHook;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Job strategy's selector generation on create: unless {@code spec.manualSelector} is true, the pod template
 * gets {@code batch.kubernetes.io/controller-uid}, {@code batch.kubernetes.io/job-name} and their legacy unprefixed
 * twins (labels the user already set are kept, and validation then rejects conflicts), and the selector matches
 * {@code batch.kubernetes.io/controller-uid=<uid>}.
 */
public final class JobSelectorGeneration {
  private JobSelectorGeneration() {}

  /**
   * As a create hook: uses metadata.uid, which must be assigned before this runs; when it is missing a random UID
   * is assigned to metadata.uid so that the generated labels and the object agree.
   */
  public static final ObjectHook ON_CREATE = (ctx, job, old) -> {
    if (old != null) return;
    ObjectNode meta = D.objOrCreate(job, "metadata");
    String uid = D.str(meta, "uid");
    if (uid.isEmpty()) {
      uid = UUID.randomUUID().toString();
      meta.put("uid", uid);
    }
    apply(job, uid);
  };

  /** Generates the selector and template labels of {@code job} for the given UID (no-op for manual selectors). */
  public static void apply(ObjectNode job, String uid) {
    ObjectNode spec = D.objOrCreate(job, "spec");
    if (spec.path("manualSelector").asBoolean(false)) return;
    D.boolIfNil(spec, "manualSelector", false);
    String name = D.str(D.obj(job, "metadata"), "name");
    ObjectNode template = D.objOrCreate(spec, "template");
    ObjectNode labels = D.objOrCreate(D.objOrCreate(template, "metadata"), "labels");
    for (String key : new String[] {"job-name", "batch.kubernetes.io/job-name"}) {
      if (!labels.has(key)) labels.put(key, name);
    }
    for (String key : new String[] {"controller-uid", "batch.kubernetes.io/controller-uid"}) {
      if (!labels.has(key)) labels.put(key, uid);
    }
    ObjectNode selector = D.objOrCreate(spec, "selector");
    ObjectNode matchLabels = D.objOrCreate(selector, "matchLabels");
    if (!matchLabels.has("batch.kubernetes.io/controller-uid")) matchLabels.put("batch.kubernetes.io/controller-uid", uid);
  }
}
