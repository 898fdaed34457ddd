package io.kava.apiserver.wire.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.kava.apiserver.wire.protobuf.GoFieldRules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoFieldRulesTest {
  private final GoFieldRules rules = GoFieldRules.get();
  private final ProtoSchema schema = ProtoSchema.get();

  private FieldDescriptor field(String shortMessage, String field) {
    Descriptor d = schema.message(GoFieldRules.fullName(shortMessage));
    assertThat(d).as(shortMessage).isNotNull();
    FieldDescriptor f = d.findFieldByName(field);
    assertThat(f).as(shortMessage + "." + field).isNotNull();
    return f;
  }

  @Test
  void everyEntryNamesARealField() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Map<String, Rule>> m : rules.table().entrySet()) {
      Descriptor d = schema.message(m.getKey());
      if (d == null) {
        problems.add("no message " + m.getKey());
        continue;
      }
      m.getValue().forEach((name, rule) -> {
        FieldDescriptor f = d.findFieldByName(name);
        if (f == null) {
          problems.add("no field " + m.getKey() + "." + name);
        } else if (rule == Rule.INLINE && (f.isRepeated() || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE)) {
          problems.add("inline field is not a single message: " + m.getKey() + "." + name);
        } else if (rule != Rule.POINTER && f.isRepeated()) {
          problems.add("repeated field in the table: " + m.getKey() + "." + name);
        }
      });
    }
    assertThat(problems).isEmpty();
  }

  /** The pointer fields whose zero a kubectl command or a common manifest sets, with meaning. */
  @Test
  void pointerFieldsKeepTheirZero() {
    String[][] pointers = {
        {"apps.v1.DeploymentSpec", "replicas", "revisionHistoryLimit", "progressDeadlineSeconds", "selector"},
        {"apps.v1.ReplicaSetSpec", "replicas"},
        {"apps.v1.StatefulSetSpec", "replicas", "revisionHistoryLimit"},
        {"apps.v1.DaemonSetSpec", "revisionHistoryLimit"},
        {"apps.v1.RollingUpdateDeployment", "maxSurge", "maxUnavailable"},
        {"apps.v1.RollingUpdateStatefulSetStrategy", "partition", "maxUnavailable"},
        {"apps.v1.RollingUpdateDaemonSet", "maxSurge", "maxUnavailable"},
        {"core.v1.ReplicationControllerSpec", "replicas"},
        {"core.v1.PodSpec", "terminationGracePeriodSeconds", "activeDeadlineSeconds", "automountServiceAccountToken",
            "shareProcessNamespace", "enableServiceLinks", "hostUsers", "priority", "setHostnameAsFQDN", "securityContext"},
        {"core.v1.PodSecurityContext", "runAsUser", "runAsGroup", "fsGroup", "runAsNonRoot"},
        {"core.v1.SecurityContext", "runAsUser", "runAsGroup", "runAsNonRoot", "privileged", "readOnlyRootFilesystem",
            "allowPrivilegeEscalation", "capabilities"},
        {"core.v1.Container", "securityContext", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "restartPolicy"},
        {"core.v1.Probe", "terminationGracePeriodSeconds"},
        {"core.v1.Toleration", "tolerationSeconds"},
        {"core.v1.ServiceAccount", "automountServiceAccountToken"},
        {"core.v1.ConfigMap", "immutable"},
        {"core.v1.Secret", "immutable"},
        {"core.v1.SecretVolumeSource", "defaultMode", "optional"},
        {"core.v1.ConfigMapVolumeSource", "defaultMode", "optional"},
        {"core.v1.VolumeSource", "emptyDir", "hostPath", "secret", "configMap", "persistentVolumeClaim", "projected", "downwardAPI"},
        {"core.v1.EmptyDirVolumeSource", "sizeLimit"},
        {"core.v1.ServiceSpec", "allocateLoadBalancerNodePorts", "ipFamilyPolicy", "internalTrafficPolicy"},
        {"batch.v1.JobSpec", "parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished",
            "suspend", "manualSelector", "selector"},
        {"batch.v1.CronJobSpec", "suspend", "startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "timeZone"},
        {"policy.v1.PodDisruptionBudgetSpec", "minAvailable", "maxUnavailable", "selector"},
        {"autoscaling.v1.HorizontalPodAutoscalerSpec", "minReplicas", "targetCPUUtilizationPercentage"},
        {"storage.v1.StorageClass", "allowVolumeExpansion", "reclaimPolicy", "volumeBindingMode"},
        {"scheduling.v1.PriorityClass", "preemptionPolicy"},
        {"networking.v1.NetworkPolicyPeer", "podSelector", "namespaceSelector", "ipBlock"},
        {"networking.v1.NetworkPolicyPort", "port", "endPort", "protocol"},
        {"networking.v1.IngressSpec", "ingressClassName", "defaultBackend"},
        {"coordination.v1.LeaseSpec", "holderIdentity", "leaseDurationSeconds", "leaseTransitions"},
        {"discovery.v1.EndpointConditions", "ready", "serving", "terminating"},
        {"meta.v1.ObjectMeta", "deletionGracePeriodSeconds", "deletionTimestamp"},
        {"meta.v1.OwnerReference", "controller", "blockOwnerDeletion"},
        {"meta.v1.DeleteOptions", "gracePeriodSeconds", "orphanDependents", "propagationPolicy", "preconditions"},
        {"authentication.v1.TokenRequestSpec", "expirationSeconds", "boundObjectRef"},
    };
    for (String[] row : pointers) {
      for (int i = 1; i < row.length; i++) {
        assertThat(rules.rule(field(row[0], row[i]))).as(row[0] + "." + row[i]).isEqualTo(Rule.POINTER);
      }
    }
  }

  /** Non-pointer fields with omitempty: their zero is Go's "unset" and is dropped. */
  @Test
  void plainFieldsDropTheirZero() {
    String[][] plain = {
        {"core.v1.Container", "stdin", "stdinOnce", "tty", "workingDir", "imagePullPolicy", "resources", "terminationMessagePath"},
        {"core.v1.ContainerPort", "hostPort", "protocol"},
        {"core.v1.PodSpec", "hostNetwork", "hostPID", "hostIPC", "restartPolicy", "dnsPolicy", "nodeName", "schedulerName"},
        {"core.v1.ServicePort", "nodePort", "targetPort", "protocol"},
        {"core.v1.ServiceSpec", "clusterIP", "type", "sessionAffinity", "publishNotReadyAddresses"},
        {"apps.v1.DeploymentSpec", "minReadySeconds", "paused", "strategy"},
        {"apps.v1.Deployment", "spec", "status"},
        {"meta.v1.ObjectMeta", "generation", "creationTimestamp", "namespace", "uid", "resourceVersion"},
        {"autoscaling.v1.ScaleSpec", "replicas"},
        {"rbac.v1.Subject", "apiGroup", "namespace"},
    };
    for (String[] row : plain) {
      for (int i = 1; i < row.length; i++) {
        assertThat(rules.rule(field(row[0], row[i]))).as(row[0] + "." + row[i]).isEqualTo(Rule.OMITEMPTY);
      }
    }
  }

  /** Fields without omitempty, written by Go's JSON even when zero (OpenAPI's required fields). */
  @Test
  void fieldsWithoutOmitempty() {
    String[][] always = {
        {"core.v1.Container", "name"},
        {"core.v1.ContainerPort", "containerPort"},
        {"core.v1.ServicePort", "port"},
        {"core.v1.EnvVar", "name"},
        {"core.v1.Volume", "name"},
        {"core.v1.HTTPGetAction", "port"},
        {"apps.v1.DeploymentSpec", "template"},
        {"batch.v1.CronJobSpec", "schedule", "jobTemplate"},
        {"rbac.v1.RoleRef", "apiGroup", "kind", "name"},
        {"rbac.v1.RoleBinding", "roleRef"},
        {"rbac.v1.Subject", "kind", "name"},
        {"scheduling.v1.PriorityClass", "value"},
        {"networking.v1.NetworkPolicySpec", "podSelector"},
        {"meta.v1.Condition", "type", "status", "lastTransitionTime", "reason", "message"},
        {"meta.v1.OwnerReference", "apiVersion", "kind", "name", "uid"},
    };
    for (String[] row : always) {
      for (int i = 1; i < row.length; i++) {
        assertThat(rules.rule(field(row[0], row[i]))).as(row[0] + "." + row[i]).isEqualTo(Rule.ALWAYS);
      }
    }
  }

  @Test
  void inlineStructsAndRenames() {
    assertThat(rules.rule(field("core.v1.Volume", "volumeSource"))).isEqualTo(Rule.INLINE);
    assertThat(rules.rule(field("core.v1.Probe", "handler"))).isEqualTo(Rule.INLINE);
    assertThat(rules.rule(field("core.v1.EphemeralContainer", "ephemeralContainerCommon"))).isEqualTo(Rule.INLINE);
    assertThat(rules.rule(field("core.v1.PersistentVolumeSpec", "persistentVolumeSource"))).isEqualTo(Rule.INLINE);
    assertThat(rules.rule(field("core.v1.SecretKeySelector", "localObjectReference"))).isEqualTo(Rule.INLINE);
    assertThat(rules.rule(field("networking.v1.IngressRule", "ingressRuleValue"))).isEqualTo(Rule.INLINE);
    assertThat(rules.jsonName(field("networking.v1.IngressClassParametersReference", "aPIGroup"))).isEqualTo("apiGroup");
    assertThat(rules.jsonName(field("authentication.v1.BoundObjectReference", "uID"))).isEqualTo("uid");
    assertThat(rules.jsonName(field("core.v1.PodSpec", "hostPID"))).isEqualTo("hostPID");
  }

  @Test
  void tableSyntax() {
    GoFieldRules r = new GoFieldRules("""
        core.v1.PodSpec   *terminationGracePeriodSeconds
                          !nodeName
        core.v1.Volume    ^volumeSource name=nombre
        """);
    assertThat(r.table().get("k8s.io.api.core.v1.PodSpec"))
        .containsEntry("terminationGracePeriodSeconds", Rule.POINTER).containsEntry("nodeName", Rule.ALWAYS);
    assertThat(r.jsonName(field("core.v1.Volume", "name"))).isEqualTo("nombre");
    assertThatThrownBy(() -> new GoFieldRules("core.v1.PodSpec ?x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GoFieldRules("  *x")).isInstanceOf(IllegalArgumentException.class);
  }
}
