package io.kava.apiserver.registry.defaults;

import tools.jackson.databind.node.ObjectNode;

/** apps/v1 and batch/v1 defaulting (pkg/apis/apps/v1, pkg/apis/batch/v1), each with its pod template's defaults. */
public final class WorkloadDefaults {
  private WorkloadDefaults() {}

  public static void deployment(ObjectNode d) {
    ObjectNode spec = D.objOrCreate(d, "spec");
    D.numberIfNil(spec, "replicas", 1);
    ObjectNode strategy = D.objOrCreate(spec, "strategy");
    D.stringIfEmpty(strategy, "type", "RollingUpdate");
    if (D.str(strategy, "type").equals("RollingUpdate")) {
      ObjectNode ru = D.objOrCreate(strategy, "rollingUpdate");
      if (D.isNil(ru, "maxUnavailable")) ru.put("maxUnavailable", "25%");
      if (D.isNil(ru, "maxSurge")) ru.put("maxSurge", "25%");
    }
    D.numberIfNil(spec, "revisionHistoryLimit", 10);
    D.numberIfNil(spec, "progressDeadlineSeconds", 600);
    PodDefaults.podTemplateSpec(D.obj(spec, "template"));
  }

  public static void replicaSet(ObjectNode rs) {
    ObjectNode spec = D.objOrCreate(rs, "spec");
    D.numberIfNil(spec, "replicas", 1);
    PodDefaults.podTemplateSpec(D.obj(spec, "template"));
  }

  public static void statefulSet(ObjectNode sts) {
    ObjectNode spec = D.objOrCreate(sts, "spec");
    D.stringIfEmpty(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode us = D.objOrCreate(spec, "updateStrategy");
    if (D.isEmptyString(us, "type")) {
      us.put("type", "RollingUpdate");
      D.objectIfNil(us, "rollingUpdate");
    }
    ObjectNode ru = D.obj(us, "rollingUpdate");
    if (D.str(us, "type").equals("RollingUpdate") && ru != null) D.numberIfNil(ru, "partition", 0);
    ObjectNode retention = D.objOrCreate(spec, "persistentVolumeClaimRetentionPolicy");
    D.stringIfEmpty(retention, "whenDeleted", "Retain");
    D.stringIfEmpty(retention, "whenScaled", "Retain");
    D.numberIfNil(spec, "replicas", 1);
    D.numberIfNil(spec, "revisionHistoryLimit", 10);
    PodDefaults.podTemplateSpec(D.obj(spec, "template"));
    for (ObjectNode claim : D.objs(spec, "volumeClaimTemplates")) {
      // the v1 conversion writes the claims' type meta; each claim also gets PVC defaults (status Pending)
      claim.put("apiVersion", "v1");
      claim.put("kind", "PersistentVolumeClaim");
      CoreDefaults.persistentVolumeClaim(claim);
    }
  }

  public static void daemonSet(ObjectNode ds) {
    ObjectNode spec = D.objOrCreate(ds, "spec");
    ObjectNode us = D.objOrCreate(spec, "updateStrategy");
    D.stringIfEmpty(us, "type", "RollingUpdate");
    if (D.str(us, "type").equals("RollingUpdate")) {
      ObjectNode ru = D.objOrCreate(us, "rollingUpdate");
      if (D.isNil(ru, "maxUnavailable")) ru.put("maxUnavailable", 1);
      if (D.isNil(ru, "maxSurge")) ru.put("maxSurge", 0);
    }
    D.numberIfNil(spec, "revisionHistoryLimit", 10);
    PodDefaults.podTemplateSpec(D.obj(spec, "template"));
  }

  /**
   * SetDefaults_Job. {@code manualSelector: false} is what the server stores for jobs that did not ask for a manual
   * selector (the strategy then generates the selector, see {@link JobSelectorGeneration}).
   */
  public static void job(ObjectNode job) {
    ObjectNode spec = D.objOrCreate(job, "spec");
    if (D.isNil(spec, "completions") && D.isNil(spec, "parallelism")) {
      spec.put("completions", 1);
      spec.put("parallelism", 1);
    }
    D.numberIfNil(spec, "parallelism", 1);
    if (D.isNil(spec, "backoffLimit")) spec.put("backoffLimit", D.isNil(spec, "backoffLimitPerIndex") ? 6 : Integer.MAX_VALUE);
    ObjectNode template = D.obj(spec, "template");
    ObjectNode templateLabels = D.obj(D.obj(template, "metadata"), "labels");
    if (templateLabels != null) {
      ObjectNode meta = D.objOrCreate(job, "metadata");
      ObjectNode own = D.obj(meta, "labels");
      if (own == null || own.isEmpty()) meta.set("labels", templateLabels.deepCopy());
    }
    D.stringIfNil(spec, "completionMode", "NonIndexed");
    D.boolIfNil(spec, "suspend", false);
    ObjectNode pfp = D.obj(spec, "podFailurePolicy");
    if (pfp != null) {
      for (ObjectNode rule : D.objs(pfp, "rules")) {
        for (ObjectNode cond : D.objs(rule, "onPodConditions")) D.stringIfEmpty(cond, "status", "True");
      }
    }
    D.stringIfNil(spec, "podReplacementPolicy", pfp != null ? "Failed" : "TerminatingOrFailed");
    D.boolIfNil(spec, "manualSelector", false);
    PodDefaults.podTemplateSpec(template);
  }

  /** SetDefaults_CronJob; the job template gets pod template defaults only (not Job defaults), as upstream. */
  public static void cronJob(ObjectNode cj) {
    ObjectNode spec = D.objOrCreate(cj, "spec");
    D.stringIfEmpty(spec, "concurrencyPolicy", "Allow");
    D.boolIfNil(spec, "suspend", false);
    D.numberIfNil(spec, "successfulJobsHistoryLimit", 3);
    D.numberIfNil(spec, "failedJobsHistoryLimit", 1);
    PodDefaults.podTemplateSpec(D.obj(D.obj(D.obj(spec, "jobTemplate"), "spec"), "template"));
  }
}
