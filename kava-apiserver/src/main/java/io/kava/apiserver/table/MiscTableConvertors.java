package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import static io.kava.apiserver.table.Nodes.arr;
import static io.kava.apiserver.table.Nodes.at;
import static io.kava.apiserver.table.Nodes.lng;
import static io.kava.apiserver.table.Nodes.lngOrNull;
import static io.kava.apiserver.table.Nodes.str;
import static io.kava.apiserver.table.Nodes.strOrNull;
import static io.kava.apiserver.table.RowConvertor.age;
import static io.kava.apiserver.table.RowConvertor.bool;
import static io.kava.apiserver.table.RowConvertor.integer;
import static io.kava.apiserver.table.RowConvertor.name;
import static io.kava.apiserver.table.RowConvertor.row;
import static io.kava.apiserver.table.RowConvertor.str;
import static io.kava.apiserver.table.RowConvertor.wideStr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Printers of the smaller groups: rbac, coordination, policy, scheduling, node, autoscaling, certificates,
 * admissionregistration, flowcontrol, internal.apiserver, resource, apiregistration.
 */
final class MiscTableConvertors {
  private MiscTableConvertors() {
  }

  // ---- rbac.authorization.k8s.io

  static final TableConvertor ROLE_BINDING = binding("roleBinding", Docs.ROLE_BINDING_ROLE_REF);
  static final TableConvertor CLUSTER_ROLE_BINDING =
      binding("clusterRoleBinding", Docs.CLUSTER_ROLE_BINDING_ROLE_REF);

  private static TableConvertor binding(String what, String roleRefDoc) {
    return new RowConvertor(
        List.of(name(),
            str("Role", roleRefDoc),
            age(),
            wideStr("Users", "Users in the " + what),
            wideStr("Groups", "Groups in the " + what),
            wideStr("ServiceAccounts", "ServiceAccounts in the " + what)),
        (o, now) -> {
          List<String> users = new ArrayList<>();
          List<String> groups = new ArrayList<>();
          List<String> sas = new ArrayList<>();
          for (JsonNode s : arr(o, "subjects")) {
            switch (str(s, "kind")) {
              case "ServiceAccount" -> sas.add(str(s, "namespace") + "/" + str(s, "name"));
              case "User" -> users.add(str(s, "name"));
              case "Group" -> groups.add(str(s, "name"));
              default -> {
                // other kinds are not printed
              }
            }
          }
          return row(Nodes.name(o), str(o, "roleRef", "kind") + "/" + str(o, "roleRef", "name"),
              Nodes.age(o, now), String.join(", ", users), String.join(", ", groups), String.join(", ", sas));
        });
  }

  // ---- coordination.k8s.io

  static final TableConvertor LEASE = new RowConvertor(
      List.of(name(), str("Holder", Docs.LEASE_SPEC_HOLDER_IDENTITY), age()),
      (o, now) -> row(Nodes.name(o), str(o, "spec", "holderIdentity"), Nodes.age(o, now)));

  static final TableConvertor LEASE_CANDIDATE = new RowConvertor(
      List.of(name(),
          str("LeaseName", Docs.LEASE_CANDIDATE_SPEC_LEASE_NAME),
          str("BinaryVersion", ""),
          str("EmulationVersion", ""),
          age()),
      (o, now) -> row(Nodes.name(o), str(o, "spec", "leaseName"), str(o, "spec", "binaryVersion"),
          str(o, "spec", "emulationVersion"), Nodes.age(o, now)));

  // ---- policy

  static final TableConvertor POD_DISRUPTION_BUDGET = new RowConvertor(
      List.of(name(),
          str("Min Available", "The minimum number of pods that must be available."),
          str("Max Unavailable", "The maximum number of pods that may be unavailable."),
          integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
          age()),
      (o, now) -> {
        String min = strOrNull(o, "spec", "minAvailable");
        String max = strOrNull(o, "spec", "maxUnavailable");
        return row(Nodes.name(o), min == null ? "N/A" : min, max == null ? "N/A" : max,
            lng(o, "status", "disruptionsAllowed"), Nodes.age(o, now));
      });

  // ---- scheduling.k8s.io, node.k8s.io

