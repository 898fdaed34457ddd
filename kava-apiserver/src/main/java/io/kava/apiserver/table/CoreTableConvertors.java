package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import static io.kava.apiserver.table.Nodes.arr;
import static io.kava.apiserver.table.Nodes.at;
import static io.kava.apiserver.table.Nodes.has;
import static io.kava.apiserver.table.Nodes.lng;
import static io.kava.apiserver.table.Nodes.lngOrNull;
import static io.kava.apiserver.table.Nodes.str;
import static io.kava.apiserver.table.Nodes.strOrNull;
import static io.kava.apiserver.table.RowConvertor.age;
import static io.kava.apiserver.table.RowConvertor.containers;
import static io.kava.apiserver.table.RowConvertor.images;
import static io.kava.apiserver.table.RowConvertor.integer;
import static io.kava.apiserver.table.RowConvertor.name;
import static io.kava.apiserver.table.RowConvertor.row;
import static io.kava.apiserver.table.RowConvertor.str;
import static io.kava.apiserver.table.RowConvertor.wideStr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** Printers of the core ("") group kinds, pods excepted (see {@link PodTableConvertor}). */
final class CoreTableConvertors {
  private CoreTableConvertors() {
  }

  private static final String NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
  private static final String NODE_ROLE_LABEL = "kubernetes.io/role";
  private static final String BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

  static final TableConvertor NAMESPACE = new RowConvertor(
      List.of(name(), str("Status", "The status of the namespace"), age()),
      (o, now) -> row(Nodes.name(o), str(o, "status", "phase"), Nodes.age(o, now)));

  static final TableConvertor CONFIG_MAP = new RowConvertor(
      List.of(name(), str("Data", Docs.CONFIG_MAP_DATA), age()),
      (o, now) -> row(Nodes.name(o), (long) (Nodes.size(o, "data") + Nodes.size(o, "binaryData")),
          Nodes.age(o, now)));

  static final TableConvertor SECRET = new RowConvertor(
      List.of(name(), str("Type", Docs.SECRET_TYPE), str("Data", Docs.SECRET_DATA), age()),
      (o, now) -> row(Nodes.name(o), orDefault(strOrNull(o, "type"), "Opaque"), (long) Nodes.size(o, "data"),
          Nodes.age(o, now)));

  static final TableConvertor SERVICE_ACCOUNT = new RowConvertor(
      List.of(name(), str("Secrets", Docs.SERVICE_ACCOUNT_SECRETS), age()),
      (o, now) -> row(Nodes.name(o), (long) Nodes.size(o, "secrets"), Nodes.age(o, now)));

  static final TableConvertor POD_TEMPLATE = new RowConvertor(
      List.of(name(),
          str("Containers", Docs.CONTAINERS),
          str("Images", Docs.IMAGES),
          str("Pod Labels", "The labels for the pod template.")),
      (o, now) -> {
        String[] ci = Nodes.containerCells(at(o, "template", "spec"));
        return row(Nodes.name(o), ci[0], ci[1],
            Selectors.formatLabels(Nodes.stringMap(o, "template", "metadata", "labels")));
      });

  static final TableConvertor COMPONENT_STATUS = new RowConvertor(
      List.of(name(),
          str("Status", "Status of the component conditions"),
          str("Message", "Message of the component conditions"),
          str("Error", "Error of the component conditions")),
      (o, now) -> {
        String status = "Unknown";
        String message = "";
        String error = "";
        for (JsonNode c : arr(o, "conditions")) {
          if ("Healthy".equals(str(c, "type"))) {
            status = "True".equals(str(c, "status")) ? "Healthy" : "Unhealthy";
            message = str(c, "message");
            error = str(c, "error");
            break;
          }
        }
        return row(Nodes.name(o), status, message, error);
      });

  static final TableConvertor REPLICATION_CONTROLLER = new RowConvertor(
      List.of(name(),
          integer("Desired", Docs.RC_SPEC_REPLICAS),
          integer("Current", Docs.RC_STATUS_REPLICAS),
          integer("Ready", Docs.RC_STATUS_READY_REPLICAS),
          age(),
          containers(),
          images(),
          wideStr("Selector", Docs.RC_SPEC_SELECTOR)),
      (o, now) -> {
        String[] ci = Nodes.containerCells(at(o, "spec", "template", "spec"));
        return row(Nodes.name(o), replicas(o), lng(o, "status", "replicas"), lng(o, "status", "readyReplicas"),
            Nodes.age(o, now), ci[0], ci[1], Selectors.formatLabels(Nodes.stringMap(o, "spec", "selector")));
      });

