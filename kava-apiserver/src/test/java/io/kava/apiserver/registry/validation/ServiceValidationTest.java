package io.kava.apiserver.registry.validation;

import static io.kava.apiserver.registry.validation.V.create;
import static io.kava.apiserver.registry.validation.V.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.validation.NameRule;
import org.junit.jupiter.api.Test;

class ServiceValidationTest {
  private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, "
      + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
      + "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

  @Test
  void kubectlCreateServiceIsValid() {
    assertThat(create("", "Service", """
        {"metadata":{"name":"web"},"spec":{"ports":[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}],
          "selector":{"app":"web"},"type":"ClusterIP"}}""")).isEmpty();
    assertThat(create("", "Service", """
        {"metadata":{"name":"web"},"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30080}]}}""")).isEmpty();
    assertThat(create("", "Service", """
        {"metadata":{"name":"db"},"spec":{"clusterIP":"None","selector":{"app":"db"}}}""")).isEmpty();
    assertThat(create("", "Service", """
        {"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"db.example.com."}}""")).isEmpty();
  }

  @Test
  void portsRules() {
    assertThat(create("", "Service", "{\"metadata\":{\"name\":\"s\"},\"spec\":{}}")).containsExactly("spec.ports: Required value");
    assertThat(create("", "Service", """
        {"metadata":{"name":"s"},"spec":{"ports":[{"port":80},{"port":443},{"name":"Web","port":8080}]}}""")).containsExactly(
        "spec.ports[0].name: Required value",
        "spec.ports[1].name: Required value",
        "spec.ports[2].name: Invalid value: \"Web\": " + V.DNS_LABEL_MSG);
    assertThat(create("", "Service", """
        {"metadata":{"name":"s"},"spec":{"ports":[{"port":0,"protocol":"HTTP"}]}}""")).containsExactly(
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive");
    assertThat(create("", "Service", """
        {"metadata":{"name":"s"},"spec":{"ports":[{"name":"a","port":80},{"name":"b","port":80}]}}""")).containsExactly(
        "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, "
            + "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}");
  }

  @Test
  void typeSelectorAndNodePorts() {
    assertThat(create("", "Service", """
        {"metadata":{"name":"s"},"spec":{"type":"Public","ports":[{"port":80}]}}""")).containsExactly(
        "spec.type: Unsupported value: \"Public\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
    assertThat(create("", "Service", """
        {"metadata":{"name":"s"},"spec":{"selector":{"app":"bad value!"},"ports":[{"port":80,"nodePort":30000}]}}""")).containsExactly(
        "spec.selector: Invalid value: \"bad value!\": " + LABEL_VALUE_MSG,
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    assertThat(create("", "Service", """
        {"metadata":{"name":"s"},"spec":{"type":"LoadBalancer","clusterIP":"None","ports":[{"port":80}]}}""")).containsExactly(
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services");
    assertThat(create("", "Service", """
        {"metadata":{"name":"s"},"spec":{"type":"ExternalName"}}""")).containsExactly("spec.externalName: Required value");
  }

  @Test
  void clusterIPIsImmutableExceptToAndFromExternalName() {
    String old = """
        {"metadata":{"name":"s"},"spec":{"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"ports":[{"port":80}]}}""";
    assertThat(update("", "Service", old.replace("10.96.0.10", "10.96.0.11"), old)).containsExactly(
        "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set");
    assertThat(update("", "Service", old, old)).isEmpty();
    assertThat(update("", "Service", """
        {"metadata":{"name":"s"},"spec":{"type":"ExternalName","externalName":"example.com"}}""", old)).isEmpty();
  }

  @Test
  void nameRules() {
    assertThat(KindValidation.nameRule("", "Service")).isSameAs(NameRule.DNS1035_LABEL);
    assertThat(KindValidation.nameRule("", "Namespace")).isSameAs(NameRule.DNS_LABEL);
    assertThat(KindValidation.nameRule("apps", "StatefulSet")).isSameAs(NameRule.DNS_LABEL);
    assertThat(KindValidation.nameRule("rbac.authorization.k8s.io", "ClusterRole")).isSameAs(NameRule.PATH_SEGMENT);
    assertThat(KindValidation.nameRule("", "ConfigMap")).isSameAs(NameRule.DNS_SUBDOMAIN);
  }
}
