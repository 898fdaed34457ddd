package io.kava.apiserver.table;

import static io.kava.apiserver.table.Nodes.at;
import static io.kava.apiserver.table.Nodes.lng;
import static io.kava.apiserver.table.Nodes.str;
import static io.kava.apiserver.table.RowConvertor.age;
import static io.kava.apiserver.table.RowConvertor.containers;
import static io.kava.apiserver.table.RowConvertor.images;
import static io.kava.apiserver.table.RowConvertor.integer;
import static io.kava.apiserver.table.RowConvertor.name;
import static io.kava.apiserver.table.RowConvertor.row;
import static io.kava.apiserver.table.RowConvertor.str;
import static io.kava.apiserver.table.RowConvertor.wideStr;

import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Printers of the apps group: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision. */
final class AppsTableConvertors {
  private AppsTableConvertors() {
  }

  static final TableConvertor DEPLOYMENT = new RowConvertor(
      List.of(name(),
          str("Ready", "Number of the pod with ready state"),
          str("Up-to-date", Docs.DEPLOYMENT_STATUS_UPDATED_REPLICAS),
          str("Available", Docs.DEPLOYMENT_STATUS_AVAILABLE_REPLICAS),
          age(),
          containers(),
          images(),
          wideStr("Selector", Docs.DEPLOYMENT_SPEC_SELECTOR)),
      (o, now) -> {
        String selector;
        try {
          selector = Selectors.selectorString(at(o, "spec", "selector"));
        } catch (IllegalArgumentException e) {
          selector = "<invalid>";
        }
        String[] ci = Nodes.containerCells(at(o, "spec", "template", "spec"));
        return row(Nodes.name(o),
            lng(o, "status", "readyReplicas") + "/" + CoreTableConvertors.replicas(o),
            lng(o, "status", "updatedReplicas"),
            lng(o, "status", "availableReplicas"),
            Nodes.age(o, now), ci[0], ci[1], selector);
      });

  static final TableConvertor REPLICA_SET = new RowConvertor(
      List.of(name(),
          integer("Desired", Docs.REPLICA_SET_SPEC_REPLICAS),
          integer("Current", Docs.REPLICA_SET_STATUS_REPLICAS),
          integer("Ready", Docs.REPLICA_SET_STATUS_READY_REPLICAS),
          age(),
          containers(),
          images(),
          wideStr("Selector", Docs.REPLICA_SET_SPEC_SELECTOR)),
      (o, now) -> {
        String[] ci = Nodes.containerCells(at(o, "spec", "template", "spec"));
        return row(Nodes.name(o), CoreTableConvertors.replicas(o), lng(o, "status", "replicas"),
            lng(o, "status", "readyReplicas"), Nodes.age(o, now), ci[0], ci[1],
            Selectors.formatLabelSelector(at(o, "spec", "selector")));
      });

  static final TableConvertor STATEFUL_SET = new RowConvertor(
      List.of(name(),
          str("Ready", "Number of the pod with ready state"),
          age(),
          containers(),
          images()),
      (o, now) -> {
        String[] ci = Nodes.containerCells(at(o, "spec", "template", "spec"));
        return row(Nodes.name(o), lng(o, "status", "readyReplicas") + "/" + CoreTableConvertors.replicas(o),
            Nodes.age(o, now), ci[0], ci[1]);
      });

  static final TableConvertor DAEMON_SET = new RowConvertor(
      List.of(name(),
          integer("Desired", Docs.DAEMON_SET_STATUS_DESIRED_NUMBER_SCHEDULED),
          integer("Current", Docs.DAEMON_SET_STATUS_CURRENT_NUMBER_SCHEDULED),
          integer("Ready", Docs.DAEMON_SET_STATUS_NUMBER_READY),
          integer("Up-to-date", Docs.DAEMON_SET_STATUS_UPDATED_NUMBER_SCHEDULED),
          integer("Available", Docs.DAEMON_SET_STATUS_NUMBER_AVAILABLE),
          str("Node Selector", Docs.POD_SPEC_NODE_SELECTOR),
          age(),
          containers(),
          images(),
          wideStr("Selector", Docs.DAEMON_SET_SPEC_SELECTOR)),
      (o, now) -> {
        JsonNode status = at(o, "status");
        String[] ci = Nodes.containerCells(at(o, "spec", "template", "spec"));
        return row(Nodes.name(o),
            lng(status, "desiredNumberScheduled"),
            lng(status, "currentNumberScheduled"),
            lng(status, "numberReady"),
            lng(status, "updatedNumberScheduled"),
            lng(status, "numberAvailable"),
            Selectors.formatLabels(Nodes.stringMap(o, "spec", "template", "spec", "nodeSelector")),
            Nodes.age(o, now), ci[0], ci[1],
            Selectors.formatLabelSelector(at(o, "spec", "selector")));
      });

  static final TableConvertor CONTROLLER_REVISION = new RowConvertor(
      List.of(name(),
          str("Controller", "Controller of the object"),
          str("Revision", Docs.CONTROLLER_REVISION_REVISION),
          age()),
      (o, now) -> row(Nodes.name(o), controllerName(o), lng(o, "revision"), Nodes.age(o, now)));

  /** The controlling owner as "kind.group/name" in lower case ("daemonset.apps/fluentd"), or {@code <none>}. */
  static String controllerName(JsonNode o) {
    for (JsonNode ref : Nodes.arr(o, "metadata", "ownerReferences")) {
      if (Nodes.bool(ref, "controller")) {
        String apiVersion = str(ref, "apiVersion");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String kind = str(ref, "kind");
        if (group.isEmpty() && kind.isEmpty()) {
          return str(ref, "name");
        }
        String groupKind = group.isEmpty() ? kind : kind + "." + group;
        return groupKind.toLowerCase(Locale.ROOT) + "/" + str(ref, "name");
      }
    }
    return "<none>";
  }
}
