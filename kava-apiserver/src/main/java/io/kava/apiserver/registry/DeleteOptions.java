package io.kava.apiserver.registry;

/**
 * meta/v1 DeleteOptions.
 *
 * @param gracePeriodSeconds       null = the kind's default
 * @param propagationPolicy        null, "Orphan", "Background" or "Foreground"
 * @param preconditionUid          null or the uid the object must have
 * @param preconditionResourceVersion null or the resourceVersion the object must have
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                            String preconditionResourceVersion, boolean dryRun) {
  public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);
}
