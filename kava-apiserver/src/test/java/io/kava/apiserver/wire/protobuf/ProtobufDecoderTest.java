package io.kava.apiserver.wire.protobuf;

import static io.kava.apiserver.wire.protobuf.GoWire.container;
import static io.kava.apiserver.wire.protobuf.GoWire.envelope;
import static io.kava.apiserver.wire.protobuf.GoWire.json;
import static io.kava.apiserver.wire.protobuf.GoWire.meta;
import static io.kava.apiserver.wire.protobuf.GoWire.podSpec;
import static io.kava.apiserver.wire.protobuf.GoWire.withoutEmpties;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Batch;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bodies of kubectl 1.33's typed commands, built field by field as the Go client writes them (every
 * non-pointer field present, empty or not), decode to the JSON kubectl prints for the same command with
 * {@code --dry-run=client -o json} (given verbatim below), less its nulls and empty objects (see
 * {@link GoWire#withoutEmpties}).
 */
class ProtobufDecoderTest {
  private final ProtobufDecoder decoder = ProtobufDecoder.get();

  private void assertDecodes(byte[] body, String kubectlJson) {
    ObjectNode decoded = decoder.decode(body);
    assertThat(decoded).isEqualTo(withoutEmpties(json(kubectlJson)));
    // kind and apiVersion lead, as kubectl writes them
    assertThat(decoded.propertyNames().stream().limit(2).toList()).containsExactly("kind", "apiVersion");
  }

  private static V1.PodTemplateSpec.Builder template(Meta.ObjectMeta.Builder meta, V1.PodSpec.Builder spec) {
    return V1.PodTemplateSpec.newBuilder().setMetadata(meta).setSpec(spec);
  }

  @Test
  void createDeploymentWithZeroReplicasKeepsTheZero() {
    // kubectl create deployment x --image=y --replicas=0
    V1Apps.Deployment d = V1Apps.Deployment.newBuilder()
        .setMetadata(meta("x").putLabels("app", "x"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder()
            .setReplicas(0)
            .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "x"))
            .setTemplate(template(meta("").putLabels("app", "x"), podSpec().addContainers(container("y", "y"))))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType(""))
            .setMinReadySeconds(0).setPaused(false))
        .setStatus(V1Apps.DeploymentStatus.newBuilder().setObservedGeneration(0).setReplicas(0).setUpdatedReplicas(0)
            .setAvailableReplicas(0).setUnavailableReplicas(0).setReadyReplicas(0))
        .build();
    assertDecodes(envelope("apps/v1", "Deployment", d), """
        {
            "kind": "Deployment",
            "apiVersion": "apps/v1",
            "metadata": {
                "name": "x",
                "creationTimestamp": null,
                "labels": {
                    "app": "x"
                }
            },
            "spec": {
                "replicas": 0,
                "selector": {
                    "matchLabels": {
                        "app": "x"
                    }
                },
                "template": {
                    "metadata": {
                        "creationTimestamp": null,
                        "labels": {
                            "app": "x"
                        }
                    },
                    "spec": {
                        "containers": [
                            {
                                "name": "y",
                                "image": "y",
                                "resources": {}
                            }
                        ]
                    }
                },
                "strategy": {}
            },
            "status": {}
        }""");
    // and exactly so, with nothing else
    assertThat(decoder.decode(envelope("apps/v1", "Deployment", d)).toString()).isEqualTo(
        "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"x\",\"labels\":{\"app\":\"x\"}},"
            + "\"spec\":{\"replicas\":0,\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"template\":{\"metadata\":"
            + "{\"labels\":{\"app\":\"x\"}},\"spec\":{\"containers\":[{\"name\":\"y\",\"image\":\"y\"}]}}}}");
  }

  @Test
  void deploymentWithoutReplicasHasNoReplicas() {
    // kubectl create deployment x --image=y (replicas 1 is set by kubectl; here a client that leaves it nil)
    V1Apps.Deployment d = V1Apps.Deployment.newBuilder().setMetadata(meta("x"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setTemplate(template(meta(""), podSpec().addContainers(container("y", "y"))))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("")).setMinReadySeconds(0).setPaused(false))
        .build();
    ObjectNode json = decoder.decode(envelope("apps/v1", "Deployment", d));
    assertThat(json.get("spec").has("replicas")).isFalse();
    assertThat(json.get("spec").has("revisionHistoryLimit")).isFalse();
    assertThat(json.get("spec").has("paused")).isFalse();
  }

  @Test
  void createNamespace() {
    // kubectl create namespace dev
    V1.Namespace ns = V1.Namespace.newBuilder().setMetadata(meta("dev"))
        .setSpec(V1.NamespaceSpec.getDefaultInstance())
        .setStatus(V1.NamespaceStatus.newBuilder().setPhase(""))
        .build();
    assertDecodes(envelope("v1", "Namespace", ns), """
        {
            "kind": "Namespace",
            "apiVersion": "v1",
            "metadata": {
                "name": "dev",
                "creationTimestamp": null
            },
            "spec": {},
            "status": {}
        }""");
    assertThat(decoder.decode(envelope("v1", "Namespace", ns)).toString())
        .isEqualTo("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"dev\"}}");
  }

  @Test
  void createConfigMapFromLiterals() {
    // kubectl create configmap cm --from-literal=a=b --from-literal=c=
    V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("cm")).putData("a", "b").putData("c", "").build();
    assertDecodes(envelope("v1", "ConfigMap", cm), """
        {
            "kind": "ConfigMap",
            "apiVersion": "v1",
            "metadata": {
                "name": "cm",
                "creationTimestamp": null
            },
            "data": {
                "a": "b",
                "c": ""
            }
        }""");
  }

  @Test
  void createSecretGenericBase64sTheBytes() {
    // kubectl create secret generic s --from-literal=user=admin --from-literal=empty= --from-literal=bin=...
    V1.Secret s = V1.Secret.newBuilder().setMetadata(meta("s"))
        .putData("user", ByteString.copyFrom("admin", StandardCharsets.UTF_8))
        .putData("empty", ByteString.EMPTY)
        .putData("bin", ByteString.copyFrom(new byte[] {0, (byte) 0xff, 0x10}))
        .setType("")
        .build();
    assertDecodes(envelope("v1", "Secret", s), """
        {
            "kind": "Secret",
            "apiVersion": "v1",
            "metadata": {
                "name": "s",
                "creationTimestamp": null
            },
            "data": {
                "bin": "AP8Q",
                "empty": "",
                "user": "YWRtaW4="
            }
        }""");
  }

  @Test
  void createSecretDockerRegistryKeepsItsType() {
    // kubectl create secret docker-registry reg --docker-server=r --docker-username=u --docker-password=p
    String config = "{\"auths\":{\"r\":{\"username\":\"u\",\"password\":\"p\",\"auth\":\"dTpw\"}}}";
    V1.Secret s = V1.Secret.newBuilder().setMetadata(meta("reg"))
        .putData(".dockerconfigjson", ByteString.copyFrom(config, StandardCharsets.UTF_8))
        .setType("kubernetes.io/dockerconfigjson").build();
    assertDecodes(envelope("v1", "Secret", s), """
        {
            "kind": "Secret",
            "apiVersion": "v1",
            "metadata": {
                "name": "reg",
                "creationTimestamp": null
            },
            "data": {
                ".dockerconfigjson": "eyJhdXRocyI6eyJyIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ=="
            },
            "type": "kubernetes.io/dockerconfigjson"
        }""");
  }

  private static V1.ServicePort.Builder port(String name, int port, IntStr.IntOrString target) {
    return V1.ServicePort.newBuilder().setName(name).setProtocol("TCP")
        .setPort(port).setTargetPort(target).setNodePort(0);
  }

  @Test
  void createServiceClusterIpWithPorts() {
    // kubectl create service clusterip svc --tcp=80:8080 --tcp=443
    V1.Service svc = V1.Service.newBuilder().setMetadata(meta("svc").putLabels("app", "svc"))
        .setSpec(V1.ServiceSpec.newBuilder()
            .addPorts(port("80-8080", 80, IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080).setStrVal("").build()))
            .addPorts(port("443", 443, IntStr.IntOrString.newBuilder().setType(0).setIntVal(443).setStrVal("").build()))
            .putSelector("app", "svc").setClusterIP("").setType("ClusterIP").setSessionAffinity("")
            .setLoadBalancerIP("").setExternalName("").setExternalTrafficPolicy("").setHealthCheckNodePort(0)
            .setPublishNotReadyAddresses(false))
        .setStatus(V1.ServiceStatus.newBuilder().setLoadBalancer(V1.LoadBalancerStatus.getDefaultInstance()))
        .build();
    assertDecodes(envelope("v1", "Service", svc), """
        {
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": {
                "name": "svc",
                "creationTimestamp": null,
                "labels": {
                    "app": "svc"
                }
            },
            "spec": {
                "ports": [
                    {
                        "name": "80-8080",
                        "protocol": "TCP",
                        "port": 80,
                        "targetPort": 8080
                    },
                    {
                        "name": "443",
                        "protocol": "TCP",
                        "port": 443,
                        "targetPort": 443
                    }
                ],
                "selector": {
                    "app": "svc"
                },
                "type": "ClusterIP"
            },
            "status": {
                "loadBalancer": {}
            }
        }""");
  }

  @Test
  void namedTargetPortIsAString() {
    V1.Service svc = V1.Service.newBuilder().setMetadata(meta("svc"))
        .setSpec(V1.ServiceSpec.newBuilder()
            .addPorts(port("http", 80, IntStr.IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal("web").build()))
            .addPorts(port("zero", 81, IntStr.IntOrString.newBuilder().setType(0).setIntVal(0).setStrVal("").build())))
        .build();
    ObjectNode json = decoder.decode(envelope("v1", "Service", svc));
    assertThat(json.at("/spec/ports/0/targetPort").isString()).isTrue();
    assertThat(json.at("/spec/ports/0/targetPort").stringValue()).isEqualTo("web");
    // a zero (unset) targetPort is left out so that defaulting sets it to port
    assertThat(json.at("/spec/ports/1").has("targetPort")).isFalse();
    assertThat(json.at("/spec/ports/1/port").intValue()).isEqualTo(81);
  }

  @Test
  void createJob() {
    // kubectl create job j --image=busybox -- echo hi
    V1Batch.Job job = V1Batch.Job.newBuilder().setMetadata(meta("j"))
        .setSpec(V1Batch.JobSpec.newBuilder().setTemplate(template(meta(""),
            podSpec().addContainers(container("j", "busybox").addCommand("echo").addCommand("hi")).setRestartPolicy("Never"))))
        .setStatus(V1Batch.JobStatus.newBuilder().setActive(0).setSucceeded(0).setFailed(0).setCompletedIndexes(""))
        .build();
    assertDecodes(envelope("batch/v1", "Job", job), """
        {
            "kind": "Job",
            "apiVersion": "batch/v1",
            "metadata": {
                "name": "j",
                "creationTimestamp": null
            },
            "spec": {
                "template": {
                    "metadata": {
                        "creationTimestamp": null
                    },
                    "spec": {
                        "containers": [
                            {
                                "name": "j",
                                "image": "busybox",
                                "command": [
                                    "echo",
                                    "hi"
                                ],
                                "resources": {}
                            }
                        ],
                        "restartPolicy": "Never"
                    }
                }
            },
            "status": {}
        }""");
  }

  @Test
  void jobPointerZerosAreKept() {
    V1Batch.Job job = V1Batch.Job.newBuilder().setMetadata(meta("j"))
        .setSpec(V1Batch.JobSpec.newBuilder().setParallelism(0).setCompletions(0).setBackoffLimit(0)
            .setActiveDeadlineSeconds(0).setTtlSecondsAfterFinished(0).setSuspend(false).setManualSelector(false)
            .setTemplate(template(meta(""), podSpec().addContainers(container("j", "busybox")).setRestartPolicy("Never"))))
        .build();
    assertThat(decoder.decode(envelope("batch/v1", "Job", job)).get("spec").toString()).startsWith(
        "{\"parallelism\":0,\"completions\":0,\"activeDeadlineSeconds\":0,\"backoffLimit\":0,\"manualSelector\":false,"
            + "\"template\":");
    assertThat(decoder.decode(envelope("batch/v1", "Job", job)).at("/spec/ttlSecondsAfterFinished").intValue()).isZero();
    assertThat(decoder.decode(envelope("batch/v1", "Job", job)).at("/spec/suspend").booleanValue()).isFalse();
  }

  @Test
  void createCronJob() {
    // kubectl create cronjob cj --image=busybox --schedule="*/5 * * * *" -- date
    V1Batch.CronJob cj = V1Batch.CronJob.newBuilder().setMetadata(meta("cj"))
        .setSpec(V1Batch.CronJobSpec.newBuilder().setSchedule("*/5 * * * *").setConcurrencyPolicy("")
            .setJobTemplate(V1Batch.JobTemplateSpec.newBuilder().setMetadata(meta("cj"))
                .setSpec(V1Batch.JobSpec.newBuilder().setTemplate(template(meta(""),
                    podSpec().addContainers(container("cj", "busybox").addCommand("date")).setRestartPolicy("OnFailure"))))))
        .setStatus(V1Batch.CronJobStatus.getDefaultInstance())
        .build();
    assertDecodes(envelope("batch/v1", "CronJob", cj), """
        {
            "kind": "CronJob",
            "apiVersion": "batch/v1",
            "metadata": {
                "name": "cj",
                "creationTimestamp": null
            },
            "spec": {
                "schedule": "*/5 * * * *",
                "jobTemplate": {
                    "metadata": {
                        "name": "cj",
                        "creationTimestamp": null
                    },
                    "spec": {
                        "template": {
                            "metadata": {
                                "creationTimestamp": null
                            },
                            "spec": {
                                "containers": [
                                    {
                                        "name": "cj",
                                        "image": "busybox",
                                        "command": [
                                            "date"
                                        ],
                                        "resources": {}
                                    }
                                ],
                                "restartPolicy": "OnFailure"
                            }
                        }
                    }
                }
            },
            "status": {}
        }""");
  }

  @Test
  void podWithZeroGracePeriodAndRootUserKeepsTheZeros() {
    // kubectl run p --image=busybox --restart=Never --overrides='{"spec":{"terminationGracePeriodSeconds":0,
    //   "automountServiceAccountToken":false,"securityContext":{"runAsUser":0,"runAsGroup":0,"fsGroup":0},
    //   "containers":[{"name":"p","image":"busybox","securityContext":{"runAsUser":0,"privileged":false}}]}}'
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(meta("p").putLabels("run", "p"))
        .setSpec(podSpec()
            .addContainers(container("p", "busybox")
                .setSecurityContext(V1.SecurityContext.newBuilder().setRunAsUser(0).setPrivileged(false)))
            .setRestartPolicy("Never").setDnsPolicy("ClusterFirst")
            .setTerminationGracePeriodSeconds(0)
            .setAutomountServiceAccountToken(false)
            .setSecurityContext(V1.PodSecurityContext.newBuilder().setRunAsUser(0).setRunAsGroup(0).setFsGroup(0)))
        .setStatus(V1.PodStatus.newBuilder().setPhase("").setMessage("").setReason("").setNominatedNodeName("")
            .setHostIP("").setPodIP("").setQosClass(""))
        .build();
    ObjectNode decoded = decoder.decode(envelope("v1", "Pod", pod));
    assertThat(decoded).isEqualTo(json("""
        {
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {
                "name": "p",
                "labels": {
                    "run": "p"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "p",
                        "image": "busybox",
                        "securityContext": {
                            "privileged": false,
                            "runAsUser": 0
                        }
                    }
                ],
                "restartPolicy": "Never",
                "terminationGracePeriodSeconds": 0,
                "dnsPolicy": "ClusterFirst",
                "automountServiceAccountToken": false,
                "securityContext": {
                    "runAsUser": 0,
                    "runAsGroup": 0,
                    "fsGroup": 0
                }
            }
        }"""));
  }

  @Test
  void emptyPointerStructIsKeptAsEmptyObject() {
    // {"securityContext": {}} and {"emptyDir": {}} as a JSON client sends them: a non-nil pointer to an empty struct
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(meta("p"))
        .setSpec(podSpec().addContainers(container("p", "busybox")
                .setSecurityContext(V1.SecurityContext.getDefaultInstance()))
            .addVolumes(V1.Volume.newBuilder().setName("scratch")
                .setVolumeSource(V1.VolumeSource.newBuilder().setEmptyDir(V1.EmptyDirVolumeSource.newBuilder().setMedium(""))))
            .setSecurityContext(V1.PodSecurityContext.getDefaultInstance()))
        .build();
    ObjectNode decoded = decoder.decode(envelope("v1", "Pod", pod));
    assertThat(decoded.get("spec")).isEqualTo(json("""
        {
            "volumes": [ { "name": "scratch", "emptyDir": {} } ],
            "containers": [ { "name": "p", "image": "busybox", "securityContext": {} } ],
            "securityContext": {}
        }"""));
  }
}
