package io.kava.client;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class InformerSerializationTest {
  static final String POD_EVENT = """
      {"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns","uid":"u1",
       "resourceVersion":"42","labels":{"app":"web"},"managedFields":[
        {"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2026-11-27T04:00:00Z","fieldsType":"FieldsV1",
         "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:image":{}}}}}},
        {"manager":"kubelet","operation":"Update","apiVersion":"v1","subresource":"status","fieldsType":"FieldsV1",
         "fieldsV1":{"f:status":{"f:phase":{}}}}]},
       "spec":{"nodeName":"n1","containers":[{"name":"c","image":"nginx"}]},"status":{"phase":"Running","podIP":"10.0.0.5"}}}""";

  @Test
  void decodesWatchEventsWithoutManagedFieldsAndOtherwiseAsTheDefault() {
    Pod trimmed = (Pod) InformerSerialization.withoutManagedFields().unmarshal(POD_EVENT, WatchEvent.class).getObject();
    Pod full = (Pod) new KubernetesSerialization().unmarshal(POD_EVENT, WatchEvent.class).getObject();

    assertThat(full.getMetadata().getManagedFields()).hasSize(2);
    assertThat(trimmed.getMetadata().getManagedFields()).isEmpty();
    assertThat(trimmed.getMetadata().getAdditionalProperties()).as("not kept as an unknown field either").isEmpty();
    TrimmedItemStore.dropManagedFields(full);
    trimmed.getMetadata().setManagedFields(null);
    assertThat(trimmed).isEqualTo(full);
    assertThat(trimmed.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(trimmed.getStatus().getPodIP()).isEqualTo("10.0.0.5");
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("42");
  }

  @Test
  void appliesToEveryKind() {
    String lease = """
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"n1","namespace":"kube-node-lease",
         "managedFields":[{"manager":"kubelet","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
         "spec":{"holderIdentity":"n1","leaseDurationSeconds":40}}""";
    Lease l = InformerSerialization.withoutManagedFields().unmarshal(lease, Lease.class);
    assertThat(l.getMetadata().getManagedFields()).isEmpty();
    assertThat(l.getSpec().getHolderIdentity()).isEqualTo("n1");
  }

  /** Strings are parsed directly (not through byte streams): same results, same errors, YAML still accepted. */
  @Test
  void decodesStringsDirectlyAsTheStreamPathWould() {
    KubernetesSerialization s = InformerSerialization.withoutManagedFields();
    Pod viaString = (Pod) s.unmarshal("  \n" + POD_EVENT, WatchEvent.class).getObject();
    Pod viaStream = (Pod) s.unmarshal(new java.io.ByteArrayInputStream(POD_EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        WatchEvent.class).getObject();
    assertThat(viaString).isEqualTo(viaStream);

    GenericKubernetesResource generic = (GenericKubernetesResource) InformerSerialization.withoutManagedFields(false)
        .unmarshal(POD_EVENT, WatchEvent.class).getObject();
    assertThat(generic.getMetadata().getUid()).isEqualTo("u1");
    assertThat(generic.getMetadata().getManagedFields()).isEmpty();

    Lease fromYaml = s.unmarshal("apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: n1\nspec:\n  holderIdentity: n1\n", Lease.class);
    assertThat(fromYaml.getSpec().getHolderIdentity()).isEqualTo("n1");
    assertThatThrownBy(() -> s.unmarshal("{\"type\":", WatchEvent.class)).isInstanceOf(KubernetesClientException.class);
  }

  /** Watch events decoded by the per-kind readers equal what fabric8's own (stream) decoding gives, for every event. */
  @Test
  void watchEventsDecodeAsFabric8sOwnDecodingDoes() {
    String bookmark = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"77\"}}}";
    String error = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
        + "\"message\":\"too old resource version: 1 (5)\",\"reason\":\"Expired\",\"code\":410}}";
    String custom = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\","
        + "\"metadata\":{\"name\":\"w\",\"namespace\":\"ns\"},\"spec\":{\"size\":3}}}";
    String noKind = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"x\"}}}";
    String deleted = POD_EVENT.replace("\"MODIFIED\"", "\"DELETED\"");
    // shapes the one-pass decoding does not take, left to the tree: object before type, blanks, an escape, more fields
    String objectFirst = "{\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}},\"type\":\"ADDED\"}";
    String blanks = "{ \"type\" : \"ADDED\", \"object\" : { \"apiVersion\" : \"v1\", \"kind\" : \"Pod\", \"metadata\":{\"name\":\"p\"}}}";
    String escaped = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v\\u0031\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}}";
    String extra = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}},\"x\":1}";
    String secondKind = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"kind\":\"Node\",\"metadata\":{\"name\":\"p\"}}}";
    for (boolean modelClasses : new boolean[] {true, false}) {
      KubernetesSerialization s = InformerSerialization.withoutManagedFields(modelClasses);
      for (String event : java.util.List.of(POD_EVENT, deleted, bookmark, error, custom, noKind, objectFirst, blanks, escaped, extra, secondKind)) {
        for (int i = 0; i < 2; i++) { // the second time from the cached reader
          WatchEvent fast = s.unmarshal(event, WatchEvent.class);
          WatchEvent reference = s.unmarshal(new java.io.ByteArrayInputStream(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)), WatchEvent.class);
          assertThat(fast.getType()).isEqualTo(reference.getType());
          assertThat(fast.getObject()).as("%s, model classes %s", event, modelClasses).isEqualTo(reference.getObject())
              .hasSameClassAs(reference.getObject());
        }
      }
    }
    assertThat(InformerSerialization.withoutManagedFields().unmarshal(error, WatchEvent.class).getObject())
        .isInstanceOf(io.fabric8.kubernetes.api.model.Status.class);
    assertThat(InformerSerialization.withoutManagedFields().unmarshal(custom, WatchEvent.class).getObject())
        .isInstanceOf(GenericKubernetesResource.class);
  }
}
