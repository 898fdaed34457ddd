package io.kava.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.openapi.FieldValidation.Directive;
import io.kava.apiserver.openapi.FieldValidation.Report;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldValidationTest {
  private static final FieldValidation V = Fixture.ENDPOINTS.fieldValidation();

  private static Report json(String apiVersion, String kind, String body) {
    return V.check(apiVersion, kind, body.replace('\'', '"').getBytes(StandardCharsets.UTF_8), false);
  }

  private static Report yaml(String apiVersion, String kind, String body) {
    return V.check(apiVersion, kind, body.getBytes(StandardCharsets.UTF_8), true);
  }

  @Test
  void aValidPodIsClean() {
    Report r = json("v1", "Pod", "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'b'},"
        + "'annotations':{'x':'y'}},'spec':{'containers':[{'name':'c','image':'busybox','ports':[{'containerPort':80}],"
        + "'resources':{'limits':{'cpu':'1'}},'env':[{'name':'A','value':'1'}]}],'restartPolicy':'Never'},'status':{}}");
    assertThat(r.clean()).isTrue();
    assertThat(r.strictError()).isNull();
  }

  @Test
  void unknownFieldsAreReportedWithTheirPath() {
    Report r = json("v1", "Pod", "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','unknownMeta':1},"
        + "'spec':{'foo':{'bar':1},'containers':[{'name':'c','image':'i'},{'name':'d','image':'i','imagePullPolicyz':'x'}]}}");
    assertThat(r.warnings()).containsExactly("unknown field \"metadata.unknownMeta\"", "unknown field \"spec.foo\"",
        "unknown field \"spec.containers[1].imagePullPolicyz\"");
    assertThat(r.strictError()).isEqualTo("strict decoding error: unknown field \"metadata.unknownMeta\", "
        + "unknown field \"spec.foo\", unknown field \"spec.containers[1].imagePullPolicyz\"");
    assertThat(r.badRequestMessage("v1", "Pod")).isEqualTo("Pod in version \"v1\" cannot be handled as a Pod: "
        + r.strictError());
  }

  @Test
  void duplicateFieldsAreReportedInDocumentOrder() {
    Report r = json("apps/v1", "Deployment", "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'a','name':'b',"
        + "'labels':{'x':'1','x':'2'}},'spec':{'unknown1':'v','unknownDupe':'a','unknownDupe':'b','paused':true,'paused':false,"
        + "'selector':{'matchLabels':{'app':'x'}},'template':{'metadata':{'labels':{'app':'x'}},'spec':{'containers':[{"
        + "'name':'c','image':'i','unknownNested':1,'imagePullPolicy':'Always','imagePullPolicy':'Never'}]}}}}");
    assertThat(r.warnings()).containsExactly(
        "duplicate field \"metadata.name\"",
        "duplicate field \"metadata.labels.x\"",
        "unknown field \"spec.unknown1\"",
        "unknown field \"spec.unknownDupe\"",
        "duplicate field \"spec.paused\"",
        "unknown field \"spec.template.spec.containers[0].unknownNested\"",
        "duplicate field \"spec.template.spec.containers[0].imagePullPolicy\"");
  }

  @Test
  void yamlDuplicatesCarryTheirLineAndUnknownFieldsComeSorted() {
    String body = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
          unknownMeta: x
        spec:
          unknown1: val1
          unknownDupe: a
          unknownDupe: b
          paused: true
          paused: false
          selector:
            matchLabels:
              app: x
          template:
            metadata:
              labels:
                app: x
            spec:
              containers:
              - name: c
                image: i
                unknownNested: v
                imagePullPolicy: Always
                imagePullPolicy: Never
        """;
    Report r = yaml("apps/v1", "Deployment", body);
    assertThat(r.warnings()).containsExactly(
        "line 9: key \"unknownDupe\" already set in map",
        "line 11: key \"paused\" already set in map",
        "line 25: key \"imagePullPolicy\" already set in map",
        "unknown field \"metadata.unknownMeta\"",
        "unknown field \"spec.template.spec.containers[0].unknownNested\"",
        "unknown field \"spec.unknown1\"",
        "unknown field \"spec.unknownDupe\"");
    assertThat(r.strictError()).isEqualTo("strict decoding error: yaml: unmarshal errors:\n"
        + "  line 9: key \"unknownDupe\" already set in map\n"
        + "  line 11: key \"paused\" already set in map\n"
        + "  line 25: key \"imagePullPolicy\" already set in map, "
        + "unknown field \"metadata.unknownMeta\", unknown field \"spec.template.spec.containers[0].unknownNested\", "
        + "unknown field \"spec.unknown1\", unknown field \"spec.unknownDupe\"");
  }

  @Test
  void embeddedObjectsAndFieldSetsAreNotChecked() {
    // ControllerRevision.data is a RawExtension; managedFields[].fieldsV1 a FieldsV1
    Report r = json("apps/v1", "ControllerRevision", "{'apiVersion':'apps/v1','kind':'ControllerRevision','metadata':{'name':'r',"
        + "'managedFields':[{'manager':'m','fieldsV1':{'f:spec':{'.':{}}}}]},'revision':1,'data':{'anything':{'goes':1},'anything':2}}");
    assertThat(r.clean()).isTrue();
  }

  @Test
  void intOrStringAndQuantityValuesAreScalars() {
    Report r = json("v1", "Service", "{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':{'ports':[{'port':80,"
        + "'targetPort':'http'}],'selector':{'app':'x'}}}");
    assertThat(r.clean()).isTrue();
  }

  @Test
  void treesOfPatchedObjectsAreCheckedForUnknownFields() {
    var tree = io.kava.api.json.Json.MAPPER.readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"},\"extra\":1}"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(V.check("v1", "ConfigMap", tree).warnings()).containsExactly("unknown field \"extra\"");
  }

  @Test
  void patchBodiesAreCheckedForRepeatedFields() {
    assertThat(V.duplicateFields("{'spec':{'replicas':1,'replicas':2,'template':{'spec':{'containers':[{'name':'a','name':'b'}]}}}}"
        .replace('\'', '"').getBytes(StandardCharsets.UTF_8)))
        .containsExactly("duplicate field \"spec.replicas\"", "duplicate field \"spec.template.spec.containers[0].name\"");
  }

  @Test
  void kindsThatAreNotServedAreNotChecked() {
    assertThat(json("example.com/v1", "Nothing", "{'a':1,'a':2}").clean()).isTrue();
  }

  @Test
  void malformedBodiesAreLeftToTheDecoder() {
    assertThat(json("v1", "Pod", "{'apiVersion':").clean()).isTrue();
    assertThat(yaml("v1", "Pod", "a: [").clean()).isTrue();
  }

  @Test
  void directives() {
    assertThat(Directive.parse(null)).isEqualTo(Directive.WARN);
    assertThat(Directive.parse("")).isEqualTo(Directive.WARN);
    assertThat(Directive.parse("Strict")).isEqualTo(Directive.STRICT);
    assertThat(Directive.parse("Ignore")).isEqualTo(Directive.IGNORE);
    assertThat(Directive.parse("strict")).isNull();
  }
  @Test
  void normalizeDropsWhatGoDecodingDrops() {
    tools.jackson.databind.JsonNode pod = io.kava.api.json.Json.MAPPER.readTree(("{'apiVersion':'v1','kind':'Pod','extra':'x',"
        + "'metadata':{'name':'p','labels':{},'annotations':{'a':''},'finalizers':[],'bogus':1},"
        + "'spec':{'nodeName':null,'tolerations':[],'volumes':[{'name':'v','emptyDir':{}}],"
        + "'containers':[{'name':'c','image':'i','env':[],'args':['a'],'unknownField':3,'securityContext':{}}]},'status':{}}")
        .replace('\'', '"'));
    V.normalize("v1", "Pod", pod);
    assertThat(io.kava.api.json.Json.MAPPER.writeValueAsString(pod)).isEqualTo(("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p',"
        + "'annotations':{'a':''}},'spec':{'volumes':[{'name':'v','emptyDir':{}}],"
        + "'containers':[{'name':'c','image':'i','args':['a'],'securityContext':{}}]},'status':{}}").replace('\'', '"'));
  }

  @Test
  void normalizeLeavesKindsWithoutAModelAlone() {
    tools.jackson.databind.JsonNode o = io.kava.api.json.Json.MAPPER.readTree("{\"a\":[],\"b\":{}}");
    V.normalize("example.com/v1", "Nothing", o);
    assertThat(io.kava.api.json.Json.MAPPER.writeValueAsString(o)).isEqualTo("{\"a\":[],\"b\":{}}");
  }
}
