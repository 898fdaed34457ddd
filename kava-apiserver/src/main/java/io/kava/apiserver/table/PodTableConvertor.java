package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import static io.kava.apiserver.table.Nodes.arr;
import static io.kava.apiserver.table.Nodes.at;
import static io.kava.apiserver.table.Nodes.bool;
import static io.kava.apiserver.table.Nodes.lng;
import static io.kava.apiserver.table.Nodes.str;
import static io.kava.apiserver.table.Nodes.time;
import static io.kava.apiserver.table.RowConvertor.age;
import static io.kava.apiserver.table.RowConvertor.name;
import static io.kava.apiserver.table.RowConvertor.row;
import static io.kava.apiserver.table.RowConvertor.str;
import static io.kava.apiserver.table.RowConvertor.wideStr;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. STATUS is the aggregate
 * status kubectl shows (phase or reason, init progress "Init:0/1", container waiting/terminated reasons such as
 * CrashLoopBackOff or Completed, Terminating while being deleted), computed as upstream's printPod does.
 */
final class PodTableConvertor implements TableConvertor {
  static final PodTableConvertor INSTANCE = new PodTableConvertor();

  private static final List<TableColumn> COLUMNS = List.of(
      name(),
      str("Ready", "The aggregate readiness state of this pod for accepting traffic."),
      str("Status", "The aggregate status of the containers in this pod."),
      str("Restarts", "The number of times the containers in this pod have been restarted and when the last "
          + "container in this pod has restarted."),
      age(),
      wideStr("IP", Docs.POD_STATUS_POD_IP),
      wideStr("Node", Docs.POD_SPEC_NODE_NAME),
      wideStr("Nominated Node", Docs.POD_STATUS_NOMINATED_NODE_NAME),
      wideStr("Readiness Gates", Docs.POD_SPEC_READINESS_GATES));

  /** The reason the node controller gives pods on an unreachable node. */
  private static final String NODE_UNREACHABLE_POD_REASON = "NodeLost";

