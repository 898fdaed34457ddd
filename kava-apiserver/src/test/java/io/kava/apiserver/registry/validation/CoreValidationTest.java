package io.kava.apiserver.registry.validation;

import static io.kava.apiserver.registry.validation.V.create;
import static io.kava.apiserver.registry.validation.V.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoreValidationTest {
  private static final String CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
      + "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

  @Test
  void namespaceFinalizers() {
    assertThat(create("", "Namespace", "{\"metadata\":{\"name\":\"dev\"},\"spec\":{\"finalizers\":[\"kubernetes\",\"example.com/x\"]}}")).isEmpty();
    assertThat(create("", "Namespace", "{\"metadata\":{\"name\":\"dev\"},\"spec\":{\"finalizers\":[\"foo\"]}}")).containsExactly(
        "spec.finalizers: Invalid value: \"foo\": name is neither a standard finalizer name nor is it fully qualified");
  }

  @Test
  void configMapKeysSizeAndImmutability() {
    assertThat(create("", "ConfigMap", "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a b\":\"1\",\"..x\":\"2\",\"ok.key\":\"3\"},"
        + "\"binaryData\":{\"ok.key\":\"AA==\"}}")).containsExactly(
        "data[..x]: Invalid value: \"..x\": must not start with '..'",
        "data[a b]: Invalid value: \"a b\": " + CONFIG_KEY_MSG,
        "data[ok.key]: Invalid value: \"ok.key\": duplicate of key present in binaryData");
    String big = "x".repeat(1024 * 1024 + 1);
    assertThat(create("", "ConfigMap", "{\"metadata\":{\"name\":\"c\"},\"data\":{\"k\":\"" + big + "\"}}"))
        .containsExactly(": Too long: may not be more than 1048576 bytes");
    String old = "{\"metadata\":{\"name\":\"c\"},\"immutable\":true,\"data\":{\"k\":\"v\"}}";
    assertThat(update("", "ConfigMap", old.replace("\"v\"", "\"w\""), old))
        .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
    assertThat(update("", "ConfigMap", old.replace("true", "false"), old))
        .containsExactly("immutable: Forbidden: field is immutable when `immutable` is set");
  }

  @Test
  void secretTypes() {
    assertThat(create("", "Secret", "{\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"dg==\"}}")).isEmpty();
    assertThat(create("", "Secret", "{\"metadata\":{\"name\":\"s\"},\"type\":\"kubernetes.io/tls\",\"data\":{\"ca.crt\":\"\"}}"))
        .containsExactly("data[tls.crt]: Required value", "data[tls.key]: Required value");
    assertThat(create("", "Secret", "{\"metadata\":{\"name\":\"s\"},\"type\":\"kubernetes.io/dockerconfigjson\","
        + "\"data\":{\".dockerconfigjson\":\"eHl6\"}}")).containsExactly(
        "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'x' looking for beginning of value");
    assertThat(create("", "Secret", "{\"metadata\":{\"name\":\"s\"},\"type\":\"kubernetes.io/service-account-token\"}"))
        .containsExactly("metadata.annotations[kubernetes.io/service-account.name]: Required value");
    String old = "{\"metadata\":{\"name\":\"s\"},\"type\":\"Opaque\",\"data\":{\"tls.crt\":\"\",\"tls.key\":\"\"}}";
    assertThat(update("", "Secret", old.replace("Opaque", "kubernetes.io/tls"), old))
        .containsExactly("type: Invalid value: \"kubernetes.io/tls\": field is immutable");
  }

  @Test
  void persistentVolumeClaims() {
    String pvc = "{\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],"
        + "\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}";
    assertThat(create("", "PersistentVolumeClaim", pvc)).isEmpty();
    assertThat(create("", "PersistentVolumeClaim", "{\"metadata\":{\"name\":\"data\"},\"spec\":{}}")).containsExactly(
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value");
    assertThat(create("", "PersistentVolumeClaim", pvc.replace("ReadWriteOnce", "ReadWriteSometimes"))).containsExactly(
        "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", "
            + "\"ReadWriteOnce\", \"ReadWriteOncePod\"");
    List<String> msgs = update("", "PersistentVolumeClaim", pvc.replace("\"resources\"", "\"storageClassName\":\"fast\",\"resources\""),
        pvc.replace("\"resources\"", "\"storageClassName\":\"slow\",\"resources\""));
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0)).startsWith("spec: Forbidden: spec is immutable after creation except resources.requests and "
        + "volumeAttributesClassName for bound claims\n");
    assertThat(update("", "PersistentVolumeClaim", pvc.replace("\"resources\"", "\"volumeName\":\"pv1\",\"resources\""), pvc)).isEmpty();
  }

  @Test
  void persistentVolumes() {
    String pv = "{\"metadata\":{\"name\":\"pv1\"},\"spec\":{\"capacity\":{\"storage\":\"1Gi\"},\"accessModes\":[\"ReadWriteOnce\"],"
        + "\"hostPath\":{\"path\":\"/mnt/data\"}}}";
    assertThat(create("", "PersistentVolume", pv)).isEmpty();
    assertThat(create("", "PersistentVolume", pv.replace("\"hostPath\"", "\"persistentVolumeReclaimPolicy\":\"Keep\",\"hostPath\"")))
        .containsExactly("spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\"");
    assertThat(create("", "PersistentVolume", "{\"metadata\":{\"name\":\"pv1\"},\"spec\":{\"capacity\":{\"storage\":\"1Gi\"},"
        + "\"accessModes\":[\"ReadWriteOnce\"]}}")).containsExactly("spec: Required value: must specify a volume type");
    List<String> msgs = update("", "PersistentVolume", pv.replace("/mnt/data", "/mnt/other"), pv);
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0)).startsWith("spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n");
  }

  @Test
  void endpointsLimitRangeQuotaAndEvents() {
    assertThat(create("", "Endpoints", "{\"metadata\":{\"name\":\"e\"},\"subsets\":[{\"addresses\":[{\"ip\":\"127.0.0.1\"}],"
        + "\"ports\":[{\"port\":80}]},{\"ports\":[{\"port\":81}]}]}")).containsExactly(
        "subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
        "subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`");
    assertThat(create("", "LimitRange", "{\"metadata\":{\"name\":\"l\"},\"spec\":{\"limits\":[{\"type\":\"Container\","
        + "\"min\":{\"cpu\":\"2\"},\"max\":{\"cpu\":\"1\"},\"default\":{\"cpu\":\"1\"},\"defaultRequest\":{\"cpu\":\"1\"}}]}}")).containsExactly(
        "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1",
        "spec.limits[0].defaultRequest[cpu]: Invalid value: \"1\": min value 2 is greater than default request value 1",
        "spec.limits[0].default[cpu]: Invalid value: \"2\": min value 2 is greater than default value 1");
    assertThat(create("", "ResourceQuota", "{\"metadata\":{\"name\":\"q\"},\"spec\":{\"hard\":{\"pods\":\"1.5\",\"foo\":\"1\"}}}")).containsExactly(
        "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
        "spec.hard[foo]: Invalid value: \"foo\": must be a standard resource for quota",
        "spec.hard[pods]: Invalid value: \"1500m\": must be an integer");
    assertThat(create("", "Event", "{\"metadata\":{\"name\":\"e\",\"namespace\":\"dev\"},"
        + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"prod\"},\"reason\":\"Started\"}")).containsExactly(
        "involvedObject.namespace: Invalid value: \"prod\": does not match event.namespace");
  }

  @Test
  void nodes() {
    assertThat(create("", "Node", "{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"},"
        + "{\"key\":\"k\",\"effect\":\"NoSchedule\"},{\"key\":\"j\"}]}}")).containsExactly(
        "metadata.taints[1]: Duplicate value: core.Taint{Key:\"k\", Value:\"\", Effect:\"NoSchedule\", TimeAdded:<nil>}: "
            + "taints must be unique by key and effect pair",
        "metadata.taints[2].effect: Required value");
    String old = "{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"podCIDRs\":[\"10.244.0.0/24\"]}}";
    assertThat(update("", "Node", old.replace("10.244.0.0", "10.244.1.0"), old))
        .containsExactly("spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid");
  }
}
