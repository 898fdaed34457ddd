package io.kava.apiserver.table;

import static io.kava.apiserver.table.TableTestSupport.cells;
import static io.kava.apiserver.table.TableTestSupport.columnNames;
import static io.kava.apiserver.table.TableTestSupport.wideColumnNames;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** apps and batch kinds. */
class WorkloadTableConvertorsTest {
  private static final String TEMPLATE = """
      "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
        {"name":"web","image":"nginx:1.27"},{"name":"sidecar","image":"envoy:v1"}]}}""";

  @Test
  void deploymentWide() {
    assertThat(columnNames("apps", "Deployment")).containsExactly("Name", "Ready", "Up-to-date", "Available",
        "Age", "Containers", "Images", "Selector");
    assertThat(wideColumnNames("apps", "Deployment")).containsExactly("Containers", "Images", "Selector");
    assertThat(cells("apps", "Deployment", """
        {"metadata":{"name":"web","creationTimestamp":"2024-06-01T09:00:00Z"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","tier":"front"},
           "matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},
                               {"key":"canary","operator":"DoesNotExist"}]},%s},
         "status":{"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}"""
        .formatted(TEMPLATE)))
        .containsExactly("web", "2/3", 3L, 2L, "3h", "web,sidecar", "nginx:1.27,envoy:v1",
            "app=web,!canary,env in (dev,prod),tier=front");
  }

  @Test
  void deploymentDefaultsAndEmptySelector() {
    assertThat(cells("apps", "Deployment", """
        {"metadata":{"name":"d"},"spec":{"selector":{}}}"""))
        .containsExactly("d", "0/1", 0L, 0L, "<unknown>", "", "", "");
    assertThat(cells("apps", "Deployment", """
        {"metadata":{"name":"d"},"spec":{"replicas":0,"selector":{"matchExpressions":[
          {"key":"a","operator":"Bogus"}]}}}""").subList(1, 2)).containsExactly("0/0");
    assertThat(cells("apps", "Deployment", """
        {"metadata":{"name":"d"},"spec":{"selector":{"matchExpressions":[{"key":"a","operator":"Bogus"}]}}}""")
        .get(7)).isEqualTo("<invalid>");
  }

  @Test
  void replicaSet() {
    assertThat(columnNames("apps", "ReplicaSet")).containsExactly("Name", "Desired", "Current", "Ready", "Age",
        "Containers", "Images", "Selector");
    assertThat(cells("apps", "ReplicaSet", """
        {"metadata":{"name":"web-5d4f","creationTimestamp":"2024-06-01T11:55:00Z"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web","pod-template-hash":"5d4f"}},%s},
         "status":{"replicas":2,"readyReplicas":1}}""".formatted(TEMPLATE)))
        .containsExactly("web-5d4f", 2L, 2L, 1L, "5m", "web,sidecar", "nginx:1.27,envoy:v1",
            "app=web,pod-template-hash=5d4f");
    assertThat(cells("apps", "ReplicaSet", "{\"metadata\":{\"name\":\"rs\"},\"spec\":{\"replicas\":0}}"))
        .containsExactly("rs", 0L, 0L, 0L, "<unknown>", "", "", "<none>");
  }

  @Test
  void statefulSet() {
    assertThat(columnNames("apps", "StatefulSet")).containsExactly("Name", "Ready", "Age", "Containers", "Images");
    assertThat(cells("apps", "StatefulSet", """
        {"metadata":{"name":"db","creationTimestamp":"2024-05-20T12:00:00Z"},
         "spec":{"replicas":3,"serviceName":"db",%s},"status":{"replicas":3,"readyReplicas":3}}"""
        .formatted(TEMPLATE)))
        .containsExactly("db", "3/3", "12d", "web,sidecar", "nginx:1.27,envoy:v1");
  }

  @Test
  void daemonSet() {
    assertThat(columnNames("apps", "DaemonSet")).containsExactly("Name", "Desired", "Current", "Ready",
        "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector");
    assertThat(cells("apps", "DaemonSet", """
        {"metadata":{"name":"proxy","creationTimestamp":"2024-06-01T11:55:00Z"},
         "spec":{"selector":{"matchLabels":{"k8s-app":"proxy"}},
           "template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"},
             "containers":[{"name":"proxy","image":"proxy:1"}]}}},
         "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,
                   "updatedNumberScheduled":3,"numberAvailable":2}}"""))
        .containsExactly("proxy", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "5m", "proxy", "proxy:1",
            "k8s-app=proxy");
  }