  @Override
  public List<TableColumn> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pod, Instant now) {
    JsonNode spec = at(pod, "spec");
    JsonNode status = at(pod, "status");
    long restarts = 0;
    long restartableInitContainerRestarts = 0;
    int totalContainers = Nodes.size(spec, "containers");
    int readyContainers = 0;
    Instant lastRestartDate = null;
    Instant lastRestartableInitContainerRestartDate = null;

    String podPhase = str(status, "phase");
    String reason = podPhase;
    if (!str(status, "reason").isEmpty()) {
      reason = str(status, "reason");
    }
    // A pod held back by scheduling gates shows SchedulingGated.
    for (JsonNode condition : arr(status, "conditions")) {
      if ("PodScheduled".equals(str(condition, "type")) && "SchedulingGated".equals(str(condition, "reason"))) {
        reason = "SchedulingGated";
      }
    }

    List<JsonNode> initContainerSpecs = arr(spec, "initContainers");
    Map<String, JsonNode> initContainers = new HashMap<>();
    for (JsonNode c : initContainerSpecs) {
      initContainers.put(str(c, "name"), c);
      if (isRestartableInitContainer(c)) {
        totalContainers++;
      }
    }

    boolean initializing = false;
    List<JsonNode> initStatuses = arr(status, "initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode container = initStatuses.get(i);
      restarts += lng(container, "restartCount");
      Instant terminatedDate = time(container, "lastState", "terminated", "finishedAt");
      lastRestartDate = later(lastRestartDate, terminatedDate);
      boolean restartable = isRestartableInitContainer(initContainers.get(str(container, "name")));
      if (restartable) {
        restartableInitContainerRestarts += lng(container, "restartCount");
        lastRestartableInitContainerRestartDate = later(lastRestartableInitContainerRestartDate, terminatedDate);
      }
      JsonNode terminated = at(container, "state", "terminated");
      JsonNode waiting = at(container, "state", "waiting");
      if (terminated != null && lng(terminated, "exitCode") == 0) {
        continue;
      } else if (restartable && bool(container, "started")) {
        if (bool(container, "ready")) {
          readyContainers++;
        }
        continue;
      } else if (terminated != null) {
        // initialization failed
        if (str(terminated, "reason").isEmpty()) {
          if (lng(terminated, "signal") != 0) {
            reason = "Init:Signal:" + lng(terminated, "signal");
          } else {
            reason = "Init:ExitCode:" + lng(terminated, "exitCode");
          }
        } else {
          reason = "Init:" + str(terminated, "reason");
        }
        initializing = true;
      } else if (waiting != null && !str(waiting, "reason").isEmpty()
          && !"PodInitializing".equals(str(waiting, "reason"))) {
        reason = "Init:" + str(waiting, "reason");
        initializing = true;
      } else {
        reason = "Init:" + i + "/" + initContainerSpecs.size();
        initializing = true;
      }
      break;
    }

    if (!initializing || conditionTrue(status, "Initialized")) {
      restarts = restartableInitContainerRestarts;
      lastRestartDate = lastRestartableInitContainerRestartDate;
      boolean hasRunning = false;
      List<JsonNode> statuses = arr(status, "containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode container = statuses.get(i);
        restarts += lng(container, "restartCount");
        lastRestartDate = later(lastRestartDate, time(container, "lastState", "terminated", "finishedAt"));
        JsonNode waiting = at(container, "state", "waiting");
        JsonNode terminated = at(container, "state", "terminated");
        if (waiting != null && !str(waiting, "reason").isEmpty()) {
          reason = str(waiting, "reason");
        } else if (terminated != null && !str(terminated, "reason").isEmpty()) {
          reason = str(terminated, "reason");
        } else if (terminated != null) {
          if (lng(terminated, "signal") != 0) {
            reason = "Signal:" + lng(terminated, "signal");
          } else {
            reason = "ExitCode:" + lng(terminated, "exitCode");
          }
        } else if (bool(container, "ready") && at(container, "state", "running") != null) {
          hasRunning = true;
          readyContainers++;
        }
      }
      // Back to Running if at least one container still reports running.
      if ("Completed".equals(reason) && hasRunning) {
        reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
      }
    }

    boolean deleting = Nodes.deleting(pod);
    if (deleting && NODE_UNREACHABLE_POD_REASON.equals(str(status, "reason"))) {
      reason = "Unknown";
    } else if (deleting && !"Failed".equals(podPhase) && !"Succeeded".equals(podPhase)) {
      reason = "Terminating";
    }

    String restartsText = Long.toString(restarts);
    if (restarts != 0 && lastRestartDate != null) {
      restartsText = restarts + " (" + HumanDuration.since(lastRestartDate, now) + " ago)";
    }

    List<JsonNode> podIPs = arr(status, "podIPs");
    // podIPs[0] is podIP; objects that carry only the singular field convert to the same
    String podIP = podIPs.isEmpty() ? str(status, "podIP") : str(podIPs.get(0), "ip");

    String readinessGates = "<none>";
    List<JsonNode> gates = arr(spec, "readinessGates");
    if (!gates.isEmpty()) {
      int trueConditions = 0;
      for (JsonNode gate : gates) {
        String conditionType = str(gate, "conditionType");
        for (JsonNode condition : arr(status, "conditions")) {
          if (conditionType.equals(str(condition, "type"))) {
            if ("True".equals(str(condition, "status"))) {
              trueConditions++;
            }
            break;
          }
        }
      }
      readinessGates = trueConditions + "/" + gates.size();
    }

    return row(
        Nodes.name(pod),
        readyContainers + "/" + totalContainers,
        reason,
        restartsText,
        Nodes.age(pod, now),
        Nodes.orNone(podIP),
        Nodes.orNone(str(spec, "nodeName")),
        Nodes.orNone(str(status, "nominatedNodeName")),
        readinessGates);
  }

  private static boolean isRestartableInitContainer(JsonNode initContainer) {
    return initContainer != null && "Always".equals(str(initContainer, "restartPolicy"));
  }

  /** True when the first condition of {@code type} has status True. */
  private static boolean conditionTrue(JsonNode status, String type) {
    JsonNode c = Nodes.condition(status, type, "conditions");
    return c != null && "True".equals(str(c, "status"));
  }

  private static Instant later(Instant current, Instant candidate) {
    if (candidate == null) {
      return current;
    }
    return current == null || current.isBefore(candidate) ? candidate : current;
  }
}