  static final TableConvertor PRIORITY_CLASS = new RowConvertor(
      List.of(name(),
          integer("Value", Docs.PRIORITY_CLASS_VALUE),
          bool("Global-Default", Docs.PRIORITY_CLASS_GLOBAL_DEFAULT),
          age(),
          str("PreemptionPolicy", Docs.PRIORITY_CLASS_PREEMPTION_POLICY)),
      (o, now) -> row(Nodes.name(o), lng(o, "value"), Nodes.bool(o, "globalDefault"), Nodes.age(o, now),
          CoreTableConvertors.orDefault(strOrNull(o, "preemptionPolicy"), "PreemptLowerPriority")));

  static final TableConvertor RUNTIME_CLASS = new RowConvertor(
      List.of(name(), str("Handler", ""), age()),
      (o, now) -> row(Nodes.name(o), str(o, "handler"), Nodes.age(o, now)));

  // ---- autoscaling

  static final TableConvertor HORIZONTAL_POD_AUTOSCALER = new RowConvertor(
      List.of(name(),
          str("Reference", Docs.HPA_SPEC_SCALE_TARGET_REF),
          str("Targets", Docs.HPA_SPEC_METRICS),
          str("MinPods", Docs.HPA_SPEC_MIN_REPLICAS),
          str("MaxPods", Docs.HPA_SPEC_MAX_REPLICAS),
          str("Replicas", Docs.HPA_STATUS_CURRENT_REPLICAS),
          age()),
      (o, now) -> {
        // minReplicas defaults to 1; upstream prints <unset> only for objects that skipped defaulting
        Long minReplicas = lngOrNull(o, "spec", "minReplicas");
        return row(Nodes.name(o),
            str(o, "spec", "scaleTargetRef", "kind") + "/" + str(o, "spec", "scaleTargetRef", "name"),
            hpaMetrics(o),
            minReplicas == null ? "1" : minReplicas.toString(),
            lng(o, "spec", "maxReplicas"),
            lng(o, "status", "currentReplicas"),
            Nodes.age(o, now));
      });

  /** The Targets cell: "cpu: 40%/80%, memory: 1Gi/2Gi + 1 more...". */
  static String hpaMetrics(JsonNode hpa) {
    List<JsonNode> specs = arr(hpa, "spec", "metrics");
    List<JsonNode> statuses = arr(hpa, "status", "currentMetrics");
    if (specs.isEmpty()) {
      // an autoscaling/v1 object: the CPU utilization target is its only metric
      Long target = lngOrNull(hpa, "spec", "targetCPUUtilizationPercentage");
      if (target == null) {
        return "<none>";
      }
      Long current = lngOrNull(hpa, "status", "currentCPUUtilizationPercentage");
      return "cpu: " + (current == null ? "<unknown>" : current + "%") + "/" + target + "%";
    }
    List<String> list = new ArrayList<>();
    int max = 2;
    int count = 0;
    for (int i = 0; i < specs.size(); i++) {
      JsonNode spec = specs.get(i);
      JsonNode status = i < statuses.size() ? statuses.get(i) : null;
      switch (str(spec, "type")) {
        case "External" -> list.add(valueMetric(spec, status, "external"));
        case "Object" -> list.add(valueMetric(spec, status, "object"));
        case "Pods" -> {
          String current = "<unknown>";
          if (at(status, "pods") != null) {
            current = quantityPtr(at(status, "pods", "current", "averageValue"));
          }
          list.add(current + "/" + quantityPtr(at(spec, "pods", "target", "averageValue")));
        }
        case "Resource" -> list.add(resourceMetric(spec, status, "resource"));
        case "ContainerResource" -> list.add(resourceMetric(spec, status, "containerResource"));
        default -> list.add("<unknown type>");
      }
      count++;
    }
    boolean more = false;
    if (count > max) {
      list = list.subList(0, max);
      more = true;
    }
    String ret = String.join(", ", list);
    return more ? ret + " + " + (count - max) + " more..." : ret;
  }

  private static String valueMetric(JsonNode spec, JsonNode status, String field) {
    JsonNode targetAverage = at(spec, field, "target", "averageValue");
    String current = "<unknown>";
    if (targetAverage != null) {
      if (at(status, field, "current", "averageValue") != null) {
        current = quantityPtr(at(status, field, "current", "averageValue"));
      }
      return current + "/" + quantityPtr(targetAverage) + " (avg)";
    }
    if (at(status, field) != null) {
      current = quantityPtr(at(status, field, "current", "value"));
    }
    return current + "/" + quantityPtr(at(spec, field, "target", "value"));
  }