  /** spec.replicas, defaulted to 1 as the v1 defaulting does for a workload that omits it. */
  static long replicas(JsonNode o) {
    Long r = lngOrNull(o, "spec", "replicas");
    return r == null ? 1 : r;
  }

  // ---- Node

  static final TableConvertor NODE = new RowConvertor(
      List.of(name(),
          str("Status", "The status of the node"),
          str("Roles", "The roles of the node"),
          age(),
          str("Version", Docs.NODE_SYSTEM_INFO_KUBELET_VERSION),
          wideStr("Internal-IP", Docs.NODE_STATUS_ADDRESSES),
          wideStr("External-IP", Docs.NODE_STATUS_ADDRESSES),
          wideStr("OS-Image", Docs.NODE_SYSTEM_INFO_OS_IMAGE),
          wideStr("Kernel-Version", Docs.NODE_SYSTEM_INFO_KERNEL_VERSION),
          wideStr("Container-Runtime", Docs.NODE_SYSTEM_INFO_CONTAINER_RUNTIME_VERSION)),
      CoreTableConvertors::nodeRow);

  private static List<Object> nodeRow(JsonNode o, Instant now) {
    // Only the Ready condition counts; a later duplicate wins, as in upstream's condition map.
    JsonNode ready = null;
    for (JsonNode c : arr(o, "status", "conditions")) {
      if ("Ready".equals(str(c, "type"))) {
        ready = c;
      }
    }
    List<String> status = new ArrayList<>();
    if (ready != null) {
      status.add("True".equals(str(ready, "status")) ? "Ready" : "NotReady");
    } else {
      status.add("Unknown");
    }
    if (Nodes.bool(o, "spec", "unschedulable")) {
      status.add("SchedulingDisabled");
    }
    TreeSet<String> roles = new TreeSet<>();
    for (Map.Entry<String, String> e : Nodes.stringMap(o, "metadata", "labels").entrySet()) {
      String k = e.getKey();
      if (k.startsWith(NODE_ROLE_PREFIX)) {
        String role = k.substring(NODE_ROLE_PREFIX.length());
        if (!role.isEmpty()) {
          roles.add(role);
        }
      } else if (k.equals(NODE_ROLE_LABEL) && !e.getValue().isEmpty()) {
        roles.add(e.getValue());
      }
    }
    JsonNode info = at(o, "status", "nodeInfo");
    return row(
        Nodes.name(o),
        String.join(",", status),
        Nodes.orNone(String.join(",", roles)),
        Nodes.age(o, now),
        str(info, "kubeletVersion"),
        nodeAddress(o, "InternalIP"),
        nodeAddress(o, "ExternalIP"),
        orUnknown(str(info, "osImage")),
        orUnknown(str(info, "kernelVersion")),
        orUnknown(str(info, "containerRuntimeVersion")));
  }

  private static String nodeAddress(JsonNode node, String type) {
    for (JsonNode a : arr(node, "status", "addresses")) {
      if (type.equals(str(a, "type"))) {
        return str(a, "address");
      }
    }
    return "<none>";
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "<unknown>" : s;
  }

  // ---- Service

  static final TableConvertor SERVICE = new RowConvertor(
      List.of(name(),
          str("Type", Docs.SERVICE_SPEC_TYPE),
          str("Cluster-IP", Docs.SERVICE_SPEC_CLUSTER_IP),
          str("External-IP", Docs.SERVICE_SPEC_EXTERNAL_IPS),
          str("Port(s)", Docs.SERVICE_SPEC_PORTS),
          age(),
          wideStr("Selector", Docs.SERVICE_SPEC_SELECTOR)),
      (o, now) -> {
        JsonNode spec = at(o, "spec");
        List<JsonNode> clusterIPs = arr(spec, "clusterIPs");
        String internalIP = "<none>";
        if (!clusterIPs.isEmpty()) {
          internalIP = Nodes.text(clusterIPs.get(0));
        } else if (!str(spec, "clusterIP").isEmpty()) {
          internalIP = str(spec, "clusterIP"); // v1 objects that carry only the singular field
        }
        String ports = servicePorts(arr(spec, "ports"));
        return row(Nodes.name(o), serviceType(spec), internalIP, serviceExternalIP(o),
            ports.isEmpty() ? "<none>" : ports, Nodes.age(o, now),
            Selectors.formatLabels(Nodes.stringMap(spec, "selector")));
      });