  @Test
  void controllerRevision() {
    assertThat(columnNames("apps", "ControllerRevision")).containsExactly("Name", "Controller", "Revision", "Age");
    assertThat(cells("apps", "ControllerRevision", """
        {"metadata":{"name":"proxy-7b9","creationTimestamp":"2024-06-01T11:55:00Z",
           "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"other"},
             {"apiVersion":"apps/v1","kind":"DaemonSet","name":"proxy","controller":true}]},
         "revision":2}"""))
        .containsExactly("proxy-7b9", "daemonset.apps/proxy", 2L, "5m");
    assertThat(cells("apps", "ControllerRevision", """
        {"metadata":{"name":"r","ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"p","controller":true}]},
         "revision":1}""").get(1)).isEqualTo("pod/p");
    assertThat(cells("apps", "ControllerRevision", "{\"metadata\":{\"name\":\"r\"},\"revision\":1}").get(1))
        .isEqualTo("<none>");
  }

  @Test
  void job() {
    assertThat(columnNames("batch", "Job")).containsExactly("Name", "Status", "Completions", "Duration", "Age",
        "Containers", "Images", "Selector");
    assertThat(cells("batch", "Job", """
        {"metadata":{"name":"pi","creationTimestamp":"2024-06-01T11:50:00Z"},
         "spec":{"completions":1,"parallelism":1,
           "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"abc"}},
           "template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}},
         "status":{"succeeded":1,"startTime":"2024-06-01T11:50:00Z","completionTime":"2024-06-01T11:50:45Z",
           "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}"""))
        .containsExactly("pi", "Complete", "1/1", "45s", "10m", "pi", "perl",
            "batch.kubernetes.io/controller-uid=abc");
  }

  @Test
  void jobStatuses() {
    assertThat(cells("batch", "Job", """
        {"metadata":{"name":"j"},"spec":{"parallelism":3},
         "status":{"succeeded":1,"startTime":"2024-06-01T11:57:00Z"}}""").subList(1, 4))
        .containsExactly("Running", "1/1 of 3", "3m");
    assertThat(cells("batch", "Job", """
        {"metadata":{"name":"j"},"spec":{"completions":5},
         "status":{"conditions":[{"type":"Failed","status":"True"}]}}""").subList(1, 4))
        .containsExactly("Failed", "0/5", "");
    assertThat(cells("batch", "Job", """
        {"metadata":{"name":"j"},"spec":{"suspend":true},
         "status":{"conditions":[{"type":"Suspended","status":"True"}]}}""").subList(1, 3))
        .containsExactly("Suspended", "0/1");
    assertThat(cells("batch", "Job", """
        {"metadata":{"name":"j","deletionTimestamp":"2024-06-01T11:59:00Z"},
         "status":{"conditions":[{"type":"Suspended","status":"True"}]}}""").get(1)).isEqualTo("Terminating");
    assertThat(cells("batch", "Job", """
        {"metadata":{"name":"j"},"status":{"conditions":[{"type":"FailureTarget","status":"True"}]}}""")
        .get(1)).isEqualTo("FailureTarget");
  }

  @Test
  void cronJob() {
    assertThat(columnNames("batch", "CronJob")).containsExactly("Name", "Schedule", "Timezone", "Suspend",
        "Active", "Last Schedule", "Age", "Containers", "Images", "Selector");
    assertThat(cells("batch", "CronJob", """
        {"metadata":{"name":"hello","creationTimestamp":"2024-06-01T09:00:00Z"},
         "spec":{"schedule":"*/5 * * * *","timeZone":"Etc/UTC","suspend":false,
           "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"hello","image":"busybox"}]}}}}},
         "status":{"active":[{"name":"hello-1"}],"lastScheduleTime":"2024-06-01T11:55:00Z"}}"""))
        .containsExactly("hello", "*/5 * * * *", "Etc/UTC", "False", 1L, "5m", "3h", "hello", "busybox",
            "<none>");
    assertThat(cells("batch", "CronJob", """
        {"metadata":{"name":"c"},"spec":{"schedule":"@daily"}}""").subList(1, 6))
        .containsExactly("@daily", "<none>", "False", 0L, "<none>");
  }
}