  private static String resourceMetric(JsonNode spec, JsonNode status, String field) {
    String resourceName = str(spec, field, "name");
    JsonNode targetAverage = at(spec, field, "target", "averageValue");
    String current = "<unknown>";
    if (targetAverage != null) {
      if (at(status, field) != null) {
        current = quantityPtr(at(status, field, "current", "averageValue"));
      }
      return resourceName + ": " + current + "/" + quantityPtr(targetAverage);
    }
    Long currentUtilization = lngOrNull(status, field, "current", "averageUtilization");
    if (at(status, field) != null && currentUtilization != null) {
      current = currentUtilization + "%";
    }
    Long targetUtilization = lngOrNull(spec, field, "target", "averageUtilization");
    String target = targetUtilization == null ? "<auto>" : targetUtilization + "%";
    return resourceName + ": " + current + "/" + target;
  }

  /** Quantity.String() of a *Quantity: {@code <nil>} for a missing one. */
  private static String quantityPtr(JsonNode q) {
    return q == null ? "<nil>" : Quantities.canonical(q);
  }

  static final TableConvertor SCALE = new RowConvertor(
      List.of(new TableColumn("Name", "string", "", Docs.NAME, 0),
          integer("Desired", Docs.SCALE_SPEC_REPLICAS),
          integer("Available", Docs.SCALE_STATUS_REPLICAS),
          age()),
      (o, now) -> row(Nodes.name(o), lng(o, "spec", "replicas"), lng(o, "status", "replicas"),
          Nodes.age(o, now)));

  // ---- certificates.k8s.io

  static final TableConvertor CERTIFICATE_SIGNING_REQUEST = new RowConvertor(
      List.of(name(),
          age(),
          str("SignerName", Docs.CSR_SPEC_SIGNER_NAME),
          str("Requestor", Docs.CSR_SPEC_REQUEST),
          str("RequestedDuration", Docs.CSR_SPEC_EXPIRATION_SECONDS),
          str("Condition", Docs.CSR_STATUS_CONDITIONS)),
      (o, now) -> {
        Long expiration = lngOrNull(o, "spec", "expirationSeconds");
        return row(Nodes.name(o), Nodes.age(o, now),
            Nodes.orNone(str(o, "spec", "signerName")),
            str(o, "spec", "username"),
            expiration == null ? "<none>" : HumanDuration.format(Duration.ofSeconds(expiration)),
            csrStatus(o));
      });

  static String csrStatus(JsonNode csr) {
    boolean approved = false;
    boolean denied = false;
    boolean failed = false;
    for (JsonNode c : arr(csr, "status", "conditions")) {
      switch (str(c, "type")) {
        case "Approved" -> approved = true;
        case "Denied" -> denied = true;
        case "Failed" -> failed = true;
        default -> {
          // not part of the summary
        }
      }
    }
    String status = denied ? "Denied" : approved ? "Approved" : "Pending";
    if (failed) {
      status += ",Failed";
    }
    if (!str(csr, "status", "certificate").isEmpty()) {
      status += ",Issued";
    }
    return status;
  }

  static final TableConvertor CLUSTER_TRUST_BUNDLE = new RowConvertor(
      List.of(name(), str("SignerName", Docs.CLUSTER_TRUST_BUNDLE_SPEC_SIGNER_NAME)),
      (o, now) -> row(Nodes.name(o), Nodes.orNone(str(o, "spec", "signerName"))));

  // ---- admissionregistration.k8s.io

  static final TableConvertor WEBHOOK_CONFIGURATION = new RowConvertor(
      List.of(name(),
          integer("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration"),
          age()),
      (o, now) -> row(Nodes.name(o), (long) Nodes.size(o, "webhooks"), Nodes.age(o, now)));

  static final TableConvertor VALIDATING_ADMISSION_POLICY = admissionPolicy("Validations",
      "Validations indicates the number of validation rules defined in this configuration", "validations");
  static final TableConvertor MUTATING_ADMISSION_POLICY = admissionPolicy("Mutations",
      "Mutation indicates the number of mutations rules defined in this configuration", "mutations");