  /** "80/TCP", "80:30080/TCP" (with a node port), joined with ",". */
  static String servicePorts(List<JsonNode> ports) {
    List<String> pieces = new ArrayList<>(ports.size());
    for (JsonNode p : ports) {
      String protocol = strOrNull(p, "protocol");
      if (protocol == null) {
        protocol = "TCP"; // the v1 default
      }
      long nodePort = lng(p, "nodePort");
      pieces.add(nodePort > 0
          ? lng(p, "port") + ":" + nodePort + "/" + protocol
          : lng(p, "port") + "/" + protocol);
    }
    return String.join(",", pieces);
  }

  /** The External-IP cell; the server renders tables wide, so load-balancer addresses are never clipped. */
  static String serviceExternalIP(JsonNode svc) {
    JsonNode spec = at(svc, "spec");
    List<String> externalIPs = new ArrayList<>();
    for (JsonNode ip : arr(spec, "externalIPs")) {
      externalIPs.add(Nodes.text(ip));
    }
    switch (serviceType(spec)) {
      case "ClusterIP", "NodePort" -> {
        return externalIPs.isEmpty() ? "<none>" : String.join(",", externalIPs);
      }
      case "LoadBalancer" -> {
        String lbIps = loadBalancerIngress(at(svc, "status", "loadBalancer"));
        if (!externalIPs.isEmpty()) {
          List<String> results = new ArrayList<>();
          if (!lbIps.isEmpty()) {
            results.addAll(List.of(lbIps.split(",")));
          }
          results.addAll(externalIPs);
          return String.join(",", results);
        }
        return lbIps.isEmpty() ? "<pending>" : lbIps;
      }
      case "ExternalName" -> {
        return str(spec, "externalName");
      }
      default -> {
        return "<unknown>";
      }
    }
  }

  /** spec.type, ClusterIP (the v1 default) when absent. */
  private static String serviceType(JsonNode spec) {
    String type = strOrNull(spec, "type");
    return type == null ? "ClusterIP" : type;
  }

  /** IPs (or else host names) of a load balancer status's ingress points, sorted and de-duplicated. */
  static String loadBalancerIngress(JsonNode loadBalancerStatus) {
    TreeSet<String> result = new TreeSet<>();
    for (JsonNode i : arr(loadBalancerStatus, "ingress")) {
      if (!str(i, "ip").isEmpty()) {
        result.add(str(i, "ip"));
      } else if (!str(i, "hostname").isEmpty()) {
        result.add(str(i, "hostname"));
      }
    }
    return String.join(",", result);
  }

  // ---- Endpoints

  static final TableConvertor ENDPOINTS = new RowConvertor(
      List.of(name(), str("Endpoints", Docs.ENDPOINTS_SUBSETS), age()),
      (o, now) -> row(Nodes.name(o), formatEndpoints(o), Nodes.age(o, now)));

