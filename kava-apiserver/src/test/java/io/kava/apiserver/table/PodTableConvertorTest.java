package io.kava.apiserver.table;

import static io.kava.apiserver.table.TableTestSupport.cells;
import static io.kava.apiserver.table.TableTestSupport.columnNames;
import static io.kava.apiserver.table.TableTestSupport.wideColumnNames;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodTableConvertorTest {
  /** Name, Ready, Status, Restarts, Age of a pod with the given spec and status JSON. */
  private static List<Object> row(String metaExtra, String spec, String status) {
    String pod = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"p","namespace":"default","creationTimestamp":"2024-06-01T11:55:00Z"%s},
         "spec":%s,
         "status":%s}
        """.formatted(metaExtra, spec, status);
    return cells("", "Pod", pod).subList(0, 5);
  }

  private static List<Object> row(String spec, String status) {
    return row("", spec, status);
  }

  private static final String ONE = """
      {"containers":[{"name":"app","image":"nginx"}]}""";
  private static final String TWO = """
      {"containers":[{"name":"a","image":"a"},{"name":"b","image":"b"}]}""";

  @Test
  void columns() {
    assertThat(columnNames("", "Pod")).containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
        "Nominated Node", "Readiness Gates");
    assertThat(wideColumnNames("", "Pod")).containsExactly("IP", "Node", "Nominated Node", "Readiness Gates");
    List<TableColumn> cols = TableConvertors.forKind("", "Pod").columns();
    assertThat(cols.get(0).format()).isEqualTo("name");
    assertThat(cols.get(3).type()).isEqualTo("string");
    assertThat(cols.get(5).description()).startsWith("podIP address allocated to the pod.");
  }

  @Test
  void pendingWithoutStatuses() {
    assertThat(row(ONE, """
        {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable"}]}"""))
        .containsExactly("p", "0/1", "Pending", "0", "5m");
  }

  @Test
  void containerCreating() {
    assertThat(row(ONE, """
        {"phase":"Pending","containerStatuses":[
          {"name":"app","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}"""))
        .containsExactly("p", "0/1", "ContainerCreating", "0", "5m");
  }

  @Test
  void running() {
    assertThat(row(TWO, """
        {"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[
          {"name":"a","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2024-06-01T11:56:00Z"}}},
          {"name":"b","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2024-06-01T11:56:00Z"}}}]}"""))
        .containsExactly("p", "2/2", "Running", "0", "5m");
  }

  @Test
  void crashLoopBackOffWithLastRestart() {
    assertThat(row(ONE, """
        {"phase":"Running","containerStatuses":[
          {"name":"app","ready":false,"restartCount":5,
           "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 2m40s"}},
           "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2024-06-01T11:58:00Z"}}}]}"""))
        .containsExactly("p", "0/1", "CrashLoopBackOff", "5 (2m ago)", "5m");
  }

  @Test
  void errImagePull() {
    assertThat(row(ONE, """
        {"phase":"Pending","containerStatuses":[
          {"name":"app","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ErrImagePull"}}}]}"""))
        .containsExactly("p", "0/1", "ErrImagePull", "0", "5m");
  }

  @Test
  void completed() {
    assertThat(row(ONE, """
        {"phase":"Succeeded","containerStatuses":[
          {"name":"app","ready":false,"restartCount":0,
           "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}"""))
        .containsExactly("p", "0/1", "Completed", "0", "5m");
  }

  @Test
  void error() {
    assertThat(row(ONE, """
        {"phase":"Failed","containerStatuses":[
          {"name":"app","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}"""))
        .containsExactly("p", "0/1", "Error", "0", "5m");
  }

  @Test
  void oomKilled() {
    assertThat(row(ONE, """
        {"phase":"Running","containerStatuses":[
          {"name":"app","ready":false,"restartCount":1,
           "state":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2024-06-01T11:59:50Z"}},
           "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2024-06-01T11:59:00Z"}}}]}"""))
        .containsExactly("p", "0/1", "OOMKilled", "1 (60s ago)", "5m");
  }

  @Test
  void terminatedWithoutReasonShowsSignalOrExitCode() {
    assertThat(row(ONE, """
        {"phase":"Running","containerStatuses":[
          {"name":"app","state":{"terminated":{"exitCode":137,"signal":9}}}]}""").get(2))
        .isEqualTo("Signal:9");
    assertThat(row(ONE, """
        {"phase":"Running","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":3}}}]}""").get(2))
        .isEqualTo("ExitCode:3");
  }

  @Test
  void initContainerRunning() {
    assertThat(row("""
        {"initContainers":[{"name":"init","image":"busybox"}],"containers":[{"name":"app","image":"nginx"}]}""", """
        {"phase":"Pending",
         "initContainerStatuses":[{"name":"init","ready":false,"restartCount":0,"state":{"running":{}}}],
         "containerStatuses":[{"name":"app","ready":false,"restartCount":0,
                               "state":{"waiting":{"reason":"PodInitializing"}}}]}"""))
        .containsExactly("p", "0/1", "Init:0/1", "0", "5m");
  }

  @Test
  void initContainersProgress() {
    // the first init container completed, the second one runs
    assertThat(row("""
        {"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"app"}]}""", """
        {"phase":"Pending","initContainerStatuses":[
          {"name":"i1","state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
          {"name":"i2","restartCount":3,"state":{"running":{}},
           "lastState":{"terminated":{"exitCode":1,"finishedAt":"2024-06-01T11:59:50Z"}}}],
         "containerStatuses":[{"name":"app","state":{"waiting":{}}}]}"""))
        .containsExactly("p", "0/1", "Init:1/2", "3 (10s ago)", "5m");
  }

  @Test
  void initContainerFailures() {
    String spec = """
        {"initContainers":[{"name":"init"}],"containers":[{"name":"app"}]}""";
    assertThat(row(spec, """
        {"phase":"Pending","initContainerStatuses":[
          {"name":"init","restartCount":2,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}""").get(2))
        .isEqualTo("Init:CrashLoopBackOff");
    assertThat(row(spec, """
        {"phase":"Pending","initContainerStatuses":[
          {"name":"init","state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}""").get(2))
        .isEqualTo("Init:Error");
    assertThat(row(spec, """
        {"phase":"Pending","initContainerStatuses":[{"name":"init","state":{"terminated":{"exitCode":2}}}]}""")
        .get(2)).isEqualTo("Init:ExitCode:2");
    assertThat(row(spec, """
        {"phase":"Pending","initContainerStatuses":[
          {"name":"init","state":{"terminated":{"exitCode":137,"signal":9}}}]}""").get(2))
        .isEqualTo("Init:Signal:9");
  }

  @Test
  void podInitializingAfterInitContainers() {
    assertThat(row("""
        {"initContainers":[{"name":"init"}],"containers":[{"name":"app"}]}""", """
        {"phase":"Pending","conditions":[{"type":"Initialized","status":"True"}],
         "initContainerStatuses":[{"name":"init","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}],
         "containerStatuses":[{"name":"app","state":{"waiting":{"reason":"PodInitializing"}}}]}"""))
        .containsExactly("p", "0/1", "PodInitializing", "0", "5m");
  }

  @Test
  void completedInitContainerRestartsAreNotCounted() {
    assertThat(row("""
        {"initContainers":[{"name":"init"}],"containers":[{"name":"app"}]}""", """
        {"phase":"Running",
         "initContainerStatuses":[{"name":"init","restartCount":2,"state":{"terminated":{"exitCode":0}},
           "lastState":{"terminated":{"finishedAt":"2024-06-01T11:58:00Z"}}}],
         "containerStatuses":[{"name":"app","restartCount":4,"state":{"running":{}},
           "lastState":{"terminated":{"finishedAt":"2024-06-01T11:59:40Z"}}}]}"""))
        .containsExactly("p", "0/1", "Running", "4 (20s ago)", "5m");
  }

  @Test
  void sidecarsCountAsContainers() {
    assertThat(row("""
        {"initContainers":[{"name":"sidecar","restartPolicy":"Always"}],"containers":[{"name":"app"}]}""", """
        {"phase":"Running","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
         "initContainerStatuses":[{"name":"sidecar","ready":true,"started":true,"restartCount":1,
           "state":{"running":{}},"lastState":{"terminated":{"finishedAt":"2024-06-01T11:57:00Z"}}}],
         "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]}"""))
        .containsExactly("p", "2/2", "Running", "1 (3m ago)", "5m");
  }

  @Test
  void oneContainerCompletedOneRunning() {
    String status = """
        {"phase":"Running",%s"containerStatuses":[
          {"name":"a","ready":true,"restartCount":3,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
          {"name":"b","ready":true,"restartCount":3,"state":{"running":{}}}]}""";
    assertThat(row(TWO, status.formatted("")).get(2)).isEqualTo("NotReady");
    assertThat(row(TWO, status.formatted("\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],")))
        .containsExactly("p", "1/2", "Running", "6", "5m");
  }

  @Test
  void terminating() {
    String deleting = ",\"deletionTimestamp\":\"2024-06-01T11:59:50Z\"";
    assertThat(row(deleting, ONE, """
        {"phase":"Running","containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}]}"""))
        .containsExactly("p", "1/1", "Terminating", "0", "5m");
    assertThat(row(deleting, ONE, "{\"phase\":\"Pending\"}").get(2)).isEqualTo("Terminating");
    // a finished pod keeps its final status while being deleted
    assertThat(row(deleting, ONE, """
        {"phase":"Succeeded","containerStatuses":[
          {"name":"app","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""").get(2))
        .isEqualTo("Completed");
    // pods on a lost node show Unknown
    assertThat(row(deleting, ONE, "{\"phase\":\"Running\",\"reason\":\"NodeLost\"}").get(2)).isEqualTo("Unknown");
  }

  @Test
  void statusReasonAndSchedulingGates() {
    assertThat(row(ONE, "{\"phase\":\"Failed\",\"reason\":\"Evicted\"}").get(2)).isEqualTo("Evicted");
    assertThat(row(ONE, """
        {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}""")
        .get(2)).isEqualTo("SchedulingGated");
  }

  @Test
  void wideCells() {
    List<Object> cells = cells("", "Pod", """
        {"metadata":{"name":"web","creationTimestamp":"2024-05-30T09:00:00Z"},
         "spec":{"nodeName":"node-1","containers":[{"name":"app"}],
                 "readinessGates":[{"conditionType":"example.com/ready"},{"conditionType":"example.com/lb"}]},
         "status":{"phase":"Running","podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"},{"ip":"fd00::5"}],
                   "nominatedNodeName":"node-2",
                   "conditions":[{"type":"example.com/ready","status":"True"},
                                 {"type":"example.com/lb","status":"False"}],
                   "containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}]}}""");
    assertThat(cells).containsExactly("web", "1/1", "Running", "0", "2d3h", "10.244.0.5", "node-1", "node-2", "1/2");

    List<Object> bare = cells("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending"}}""");
    assertThat(bare).containsExactly("p", "0/1", "Pending", "0", "<unknown>", "<none>", "<none>", "<none>",
        "<none>");
  }
}