  private static TableConvertor admissionPolicy(String column, String description, String field) {
    return new RowConvertor(
        List.of(name(),
            integer(column, description),
            str("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"),
            age()),
        (o, now) -> {
          JsonNode paramKind = at(o, "spec", "paramKind");
          String kind = paramKind == null
              ? "<unset>"
              : str(paramKind, "apiVersion") + "/" + str(paramKind, "kind");
          return row(Nodes.name(o), (long) Nodes.size(o, "spec", field), kind, Nodes.age(o, now));
        });
  }

  static final TableConvertor ADMISSION_POLICY_BINDING = new RowConvertor(
      List.of(name(),
          str("PolicyName", "PolicyName indicates the policy definition which the policy binding binded to"),
          str("ParamRef", "ParamRef indicates the param resource which sets the configration param"),
          age()),
      (o, now) -> {
        String paramName = "<unset>";
        JsonNode pr = at(o, "spec", "paramRef");
        if (pr != null) {
          if (!str(pr, "name").isEmpty()) {
            // Cluster-scoped params can't be told apart here, so unnamespaced ones print with "*".
            paramName = str(pr, "namespace").isEmpty()
                ? "*/" + str(pr, "name")
                : str(pr, "namespace") + "/" + str(pr, "name");
          } else if (at(pr, "selector") != null) {
            paramName = goLabelSelectorString(at(pr, "selector"));
          }
        }
        return row(Nodes.name(o), str(o, "spec", "policyName"), paramName, Nodes.age(o, now));
      });

  /** The Go struct dump LabelSelector.String() prints (upstream shows it as is). */
  static String goLabelSelectorString(JsonNode selector) {
    StringBuilder exprs = new StringBuilder("[]LabelSelectorRequirement{");
    for (JsonNode e : arr(selector, "matchExpressions")) {
      List<String> values = new ArrayList<>();
      for (JsonNode v : arr(e, "values")) {
        values.add(Nodes.text(v));
      }
      exprs.append("LabelSelectorRequirement{Key:").append(str(e, "key"))
          .append(",Operator:").append(str(e, "operator"))
          .append(",Values:[").append(String.join(" ", values)).append("],},");
    }
    exprs.append('}');
    StringBuilder labels = new StringBuilder("map[string]string{");
    for (Map.Entry<String, String> l : Nodes.stringMap(selector, "matchLabels").entrySet()) {
      labels.append(l.getKey()).append(": ").append(l.getValue()).append(',');
    }
    labels.append('}');
    return "&LabelSelector{MatchLabels:" + labels + ",MatchExpressions:" + exprs + ",}";
  }

  // ---- flowcontrol.apiserver.k8s.io

  static final TableConvertor FLOW_SCHEMA = new RowConvertor(
      List.of(name(),
          str("PriorityLevel", Docs.PLC_REFERENCE_NAME),
          str("MatchingPrecedence", Docs.FLOW_SCHEMA_SPEC_MATCHING_PRECEDENCE),
          str("DistinguisherMethod", Docs.FLOW_SCHEMA_SPEC_DISTINGUISHER_METHOD),
          age(),
          str("MissingPL", "references a broken or non-existent PriorityLevelConfiguration")),
      (o, now) -> {
        String distinguisher = at(o, "spec", "distinguisherMethod") == null
            ? "<none>"
            : str(o, "spec", "distinguisherMethod", "type");
        String badPLRef = "?";
        JsonNode dangling = Nodes.condition(o, "Dangling", "status", "conditions");
        if (dangling != null) {
          badPLRef = str(dangling, "status");
        }
        return row(Nodes.name(o), str(o, "spec", "priorityLevelConfiguration", "name"),
            lng(o, "spec", "matchingPrecedence"), distinguisher, Nodes.age(o, now), badPLRef);
      });