  /** "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...", {@code <none>} without subsets. */
  static String formatEndpoints(JsonNode endpoints) {
    List<JsonNode> subsets = arr(endpoints, "subsets");
    if (subsets.isEmpty()) {
      return "<none>";
    }
    List<String> list = new ArrayList<>();
    int max = 3;
    boolean more = false;
    int count = 0;
    for (JsonNode ss : subsets) {
      List<JsonNode> addresses = arr(ss, "addresses");
      List<JsonNode> ports = arr(ss, "ports");
      if (ports.isEmpty()) {
        // headless services may have no ports
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() == max) {
            more = true;
            break;
          }
          list.add(str(a, "ip"));
        }
        continue;
      }
      for (JsonNode port : ports) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() == max) {
            more = true;
            break;
          }
          list.add(joinHostPort(str(a, "ip"), lng(port, "port")));
        }
      }
    }
    String ret = String.join(",", list);
    if (more) {
      return ret + " + " + (count - max) + " more...";
    }
    return ret;
  }

  /** Go's net.JoinHostPort: IPv6 addresses are bracketed. */
  static String joinHostPort(String host, long port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  // ---- Events (core/v1 and events.k8s.io/v1 field names)

  static final TableConvertor EVENT = new RowConvertor(
      List.of(
          str("Last Seen", Docs.EVENT_LAST_TIMESTAMP),
          str("Type", Docs.EVENT_TYPE),
          str("Reason", Docs.EVENT_REASON),
          str("Object", Docs.EVENT_INVOLVED_OBJECT),
          wideStr("Subobject", Docs.OBJECT_REFERENCE_FIELD_PATH),
          wideStr("Source", Docs.EVENT_SOURCE),
          str("Message", Docs.EVENT_MESSAGE),
          wideStr("First Seen", Docs.EVENT_FIRST_TIMESTAMP),
          wideStr("Count", Docs.EVENT_COUNT),
          new TableColumn("Name", "string", "name", Docs.NAME, 1)),
      CoreTableConvertors::eventRow);

  private static List<Object> eventRow(JsonNode o, Instant now) {
    // events.k8s.io/v1 serves the same objects under other field names; read whichever is present.
    Instant first = firstTime(o, "firstTimestamp", "deprecatedFirstTimestamp");
    Instant last = firstTime(o, "lastTimestamp", "deprecatedLastTimestamp");
    Long countField = lngOrNull(o, "count");
    if (countField == null) {
      countField = lngOrNull(o, "deprecatedCount");
    }
    long count = countField == null ? 0 : countField;
    JsonNode involved = has(o, "involvedObject") ? at(o, "involvedObject") : at(o, "regarding");
    JsonNode source = has(o, "source") ? at(o, "source") : at(o, "deprecatedSource");
    String message = has(o, "message") ? str(o, "message") : str(o, "note");
    String reportingController = Nodes.firstNonEmpty(str(o, "reportingComponent"), str(o, "reportingController"));

    String firstTimestamp = first != null
        ? HumanDuration.since(first, now)
        : Nodes.since(o, now, "eventTime");
    String lastTimestamp = last != null ? HumanDuration.since(last, now) : firstTimestamp;
    JsonNode series = at(o, "series");
    if (series != null) {
      lastTimestamp = Nodes.since(series, now, "lastObservedTime");
      count = lng(series, "count");
    } else if (count == 0) {
      count = 1; // singleton events of the new API carry no count
    }
    String kind = str(involved, "kind").toLowerCase(Locale.ROOT);
    String target = str(involved, "name").isEmpty() ? kind : kind + "/" + str(involved, "name");
    String component = Nodes.firstNonEmpty(str(source, "component"), reportingController);
    String instance = Nodes.firstNonEmpty(str(source, "host"), str(o, "reportingInstance"));
    String eventSource = instance.isEmpty() ? component : component + ", " + instance;
    return row(lastTimestamp, str(o, "type"), str(o, "reason"), target, str(involved, "fieldPath"), eventSource,
        message.strip(), firstTimestamp, count, Nodes.name(o));
  }

  private static Instant firstTime(JsonNode o, String... fields) {
    for (String f : fields) {
      Instant t = Nodes.time(o, f);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  // ---- PersistentVolume / PersistentVolumeClaim

  static final TableConvertor PERSISTENT_VOLUME = new RowConvertor(
      List.of(name(),
          str("Capacity", Docs.PV_SPEC_CAPACITY),
          str("Access Modes", Docs.PV_SPEC_ACCESS_MODES),
          str("Reclaim Policy", Docs.PV_SPEC_PV_RECLAIM_POLICY),
          str("Status", Docs.PV_STATUS_PHASE),
          str("Claim", Docs.PV_SPEC_CLAIM_REF),
          str("StorageClass", "StorageClass of the pv"),
          str("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
          str("Reason", Docs.PV_STATUS_REASON),
          age(),
          wideStr("VolumeMode", Docs.PV_SPEC_VOLUME_MODE)),
      (o, now) -> {
        JsonNode spec = at(o, "spec");
        String claim = "";
        if (has(spec, "claimRef")) {
          claim = str(spec, "claimRef", "namespace") + "/" + str(spec, "claimRef", "name");
        }
        String phase = Nodes.deleting(o) ? "Terminating" : volumePhase(o);
        Map<String, String> annotations = Nodes.stringMap(o, "metadata", "annotations");
        String storageClass = annotations.containsKey(BETA_STORAGE_CLASS_ANNOTATION)
            ? annotations.get(BETA_STORAGE_CLASS_ANNOTATION)
            : str(spec, "storageClassName");
        return row(Nodes.name(o),
            Quantities.canonical(at(spec, "capacity", "storage")),
            accessModes(arr(spec, "accessModes")),
            orDefault(strOrNull(spec, "persistentVolumeReclaimPolicy"), "Retain"),
            phase,
            claim,
            storageClass,
            unset(strOrNull(spec, "volumeAttributesClassName")),
            str(o, "status", "reason"),
            Nodes.age(o, now),
            volumeMode(spec));
      });

  static final TableConvertor PERSISTENT_VOLUME_CLAIM = new RowConvertor(
      List.of(name(),
          str("Status", Docs.PVC_STATUS_PHASE),
          str("Volume", Docs.PVC_SPEC_VOLUME_NAME),
          str("Capacity", Docs.PVC_STATUS_CAPACITY),
          str("Access Modes", Docs.PVC_STATUS_ACCESS_MODES),
          str("StorageClass", "StorageClass of the pvc"),
          str("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
          age(),
          wideStr("VolumeMode", Docs.PVC_SPEC_VOLUME_MODE)),
      (o, now) -> {
        JsonNode spec = at(o, "spec");
        String phase = Nodes.deleting(o) ? "Terminating" : volumePhase(o);
        String capacity = "";
        String accessModes = "";
        if (!str(spec, "volumeName").isEmpty()) {
          accessModes = accessModes(arr(o, "status", "accessModes"));
          capacity = Quantities.canonical(at(o, "status", "capacity", "storage"));
        }
        Map<String, String> annotations = Nodes.stringMap(o, "metadata", "annotations");
        String storageClass;
        if (annotations.containsKey(BETA_STORAGE_CLASS_ANNOTATION)) {
          storageClass = annotations.get(BETA_STORAGE_CLASS_ANNOTATION);
        } else {
          storageClass = str(spec, "storageClassName");
        }
        return row(Nodes.name(o), phase, str(spec, "volumeName"), capacity, accessModes, storageClass,
            unset(strOrNull(spec, "volumeAttributesClassName")), Nodes.age(o, now),
            volumeMode(spec));
      });

  /** status.phase; Pending (the v1 default) when absent. */
  private static String volumePhase(JsonNode o) {
    return orDefault(strOrNull(o, "status", "phase"), "Pending");
  }

  /** spec.volumeMode; Filesystem (the v1 default) when absent. */
  private static String volumeMode(JsonNode spec) {
    return orDefault(strOrNull(spec, "volumeMode"), "Filesystem");
  }

  /**
   * {@code value}, or the value v1 defaulting gives a field that is absent. Stored objects are defaulted, so this
   * only matters for objects written without defaulting; it keeps the cells what kube-apiserver would print.
   */
  static String orDefault(String value, String dflt) {
    return value == null ? dflt : value;
  }

  /** "RWO,ROX,RWX,RWOP" in that fixed order, each mode once. */
  static String accessModes(List<JsonNode> modes) {
    List<String> present = new ArrayList<>();
    for (JsonNode m : modes) {
      present.add(Nodes.text(m));
    }
    List<String> out = new ArrayList<>();
    if (present.contains("ReadWriteOnce")) {
      out.add("RWO");
    }
    if (present.contains("ReadOnlyMany")) {
      out.add("ROX");
    }
    if (present.contains("ReadWriteMany")) {
      out.add("RWX");
    }
    if (present.contains("ReadWriteOncePod")) {
      out.add("RWOP");
    }
    return String.join(",", out);
  }

  private static String unset(String s) {
    return s == null ? "<unset>" : s;
  }

  // ---- ResourceQuota

  static final TableConvertor RESOURCE_QUOTA = new RowConvertor(
      List.of(name(),
          str("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
          str("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of "
              + "contention on the node."),
          age()),
      (o, now) -> {
        JsonNode hard = at(o, "status", "hard");
        JsonNode used = at(o, "status", "used");
        TreeSet<String> resources = new TreeSet<>();
        if (hard != null && hard.isObject()) {
          resources.addAll(hard.propertyNames());
        }
        StringBuilder request = new StringBuilder();
        StringBuilder limit = new StringBuilder();
        for (String resource : resources) {
          String[] pieces = resource.split("\\.", -1);
          StringBuilder w = pieces.length > 1 && pieces[0].equals("limits") ? limit : request;
          w.append(resource).append(": ")
              .append(Quantities.canonical(used == null ? null : used.get(resource))).append('/')
              .append(Quantities.canonical(hard.get(resource))).append(", ");
        }
        return row(Nodes.name(o), trimComma(request), trimComma(limit), Nodes.age(o, now));
      });

  private static String trimComma(StringBuilder sb) {
    String s = sb.toString();
    return s.endsWith(", ") ? s.substring(0, s.length() - 2) : s;
  }
}
