package io.kava.apiserver.registry.validation;

import static io.kava.apiserver.registry.validation.V.create;
import static io.kava.apiserver.registry.validation.V.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadValidationTest {
  private static String deployment(String selector, String labels, String extraSpec, String restart) {
    return """
        {"metadata":{"name":"web"},"spec":{%s"selector":%s,"template":{"metadata":{"labels":%s},
          "spec":{%s"containers":[{"name":"nginx","image":"nginx"}]}}}}""".formatted(extraSpec, selector, labels,
        restart == null ? "" : "\"restartPolicy\":\"" + restart + "\",");
  }

  @Test
  void kubectlCreateDeploymentIsValid() {
    assertThat(create("apps", "Deployment", deployment("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\"}", "", null))).isEmpty();
  }

  @Test
  void selectorMustMatchTemplateLabels() {
    assertThat(create("apps", "Deployment", deployment("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"api\"}", "", null)))
        .containsExactly("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`");
    assertThat(create("apps", "Deployment", """
        {"metadata":{"name":"web"},"spec":{"template":{"metadata":{"labels":{"app":"web"}},
          "spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}""")).containsExactly(
        "spec.selector: Required value",
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
    assertThat(create("apps", "Deployment", deployment("{}", "{\"app\":\"web\"}", "", null))).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
            + "empty selector is invalid for deployment");
  }

  @Test
  void replicasStrategyAndRestartPolicy() {
    assertThat(create("apps", "Deployment", deployment("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\"}",
        "\"replicas\":-1,\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":\"0%\"}},", "OnFailure"))).containsExactly(
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when `maxSurge` is 0");
    assertThat(create("apps", "Deployment", deployment("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\"}",
        "\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":{}},", null))).containsExactly(
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
  }

  @Test
  void selectorIsImmutable() {
    String old = deployment("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\",\"v\":\"2\"}", "", null);
    String now = deployment("{\"matchLabels\":{\"app\":\"web\",\"v\":\"2\"}}", "{\"app\":\"web\",\"v\":\"2\"}", "", null);
    assertThat(update("apps", "Deployment", now, old)).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"v\":\"2\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
    assertThat(update("apps", "ReplicaSet", now, old)).hasSize(1);
    assertThat(update("apps", "Deployment", old.replace("\"nginx\"}", "\"nginx:2\"}"), old)).isEmpty();
  }

  @Test
  void statefulSet() {
    String sts = """
        {"metadata":{"name":"web"},"spec":{"serviceName":"web","selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}""";
    assertThat(create("apps", "StatefulSet", sts)).isEmpty();
    assertThat(create("apps", "StatefulSet", sts.replace("\"serviceName\":\"web\",", "\"podManagementPolicy\":\"Fast\",")))
        .containsExactly("spec.podManagementPolicy: Invalid value: \"Fast\": must be 'OrderedReady' or 'Parallel'");
    assertThat(update("apps", "StatefulSet", sts.replace("\"serviceName\":\"web\"", "\"serviceName\":\"other\""), sts)).containsExactly(
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
            + "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    assertThat(update("apps", "StatefulSet", sts.replace("\"serviceName\"", "\"replicas\":3,\"serviceName\""), sts)).isEmpty();
  }

  @Test
  void daemonSet() {
    String ds = """
        {"metadata":{"name":"agent"},"spec":{"selector":{"matchLabels":{"app":"agent"}},
          "updateStrategy":{"rollingUpdate":{"maxUnavailable":1,"maxSurge":1}},
          "template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"a","image":"agent"}]}}}}""";
    assertThat(create("apps", "DaemonSet", ds)).containsExactly(
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: "
            + "may not be set when maxUnavailable is non-zero");
  }

  @Test
  void replicationController() {
    assertThat(create("", "ReplicationController", """
        {"metadata":{"name":"rc"},"spec":{"selector":{"app":"a"},"template":{"metadata":{"labels":{"app":"b"}},
          "spec":{"containers":[{"name":"c","image":"x"}]}}}}""")).containsExactly(
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`");
  }

  // ---- Job and CronJob ---------------------------------------------------------------------------------------------

  private static final String UID = "0b9b6e1e-3a55-4f0e-b1d2-1c3b1f6d2a10";

  private static String job(String restart) {
    return """
        {"metadata":{"name":"pi","uid":"%s"},"spec":{"template":{"spec":{%s"containers":[{"name":"pi","image":"perl"}]}}}}"""
        .formatted(UID, restart == null ? "" : "\"restartPolicy\":\"" + restart + "\",");
  }

  private static List<String> createJob(String text) {
    var j = V.defaulted("batch", "Job", text);
    io.kava.apiserver.registry.defaults.KindHooks.prepareForCreate("batch", "Job").apply(null, j, null);
    return V.messages(KindValidation.forKind("batch", "Job").validate(j));
  }

  @Test
  void jobRestartPolicy() {
    assertThat(createJob(job("Never"))).isEmpty();
    assertThat(createJob(job(null))).containsExactly("spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
    assertThat(createJob(job("Sometimes"))).containsExactly(
        "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
        "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\"");
  }

  @Test
  void jobTemplateIsImmutable() {
    var old = V.defaulted("batch", "Job", job("Never"));
    io.kava.apiserver.registry.defaults.KindHooks.prepareForCreate("batch", "Job").apply(null, old, null);
    var now = old.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) now.at("/spec/template/spec/containers/0")).put("image", "perl:5");
    List<String> msgs = V.messages(KindValidation.forKind("batch", "Job").validateUpdate(now, old));
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0)).startsWith("spec.template: Invalid value: ").endsWith(": field is immutable");
    var scaled = old.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) scaled.get("spec")).put("parallelism", 3);
    assertThat(V.messages(KindValidation.forKind("batch", "Job").validateUpdate(scaled, old))).isEmpty();
  }

  @Test
  void jobSelectorMustBeGenerated() {
    var j = V.defaulted("batch", "Job", job("Never"));
    io.kava.apiserver.registry.defaults.KindHooks.prepareForCreate("batch", "Job").apply(null, j, null);
    ((tools.jackson.databind.node.ObjectNode) j.at("/spec/template/metadata/labels")).put("job-name", "other");
    assertThat(V.messages(KindValidation.forKind("batch", "Job").validate(j))).containsExactly(
        "spec.template.metadata.labels[job-name]: Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"" + UID
            + "\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"" + UID + "\", \"job-name\":\"other\"}: must be 'pi'");
    ((tools.jackson.databind.node.ObjectNode) j.at("/spec/template/metadata/labels")).put("job-name", "pi");
    ((tools.jackson.databind.node.ObjectNode) j.at("/spec/selector/matchLabels")).put("batch.kubernetes.io/controller-uid", "x")
        .put("team", "a");
    ((tools.jackson.databind.node.ObjectNode) j.at("/spec/template/metadata/labels")).put("team", "a");
    assertThat(V.messages(KindValidation.forKind("batch", "Job").validate(j))).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"x\", "
            + "\"team\":\"a\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated",
        "spec.template.metadata.labels: Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"" + UID
            + "\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"" + UID + "\", \"job-name\":\"pi\", \"team\":\"a\"}: "
            + "`selector` does not match template `labels`");
  }

  private static String cronJob(String schedule, String extra) {
    return """
        {"metadata":{"name":"hello"},"spec":{"schedule":"%s",%s"jobTemplate":{"spec":{"template":{"spec":{
          "restartPolicy":"OnFailure","containers":[{"name":"hello","image":"busybox"}]}}}}}}""".formatted(schedule, extra);
  }

  @Test
  void cronJobSchedules() {
    for (String ok : List.of("*/5 * * * *", "@hourly", "@every 1h30m", "0 0 1 jan-mar mon-fri", "15,45 8-17/2 * * ?")) {
      assertThat(create("batch", "CronJob", cronJob(ok, ""))).as(ok).isEmpty();
    }
    assertThat(create("batch", "CronJob", cronJob("x", ""))).containsExactly(
        "spec.schedule: Invalid value: \"x\": expected exactly 5 fields, found 1: [x]");
    assertThat(create("batch", "CronJob", cronJob("60 * * * *", ""))).containsExactly(
        "spec.schedule: Invalid value: \"60 * * * *\": end of range (60) above maximum (59): 60");
    assertThat(create("batch", "CronJob", cronJob("* * * * 7", ""))).containsExactly(
        "spec.schedule: Invalid value: \"* * * * 7\": end of range (7) above maximum (6): 7");
    assertThat(create("batch", "CronJob", cronJob("a * * * *", ""))).containsExactly(
        "spec.schedule: Invalid value: \"a * * * *\": failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax");
    assertThat(create("batch", "CronJob", cronJob("@weekdays", ""))).containsExactly(
        "spec.schedule: Invalid value: \"@weekdays\": unrecognized descriptor: @weekdays");
    assertThat(create("batch", "CronJob", cronJob("TZ=UTC * * * * *", ""))).containsExactly(
        "spec.schedule: Invalid value: \"TZ=UTC * * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
  }

  @Test
  void cronJobTimeZonePolicyAndName() {
    assertThat(create("batch", "CronJob", cronJob("@daily", "\"timeZone\":\"Europe/Paris\","))).isEmpty();
    assertThat(create("batch", "CronJob", cronJob("@daily", "\"timeZone\":\"Mars/Olympus\","))).containsExactly(
        "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus");
    assertThat(create("batch", "CronJob", cronJob("@daily", "\"concurrencyPolicy\":\"Sometimes\","))).containsExactly(
        "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"");
    String longName = "a".repeat(53);
    assertThat(create("batch", "CronJob", cronJob("@daily", "").replace("\"hello\"}", "\"" + longName + "\"}")))
        .containsExactly("metadata.name: Invalid value: \"" + longName + "\": must be no more than 52 characters");
    assertThat(create("batch", "CronJob", cronJob("@daily", "").replace("\"OnFailure\"", "\"Always\""))).containsExactly(
        "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
  }
}