  static final TableConvertor PRIORITY_LEVEL_CONFIGURATION = new RowConvertor(
      List.of(name(),
          str("Type", Docs.PLC_SPEC_TYPE),
          str("NominalConcurrencyShares", Docs.LIMITED_PLC_NOMINAL_CONCURRENCY_SHARES),
          str("Queues", Docs.QUEUING_CONFIGURATION_QUEUES),
          str("HandSize", Docs.QUEUING_CONFIGURATION_HAND_SIZE),
          str("QueueLengthLimit", Docs.QUEUING_CONFIGURATION_QUEUE_LENGTH_LIMIT),
          age()),
      (o, now) -> {
        Object ncs = "<none>";
        Object queues = "<none>";
        Object handSize = "<none>";
        Object queueLengthLimit = "<none>";
        JsonNode limited = at(o, "spec", "limited");
        if (limited != null) {
          ncs = lng(limited, "nominalConcurrencyShares");
          JsonNode queuing = at(limited, "limitResponse", "queuing");
          if (queuing != null) {
            queues = lng(queuing, "queues");
            handSize = lng(queuing, "handSize");
            queueLengthLimit = lng(queuing, "queueLengthLimit");
          }
        }
        return row(Nodes.name(o), str(o, "spec", "type"), ncs, queues, handSize, queueLengthLimit,
            Nodes.age(o, now));
      });

  // ---- internal.apiserver.k8s.io

  static final TableConvertor STORAGE_VERSION = new RowConvertor(
      List.of(name(),
          str("CommonEncodingVersion", Docs.STORAGE_VERSION_STATUS_COMMON_ENCODING_VERSION),
          str("StorageVersions", Docs.STORAGE_VERSION_STATUS_STORAGE_VERSIONS),
          age()),
      (o, now) -> {
        String common = strOrNull(o, "status", "commonEncodingVersion");
        List<String> list = new ArrayList<>();
        int max = 3;
        boolean more = false;
        int count = 0;
        for (JsonNode sv : arr(o, "status", "storageVersions")) {
          if (list.size() < max) {
            list.add(str(sv, "apiServerID") + "=" + str(sv, "encodingVersion"));
          } else if (list.size() == max) {
            more = true;
          }
          count++;
        }
        return row(Nodes.name(o), common == null ? "<unset>" : common,
            Nodes.listWithMore(list, more, count, max), Nodes.age(o, now));
      });

  // ---- resource.k8s.io

  static final TableConvertor NAME_AGE = new RowConvertor(
      List.of(name(), age()),
      (o, now) -> row(Nodes.name(o), Nodes.age(o, now)));

  static final TableConvertor RESOURCE_CLAIM = new RowConvertor(
      List.of(name(),
          str("State", "A summary of the current state (allocated, pending, reserved, etc.)."),
          age()),
      (o, now) -> {
        List<String> states = new ArrayList<>();
        boolean deleting = Nodes.deleting(o);
        if (deleting) {
          states.add("deleted");
        }
        if (at(o, "status", "allocation") == null) {
          if (!deleting) {
            states.add("pending");
          }
        } else {
          states.add("allocated");
          if (Nodes.size(o, "status", "reservedFor") > 0) {
            states.add("reserved");
          }
        }
        return row(Nodes.name(o), String.join(",", states), Nodes.age(o, now));
      });

  static final TableConvertor RESOURCE_SLICE = new RowConvertor(
      List.of(name(),
          str("Node", Docs.RESOURCE_SLICE_SPEC_NODE_NAME),
          str("Driver", Docs.RESOURCE_SLICE_SPEC_DRIVER),
          str("Pool", Docs.RESOURCE_POOL_NAME),
          age()),
      (o, now) -> row(Nodes.name(o), str(o, "spec", "nodeName"), str(o, "spec", "driver"),
          str(o, "spec", "pool", "name"), Nodes.age(o, now)));

  // ---- apiregistration.k8s.io (kube-aggregator's own table)

  static final TableConvertor API_SERVICE = new RowConvertor(
      List.of(name(),
          str("Service", "The reference to the service that hosts this API endpoint."),
          str("Available", "Whether this service is available."),
          age()),
      (o, now) -> {
        JsonNode svc = at(o, "spec", "service");
        String service = svc == null ? "Local" : str(svc, "namespace") + "/" + str(svc, "name");
        String status = "Unknown";
        JsonNode available = Nodes.condition(o, "Available", "status", "conditions");
        if (available != null) {
          String s = str(available, "status");
          String reason = str(available, "reason");
          status = "True".equals(s) || reason.isEmpty() ? s : s + " (" + reason + ")";
        }
        return row(Nodes.name(o), service, status, Nodes.age(o, now));
      });
}
