package io.kava.apiserver.registry.defaults;

import static io.kava.apiserver.registry.defaults.Fixtures.assertDefaults;
import static io.kava.apiserver.registry.defaults.Fixtures.assertJson;
import static io.kava.apiserver.registry.defaults.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class WorkloadDefaultsTest {
  private static final String TEMPLATE_SPEC_DEFAULTED = """
      {"containers":[{"image":"nginx","imagePullPolicy":"Always","name":"nginx","resources":{},
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
       "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
       "securityContext":{},"terminationGracePeriodSeconds":30}""";

  /** {@code kubectl create deployment nginx --image=nginx}. */
  @Test
  void kubectlCreateDeployment() {
    ObjectNode d = assertDefaults(KindDefaults.forKind("apps", "Deployment"), """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"nginx"},"name":"nginx"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},"strategy":{},
                 "template":{"metadata":{"labels":{"app":"nginx"}},
                             "spec":{"containers":[{"image":"nginx","name":"nginx","resources":{}}]}}},
         "status":{}}""", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"nginx"},"name":"nginx"},
         "spec":{"progressDeadlineSeconds":600,"replicas":1,"revisionHistoryLimit":10,
                 "selector":{"matchLabels":{"app":"nginx"}},
                 "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
                 "template":{"metadata":{"labels":{"app":"nginx"}},"spec":%s}},
         "status":{}}""".replace("%s", TEMPLATE_SPEC_DEFAULTED));
    assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void deploymentKeepsZeroReplicasAndRecreate() {
    ObjectNode d = json("""
        {"spec":{"replicas":0,"revisionHistoryLimit":0,"strategy":{"type":"Recreate"},"template":{"spec":{"containers":[]}}}}""");
    KindDefaults.forKind("apps", "Deployment").apply(d);
    assertThat(d.at("/spec/replicas").asInt()).isZero();
    assertThat(d.at("/spec/revisionHistoryLimit").asInt()).isZero();
    assertJson(d.at("/spec/strategy"), "{\"type\":\"Recreate\"}");
  }

  @Test
  void replicaSetAndReplicationController() {
    assertDefaults(KindDefaults.forKind("apps", "ReplicaSet"), """
        {"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
          "spec":{"containers":[{"image":"nginx","name":"nginx"}]}}}}""", """
        {"spec":{"replicas":1,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
          "spec":%s}}}""".formatted(TEMPLATE_SPEC_DEFAULTED));
    assertDefaults(KindDefaults.forKind("", "ReplicationController"), """
        {"metadata":{"name":"rc"},"spec":{"template":{"metadata":{"labels":{"app":"x"}},
          "spec":{"containers":[{"image":"nginx","name":"nginx"}]}}}}""", """
        {"metadata":{"name":"rc","labels":{"app":"x"}},"spec":{"replicas":1,"selector":{"app":"x"},
          "template":{"metadata":{"labels":{"app":"x"}},"spec":%s}}}""".formatted(TEMPLATE_SPEC_DEFAULTED));
  }

  @Test
  void statefulSet() {
    assertDefaults(KindDefaults.forKind("apps", "StatefulSet"), """
        {"metadata":{"name":"web"},"spec":{"serviceName":"web","selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx","name":"nginx"}]}},
          "volumeClaimTemplates":[{"metadata":{"name":"www"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}""", """
        {"metadata":{"name":"web"},"spec":{"serviceName":"web","selector":{"matchLabels":{"app":"web"}},
          "podManagementPolicy":"OrderedReady","replicas":1,"revisionHistoryLimit":10,
          "persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"},
          "updateStrategy":{"rollingUpdate":{"partition":0},"type":"RollingUpdate"},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":%s},
          "volumeClaimTemplates":[{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"www"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeMode":"Filesystem"},
             "status":{"phase":"Pending"}}]}}""".formatted(TEMPLATE_SPEC_DEFAULTED));
  }

  @Test
  void statefulSetOnDeleteGetsNoRollingUpdate() {
    ObjectNode s = json("""
        {"spec":{"updateStrategy":{"type":"OnDelete"}}}""");
    KindDefaults.forKind("apps", "StatefulSet").apply(s);
    assertJson(s.at("/spec/updateStrategy"), "{\"type\":\"OnDelete\"}");
  }

  @Test
  void daemonSet() {
    assertDefaults(KindDefaults.forKind("apps", "DaemonSet"), """
        {"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},
          "spec":{"containers":[{"image":"nginx","name":"nginx"}]}}}}""", """
        {"spec":{"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"agent"}},
          "updateStrategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"},
          "template":{"metadata":{"labels":{"app":"agent"}},"spec":%s}}}""".formatted(TEMPLATE_SPEC_DEFAULTED));
  }

  /** {@code kubectl create job pi --image=perl} then the create hook (selector generation with the UID). */
  @Test
  void kubectlCreateJob() {
    ObjectNode job = json("""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi","uid":"1f0e5c1a-0000-4000-8000-000000000001"},
         "spec":{"template":{"metadata":{},"spec":{"containers":[{"image":"perl","name":"pi","resources":{}}],"restartPolicy":"Never"}}},
         "status":{}}""");
    KindDefaults.forKind("batch", "Job").apply(job);
    KindHooks.prepareForCreate("batch", "Job").apply(null, job, null);
    String uid = "1f0e5c1a-0000-4000-8000-000000000001";
    assertJson(job, """
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi","uid":"%1$s"},
         "spec":{"backoffLimit":6,"completionMode":"NonIndexed","completions":1,"manualSelector":false,"parallelism":1,
                 "podReplacementPolicy":"TerminatingOrFailed","suspend":false,
                 "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"%1$s"}},
                 "template":{"metadata":{"labels":{"batch.kubernetes.io/controller-uid":"%1$s","batch.kubernetes.io/job-name":"pi",
                                                   "controller-uid":"%1$s","job-name":"pi"}},
                   "spec":{"containers":[{"image":"perl","imagePullPolicy":"Always","name":"pi","resources":{},
                            "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
                           "dnsPolicy":"ClusterFirst","restartPolicy":"Never","schedulerName":"default-scheduler",
                           "securityContext":{},"terminationGracePeriodSeconds":30}}},
         "status":{}}""".formatted(uid));
  }

  @Test
  void jobParallelismOnlyAndPodFailurePolicy() {
    ObjectNode job = json("""
        {"spec":{"parallelism":3,"podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]},
                 "template":{"spec":{"containers":[]}}}}""");
    KindDefaults.forKind("batch", "Job").apply(job);
    assertThat(job.at("/spec/completions").isMissingNode()).isTrue();
    assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(3);
    assertThat(job.at("/spec/podReplacementPolicy").asString()).isEqualTo("Failed");
    assertThat(job.at("/spec/podFailurePolicy/rules/0/onPodConditions/0/status").asString()).isEqualTo("True");
  }

  @Test
  void manualSelectorJobsKeepTheirLabels() {
    ObjectNode job = json("""
        {"metadata":{"name":"j"},"spec":{"manualSelector":true,"selector":{"matchLabels":{"x":"y"}},
          "template":{"metadata":{"labels":{"x":"y"}}}}}""");
    JobSelectorGeneration.apply(job, "uid-1");
    assertJson(job.at("/spec/template/metadata/labels"), "{\"x\":\"y\"}");
    assertJson(job.at("/spec/selector"), "{\"matchLabels\":{\"x\":\"y\"}}");
  }

  @Test
  void cronJob() {
    assertDefaults(KindDefaults.forKind("batch", "CronJob"), """
        {"metadata":{"name":"hello"},"spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"name":"hello"},
          "spec":{"template":{"spec":{"containers":[{"image":"nginx","name":"hello"}],"restartPolicy":"OnFailure"}}}}}}""", """
        {"metadata":{"name":"hello"},"spec":{"concurrencyPolicy":"Allow","failedJobsHistoryLimit":1,"schedule":"*/1 * * * *",
          "successfulJobsHistoryLimit":3,"suspend":false,
          "jobTemplate":{"metadata":{"name":"hello"},"spec":{"template":{"spec":{
            "containers":[{"image":"nginx","imagePullPolicy":"Always","name":"hello","resources":{},
                           "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
            "dnsPolicy":"ClusterFirst","restartPolicy":"OnFailure","schedulerName":"default-scheduler",
            "securityContext":{},"terminationGracePeriodSeconds":30}}}}}}""");
  }

  @Test
  void createHooksWriteTheInitialStatus() {
    ObjectNode rs = json("{\"spec\":{}}");
    KindHooks.prepareForCreate("apps", "ReplicaSet").apply(null, rs, null);
    assertJson(rs.get("status"), "{\"replicas\":0}");
    ObjectNode ds = json("{\"spec\":{}}");
    KindHooks.prepareForCreate("apps", "DaemonSet").apply(null, ds, null);
    assertJson(ds.get("status"), """
        {"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":0,"numberReady":0}""");
    ObjectNode sts = json("{\"spec\":{}}");
    KindHooks.prepareForCreate("apps", "StatefulSet").apply(null, sts, null);
    assertJson(sts.get("status"), "{\"replicas\":0,\"availableReplicas\":0}");
  }
}
