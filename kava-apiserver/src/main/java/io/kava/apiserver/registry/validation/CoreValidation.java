package io.kava.apiserver.registry.validation;

import io.kava.api.quantity.Quantity;
import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.IpValidation;
import io.kava.api.validation.NameValidation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The core/v1 kinds other than Pod and Service. */
public final class CoreValidation {
  private CoreValidation() {}

  static final int MAX_SECRET_SIZE = 1024 * 1024;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  // ---- ReplicationController, PodTemplate -------------------------------------------------------------------------

  public static List<FieldError> replicationController(JsonNode rc) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(rc, "spec");
    FieldPath p = FieldPath.of("spec");
    Errs.nonNegative(errs, Tree.num(spec, "minReadySeconds", 0), p.child("minReadySeconds"));
    Map<String, String> selector = Tree.strMap(spec, "selector");
    if (selector == null || selector.isEmpty()) errs.add(Errs.required(p.child("selector"), ""));
    Errs.nonNegative(errs, Tree.num(spec, "replicas", 0), p.child("replicas"));
    JsonNode template = Tree.get(spec, "template");
    FieldPath tp = p.child("template");
    if (template == null) {
      errs.add(Errs.required(tp, ""));
    } else {
      Map<String, String> labels = Tree.strMap(Tree.get(template, "metadata"), "labels");
      if (selector != null && !selector.isEmpty() && !LabelSelectors.mapMatches(selector, labels)) {
        errs.add(Errs.invalid(tp.child("metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`"));
      }
      errs.addAll(PodValidation.validatePodTemplateSpec(template, tp));
      errs.addAll(restartAlways(Tree.get(template, "spec"), tp.child("spec"), "ReplicationController"));
    }
    return errs;
  }

  /** The template rules every always-running controller shares. */
  static List<FieldError> restartAlways(JsonNode podSpec, FieldPath specPath, String kind) {
    List<FieldError> errs = new ArrayList<>();
    String policy = Tree.str(podSpec, "restartPolicy");
    if (!policy.equals("Always")) errs.add(Errs.notSupported(specPath.child("restartPolicy"), policy, "Always"));
    if (Tree.has(podSpec, "activeDeadlineSeconds")) {
      errs.add(Errs.forbidden(specPath.child("activeDeadlineSeconds"), "activeDeadlineSeconds in " + kind + " is not Supported"));
    }
    return errs;
  }

  public static List<FieldError> podTemplate(JsonNode pt) {
    return PodValidation.validatePodTemplateSpec(Tree.get(pt, "template"), FieldPath.of("template"));
  }

  // ---- Namespace ---------------------------------------------------------------------------------------------------

  public static List<FieldError> namespace(JsonNode ns) {
    List<FieldError> errs = new ArrayList<>();
    for (String f : Tree.strings(Tree.get(ns, "spec"), "finalizers")) errs.addAll(finalizerName(f, FieldPath.of("spec", "finalizers")));
    return errs;
  }

  static List<FieldError> finalizerName(String name, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    for (String msg : NameValidation.isQualifiedName(name)) errs.add(Errs.invalid(p, name, msg));
    if (!name.contains("/") && !name.equals("kubernetes")) {
      errs.add(Errs.invalid(p, name, "name is neither a standard finalizer name nor is it fully qualified"));
    }
    return errs;
  }

  // ---- ConfigMap, Secret -------------------------------------------------------------------------------------------

  public static List<FieldError> configMap(JsonNode cm) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, String> data = Tree.sortedStrMap(cm, "data");
    Map<String, String> binary = Tree.sortedStrMap(cm, "binaryData");
    long total = 0;
    if (data != null) {
      for (Map.Entry<String, String> e : data.entrySet()) {
        FieldPath kp = FieldPath.of("data").key(e.getKey());
        for (String msg : NameValidation.isConfigMapKey(e.getKey())) errs.add(Errs.invalid(kp, e.getKey(), msg));
        if (binary != null && binary.containsKey(e.getKey())) errs.add(Errs.invalid(kp, e.getKey(), "duplicate of key present in binaryData"));
        total += e.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (binary != null) {
      for (Map.Entry<String, String> e : binary.entrySet()) {
        for (String msg : NameValidation.isConfigMapKey(e.getKey())) errs.add(Errs.invalid(FieldPath.of("binaryData").key(e.getKey()), e.getKey(), msg));
        total += decodedLength(e.getValue());
      }
    }
    if (total > MAX_SECRET_SIZE) errs.add(Errs.tooLong(FieldPath.of(""), MAX_SECRET_SIZE));
    return errs;
  }

  public static List<FieldError> configMapUpdate(JsonNode cm, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.isTrue(old, "immutable")) {
      if (!Tree.isTrue(cm, "immutable")) errs.add(Errs.forbidden(FieldPath.of("immutable"), "field is immutable when `immutable` is set"));
      if (!Tree.semanticEquals(Tree.get(cm, "data"), Tree.get(old, "data"))) {
        errs.add(Errs.forbidden(FieldPath.of("data"), "field is immutable when `immutable` is set"));
      }
      if (!Tree.semanticEquals(Tree.get(cm, "binaryData"), Tree.get(old, "binaryData"))) {
        errs.add(Errs.forbidden(FieldPath.of("binaryData"), "field is immutable when `immutable` is set"));
      }
    }
    errs.addAll(configMap(cm));
    return errs;
  }

  static long decodedLength(String b64) {
    try {
      return Base64.getDecoder().decode(b64).length;
    } catch (IllegalArgumentException e) {
      return b64.length();
    }
  }

  static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return b64.getBytes(StandardCharsets.UTF_8);
    }
  }

  public static List<FieldError> secret(JsonNode secret) {
    List<FieldError> errs = new ArrayList<>();
    FieldPath dataPath = FieldPath.of("data");
    Map<String, String> data = Tree.sortedStrMap(secret, "data");
    Map<String, String> d = data == null ? Map.of() : data;
    long total = 0;
    for (Map.Entry<String, String> e : d.entrySet()) {
      for (String msg : NameValidation.isConfigMapKey(e.getKey())) errs.add(Errs.invalid(dataPath.key(e.getKey()), e.getKey(), msg));
      total += decodedLength(e.getValue());
    }
    if (total > MAX_SECRET_SIZE) errs.add(Errs.tooLong(dataPath, MAX_SECRET_SIZE));
    switch (Tree.str(secret, "type")) {
      case "kubernetes.io/service-account-token" -> {
        String sa = Tree.str(Tree.at(secret, "metadata", "annotations"), "kubernetes.io/service-account.name");
        if (sa.isEmpty()) errs.add(Errs.required(FieldPath.of("metadata", "annotations").key("kubernetes.io/service-account.name"), ""));
      }
      case "kubernetes.io/dockercfg" -> jsonKey(d, ".dockercfg", dataPath, errs);
      case "kubernetes.io/dockerconfigjson" -> jsonKey(d, ".dockerconfigjson", dataPath, errs);
      case "kubernetes.io/basic-auth" -> {
        if (!d.containsKey("username") && !d.containsKey("password")) {
          errs.add(Errs.required(dataPath.key("username"), ""));
          errs.add(Errs.required(dataPath.key("password"), ""));
        }
      }
      case "kubernetes.io/ssh-auth" -> {
        if (!d.containsKey("ssh-privatekey") || decodedLength(d.get("ssh-privatekey")) == 0) {
          errs.add(Errs.required(dataPath.key("ssh-privatekey"), ""));
        }
      }
      case "kubernetes.io/tls" -> {
        if (!d.containsKey("tls.crt")) errs.add(Errs.required(dataPath.key("tls.crt"), ""));
        if (!d.containsKey("tls.key")) errs.add(Errs.required(dataPath.key("tls.key"), ""));
      }
      default -> { }
    }
    return errs;
  }

  private static void jsonKey(Map<String, String> data, String key, FieldPath dataPath, List<FieldError> errs) {
    String v = data.get(key);
    if (v == null) {
      errs.add(Errs.required(dataPath.key(key), ""));
      return;
    }
    String err = goJsonError(decode(v));
    if (err != null) errs.add(Errs.invalid(dataPath.key(key), "<secret contents redacted>", err));
  }

  /** The gist of Go's json.Unmarshal error for a document that must be a JSON object; null when it is one. */
  private static String goJsonError(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8).strip();
    if (s.isEmpty()) return "unexpected end of JSON input";
    try {
      JsonNode n = JSON.readTree(s);
      if (n != null && n.isObject()) return null;
      return "json: cannot unmarshal " + goJsonType(n) + " into Go value of type map[string]interface {}";
    } catch (RuntimeException e) {
      char c = s.charAt(0);
      if ("{[\"-0123456789tfn".indexOf(c) < 0) return "invalid character '" + c + "' looking for beginning of value";
      return "unexpected end of JSON input";
    }
  }

  private static String goJsonType(JsonNode n) {
    if (n == null || n.isNull()) return "null";
    if (n.isArray()) return "array";
    if (n.isString()) return "string";
    if (n.isNumber()) return "number";
    if (n.isBoolean()) return "bool";
    return "object";
  }

  public static List<FieldError> secretUpdate(JsonNode secret, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    String type = Tree.str(secret, "type");
    if (!type.equals(Tree.str(old, "type"))) errs.add(Errs.immutable(FieldPath.of("type"), type));
    if (Tree.isTrue(old, "immutable")) {
      if (!Tree.isTrue(secret, "immutable")) errs.add(Errs.forbidden(FieldPath.of("immutable"), "field is immutable when `immutable` is set"));
      if (!Tree.semanticEquals(Tree.get(secret, "data"), Tree.get(old, "data"))) {
        errs.add(Errs.forbidden(FieldPath.of("data"), "field is immutable when `immutable` is set"));
      }
    }
    errs.addAll(secret(secret));
    return errs;
  }

  // ---- Endpoints ---------------------------------------------------------------------------------------------------

  public static List<FieldError> endpoints(JsonNode ep) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> subsets = Tree.list(ep, "subsets");
    for (int i = 0; i < subsets.size(); i++) {
      JsonNode ss = subsets.get(i);
      FieldPath sp = FieldPath.of("subsets").index(i);
      if (Tree.size(ss, "addresses") == 0 && Tree.size(ss, "notReadyAddresses") == 0) {
        errs.add(Errs.required(sp, "must specify `addresses` or `notReadyAddresses`"));
      }
      for (String kind : List.of("addresses", "notReadyAddresses")) {
        List<JsonNode> addrs = Tree.list(ss, kind);
        for (int a = 0; a < addrs.size(); a++) errs.addAll(endpointAddress(addrs.get(a), sp.child(kind).index(a)));
      }
      List<JsonNode> ports = Tree.list(ss, "ports");
      for (int k = 0; k < ports.size(); k++) {
        JsonNode port = ports.get(k);
        FieldPath pp = sp.child("ports").index(k);
        String name = Tree.str(port, "name");
        if (ports.size() > 1 && name.isEmpty()) errs.add(Errs.required(pp.child("name"), ""));
        else if (!name.isEmpty()) for (String msg : NameValidation.isDNS1123Label(name)) errs.add(Errs.invalid(pp.child("name"), name, msg));
        long pn = Tree.num(port, "port", 0);
        for (String msg : NameValidation.isValidPortNum(pn)) errs.add(Errs.invalid(pp.child("port"), pn, msg));
        String protocol = Tree.str(port, "protocol");
        if (protocol.isEmpty()) errs.add(Errs.required(pp.child("protocol"), ""));
        else if (!List.of("SCTP", "TCP", "UDP").contains(protocol)) errs.add(Errs.notSupported(pp.child("protocol"), protocol, "SCTP", "TCP", "UDP"));
        String app = Tree.strOrNull(port, "appProtocol");
        if (app != null) for (String msg : NameValidation.isQualifiedName(app)) errs.add(Errs.invalid(pp.child("appProtocol"), app, msg));
      }
    }
    return errs;
  }

  private static List<FieldError> endpointAddress(JsonNode addr, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String ip = Tree.str(addr, "ip");
    errs.addAll(IpValidation.isValidIPForLegacyField(p.child("ip"), ip, false, null));
    String hostname = Tree.str(addr, "hostname");
    if (!hostname.isEmpty()) for (String msg : NameValidation.isDNS1123Label(hostname)) errs.add(Errs.invalid(p.child("hostname"), hostname, msg));
    String node = Tree.strOrNull(addr, "nodeName");
    if (node != null) for (String msg : NameValidation.isDNS1123Subdomain(node)) errs.add(Errs.invalid(p.child("nodeName"), node, msg));
    errs.addAll(ServiceValidation.nonSpecialIP(ip, p.child("ip")));
    return errs;
  }

  // ---- Node ----------------------------------------------------------------------------------------------------------

  public static List<FieldError> node(JsonNode node) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(node, "spec");
    // upstream validates node taints under metadata.taints (its field path is built from "metadata")
    errs.addAll(taints(Tree.list(spec, "taints"), FieldPath.of("metadata", "taints")));
    errs.addAll(nodeResources(node));
    List<String> cidrs = Tree.strings(spec, "podCIDRs");
    FieldPath cp = FieldPath.of("spec", "podCIDRs");
    for (int i = 0; i < cidrs.size(); i++) errs.addAll(IpValidation.isValidCIDRForLegacyField(cp.index(i), cidrs.get(i), false, null));
    if (cidrs.size() > 1) {
      boolean dual = cidrs.size() == 2 && cidrs.get(0).contains(":") != cidrs.get(1).contains(":");
      if (!dual) errs.add(Errs.invalid(cp, GoValue.stringSlice("string", cidrs), "may specify no more than one CIDR for each IP family"));
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < cidrs.size(); i++) if (!seen.add(cidrs.get(i))) errs.add(Errs.duplicate(cp.index(i), cidrs.get(i)));
    }
    return errs;
  }

  private static List<FieldError> nodeResources(JsonNode node) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode status = Tree.get(node, "status");
    for (String f : List.of("capacity", "allocatable")) {
      for (Map.Entry<String, Quantity> e : Resources.list(status, f, FieldPath.of("status", f), errs).entrySet()) {
        Resources.validateQuantityValue(e.getKey(), e.getValue(), FieldPath.of("status", f, e.getKey()), errs);
      }
    }
    return errs;
  }

  public static List<FieldError> nodeUpdate(JsonNode node, JsonNode old) {
    List<FieldError> errs = new ArrayList<>(nodeResources(node));
    JsonNode spec = Tree.get(node, "spec");
    JsonNode oldSpec = Tree.get(old, "spec");
    List<JsonNode> addrs = Tree.list(Tree.get(node, "status"), "addresses");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < addrs.size(); i++) {
      String key = Tree.str(addrs.get(i), "type") + "/" + Tree.str(addrs.get(i), "address");
      if (!seen.add(key)) {
        errs.add(Errs.duplicate(FieldPath.of("status", "addresses").index(i),
            GoValue.struct("core.NodeAddress", addrs.get(i), "Type", "type", "Address", "address")));
      }
    }
    List<String> oldCidrs = Tree.strings(oldSpec, "podCIDRs");
    List<String> cidrs = Tree.strings(spec, "podCIDRs");
    if (!oldCidrs.isEmpty()) {
      String msg = "node updates may not change podCIDR except from \"\" to valid";
      if (oldCidrs.size() != cidrs.size()) {
        errs.add(Errs.forbidden(FieldPath.of("spec", "podCIDRs"), msg));
      } else {
        for (int i = 0; i < oldCidrs.size(); i++) if (!oldCidrs.get(i).equals(cidrs.get(i))) errs.add(Errs.forbidden(FieldPath.of("spec", "podCIDRs"), msg));
      }
    }
    String oldProvider = Tree.str(oldSpec, "providerID");
    if (!oldProvider.isEmpty() && !oldProvider.equals(Tree.str(spec, "providerID"))) {
      errs.add(Errs.forbidden(FieldPath.of("spec", "providerID"), "node updates may not change providerID except from \"\" to valid"));
    }
    errs.addAll(taints(Tree.list(spec, "taints"), FieldPath.of("metadata", "taints")));
    if (!Tree.str(spec, "externalID").equals(Tree.str(oldSpec, "externalID"))) {
      errs.add(Errs.forbidden(FieldPath.of("spec", "externalID"), "may not be updated"));
    }
    return errs;
  }

  /** validateNodeTaints. */
  static List<FieldError> taints(List<JsonNode> taints, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, Set<String>> unique = new HashMap<>();
    for (int i = 0; i < taints.size(); i++) {
      JsonNode t = taints.get(i);
      FieldPath idx = p.index(i);
      String key = Tree.str(t, "key");
      String value = Tree.str(t, "value");
      String effect = Tree.str(t, "effect");
      errs.addAll(LabelSelectors.validateLabelName(key, idx.child("key")));
      List<String> msgs = NameValidation.isValidLabelValue(value);
      if (!msgs.isEmpty()) errs.add(Errs.invalid(idx.child("value"), value, String.join(";", msgs)));
      if (effect.isEmpty()) errs.add(Errs.required(idx.child("effect"), ""));
      else errs.addAll(PodValidation.taintEffect(effect, idx.child("effect")));
      if (!unique.computeIfAbsent(effect, k -> new HashSet<>()).add(key)) {
        errs.add(new FieldError(FieldError.Type.DUPLICATE, idx.toString(), new GoValue("core.Taint{Key:" + GoValue.quote(key)
            + ", Value:" + GoValue.quote(value) + ", Effect:" + GoValue.quote(effect) + ", TimeAdded:<nil>}"),
            "taints must be unique by key and effect pair"));
      }
    }
    return errs;
  }

  // ---- PersistentVolume, PersistentVolumeClaim ---------------------------------------------------------------------

  private static final Set<String> ACCESS_MODES = Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");
  private static final List<String> ACCESS_MODE_LIST = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  private static final List<String> PV_SOURCES = List.of("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs",
      "flocker", "nfs", "rbd", "quobyte", "cephfs", "iscsi", "cinder", "fc", "flexVolume", "azureFile", "vsphereVolume",
      "photonPersistentDisk", "portworxVolume", "azureDisk", "scaleIO", "local", "storageos", "csi");

  private static void accessModes(JsonNode spec, FieldPath p, String requiredDetail, List<FieldError> errs) {
    List<String> modes = Tree.strings(spec, "accessModes");
    if (modes.isEmpty()) errs.add(Errs.required(p.child("accessModes"), requiredDetail));
    boolean rwop = false;
    boolean other = false;
    for (String m : modes) {
      if (!ACCESS_MODES.contains(m)) errs.add(Errs.notSupported(p.child("accessModes"), m, ACCESS_MODE_LIST));
      if (m.equals("ReadWriteOncePod")) rwop = true;
      else if (ACCESS_MODES.contains(m)) other = true;
    }
    if (rwop && other) errs.add(Errs.forbidden(p.child("accessModes"), "may not use ReadWriteOncePod with other access modes"));
  }

  public static List<FieldError> persistentVolume(JsonNode pv) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(pv, "spec");
    FieldPath p = FieldPath.of("spec");
    accessModes(spec, p, "", errs);
    JsonNode capacity = Tree.get(spec, "capacity");
    if (Tree.size(spec, "capacity") == 0) errs.add(Errs.required(p.child("capacity"), ""));
    if (Tree.get(capacity, "storage") == null || Tree.size(spec, "capacity") > 1) {
      errs.add(Errs.notSupported(p.child("capacity"), GoValue.json(capacity), "storage"));
    }
    for (Map.Entry<String, Quantity> e : Resources.list(spec, "capacity", p.child("capacity"), errs).entrySet()) {
      FieldPath qp = p.child("capacity").key(e.getKey());
      if (e.getValue().signum() < 0) errs.add(Errs.invalid(qp, e.getValue().value(), "must be a valid resource quantity"));
      if (e.getValue().signum() <= 0) errs.add(Errs.invalid(qp, e.getValue().toString(), Errs.NOT_POSITIVE));
      String sc = Tree.str(spec, "storageClassName");
      if (!sc.isEmpty()) for (String msg : NameValidation.isDNS1123Subdomain(sc)) errs.add(Errs.invalid(p.child("storageClassName"), sc, msg));
    }
    String reclaim = Tree.str(spec, "persistentVolumeReclaimPolicy");
    if (!reclaim.isEmpty() && !List.of("Delete", "Recycle", "Retain").contains(reclaim)) {
      errs.add(Errs.notSupported(p.child("persistentVolumeReclaimPolicy"), reclaim, "Delete", "Recycle", "Retain"));
    }
    JsonNode affinity = Tree.get(spec, "nodeAffinity");
    boolean affinitySpecified = false;
    if (affinity != null) {
      JsonNode req = Tree.get(affinity, "required");
      if (req == null) {
        errs.add(Errs.required(p.child("nodeAffinity").child("required"), "must specify required node constraints"));
      } else {
        affinitySpecified = true;
        errs.addAll(PodValidation.nodeSelector(req, p.child("nodeAffinity").child("required")));
      }
    }
    int n = 0;
    for (String src : PV_SOURCES) {
      JsonNode s = Tree.get(spec, src);
      if (s == null) continue;
      if (n++ > 0) {
        errs.add(Errs.forbidden(p.child(src.equals("cephfs") ? "cephFS" : src), "may not specify more than 1 volume type"));
        continue;
      }
      FieldPath sp = p.child(src);
      switch (src) {
        case "hostPath" -> {
          String path = Tree.str(s, "path");
          if (path.isEmpty()) errs.add(Errs.required(sp.child("path"), ""));
          else {
            errs.addAll(Paths.noBacksteps(path, sp.child("path")));
            String type = Tree.strOrNull(s, "type");
            if (type != null && !VolumeValidation.HOST_PATH_TYPES.contains(type)) {
              errs.add(Errs.notSupported(sp.child("type"), type, VolumeValidation.HOST_PATH_TYPE_LIST));
            }
          }
        }
        case "nfs" -> {
          if (Tree.str(s, "server").isEmpty()) errs.add(Errs.required(sp.child("server"), ""));
          String path = Tree.str(s, "path");
          if (path.isEmpty()) errs.add(Errs.required(sp.child("path"), ""));
          if (!path.startsWith("/")) errs.add(Errs.invalid(sp.child("path"), path, "must be an absolute path"));
        }
        case "local" -> {
          String path = Tree.str(s, "path");
          if (path.isEmpty()) errs.add(Errs.required(sp.child("path"), ""));
          else errs.addAll(Paths.noBacksteps(path, sp.child("path")));
          if (!affinitySpecified) errs.add(Errs.required(p.child("nodeAffinity"), "Local volume requires node affinity"));
        }
        case "csi" -> {
          String driver = Tree.str(s, "driver");
          if (driver.isEmpty()) errs.add(Errs.required(sp.child("driver"), ""));
          else errs.addAll(VolumeValidation.csiDriverName(driver, sp.child("driver")));
          if (Tree.str(s, "volumeHandle").isEmpty()) errs.add(Errs.required(sp.child("volumeHandle"), ""));
        }
        default -> { }
      }
    }
    if (n == 0) errs.add(Errs.required(p, "must specify a volume type"));
    String mode = Tree.strOrNull(spec, "volumeMode");
    if (mode != null && !mode.equals("Block") && !mode.equals("Filesystem")) {
      errs.add(Errs.notSupported(p.child("volumeMode"), mode, "Block", "Filesystem"));
    }
    return errs;
  }

  public static List<FieldError> persistentVolumeUpdate(JsonNode pv, JsonNode old) {
    List<FieldError> errs = new ArrayList<>(persistentVolume(pv));
    JsonNode spec = Tree.get(pv, "spec");
    JsonNode oldSpec = Tree.get(old, "spec");
    ObjectNode a = sourceOnly(oldSpec);
    ObjectNode b = sourceOnly(spec);
    JsonNode oldCsi = a.get("csi");
    if (oldCsi instanceof ObjectNode oc && b.get("csi") instanceof ObjectNode nc && !oc.has("controllerExpandSecretRef")) {
      nc.remove("controllerExpandSecretRef");
    }
    if (!Tree.semanticEquals(a, b)) {
      errs.add(Errs.forbidden(FieldPath.of("spec", "persistentvolumesource"),
          "spec.persistentvolumesource is immutable after creation\n" + SpecDiff.diff("core.PersistentVolumeSource", a, b)));
    }
    String mode = Tree.strOrNull(spec, "volumeMode");
    if (!Objects.equals(mode, Tree.strOrNull(oldSpec, "volumeMode"))) errs.add(Errs.immutable(FieldPath.of("volumeMode"), mode));
    if (Tree.has(oldSpec, "nodeAffinity") && !Tree.semanticEquals(Tree.get(spec, "nodeAffinity"), Tree.get(oldSpec, "nodeAffinity"))) {
      errs.add(Errs.invalid(FieldPath.of("nodeAffinity"), GoValue.json(Tree.get(spec, "nodeAffinity")), Errs.IMMUTABLE));
    }
    return errs;
  }

  private static ObjectNode sourceOnly(JsonNode spec) {
    ObjectNode o = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    for (String src : PV_SOURCES) {
      JsonNode s = Tree.get(spec, src);
      if (s != null) o.set(src, s.deepCopy());
    }
    return o;
  }

  public static List<FieldError> persistentVolumeClaim(JsonNode pvc) {
    return pvcSpec(Tree.get(pvc, "spec"), FieldPath.of("spec"));
  }

  /** ValidatePersistentVolumeClaimSpec. */
  static List<FieldError> pvcSpec(JsonNode spec, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.size(spec, "accessModes") == 0) errs.add(Errs.required(p.child("accessModes"), "at least 1 access mode is required"));
    JsonNode selector = Tree.get(spec, "selector");
    if (selector != null) errs.addAll(LabelSelectors.validate(selector, p.child("selector"), false));
    List<FieldError> modeErrs = new ArrayList<>();
    accessModes(spec, p, "", modeErrs);
    for (FieldError e : modeErrs) if (e.type() != FieldError.Type.REQUIRED) errs.add(e);
    FieldPath storagePath = p.child("resources").key("storage");
    JsonNode storage = Tree.at(spec, "resources", "requests", "storage");
    if (storage == null) {
      errs.add(Errs.required(storagePath, ""));
    } else {
      Quantity q = Resources.quantity(storage, storagePath, errs);
      if (q != null) {
        if (q.signum() <= 0) errs.add(Errs.invalid(storagePath, q.toString(), Errs.NOT_POSITIVE));
        else Resources.validateQuantityValue("storage", q, storagePath, errs);
      }
    }
    String sc = Tree.str(spec, "storageClassName");
    if (!sc.isEmpty()) for (String msg : NameValidation.isDNS1123Subdomain(sc)) errs.add(Errs.invalid(p.child("storageClassName"), sc, msg));
    String mode = Tree.strOrNull(spec, "volumeMode");
    if (mode != null && !mode.equals("Block") && !mode.equals("Filesystem")) {
      errs.add(Errs.notSupported(p.child("volumeMode"), mode, "Block", "Filesystem"));
    }
    for (String f : List.of("dataSource", "dataSourceRef")) {
      JsonNode ds = Tree.get(spec, f);
      if (ds == null) continue;
      FieldPath dp = p.child(f);
      if (Tree.str(ds, "name").isEmpty()) errs.add(Errs.required(dp.child("name"), ""));
      String kind = Tree.str(ds, "kind");
      if (kind.isEmpty()) errs.add(Errs.required(dp.child("kind"), ""));
      String group = Tree.str(ds, "apiGroup");
      if (group.isEmpty() && !kind.equals("PersistentVolumeClaim")) {
        errs.add(Errs.invalid(dp, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
      }
      if (!group.isEmpty()) for (String msg : NameValidation.isDNS1123Subdomain(group)) errs.add(Errs.invalid(dp.child("apiGroup"), group, msg));
    }
    return errs;
  }

  public static List<FieldError> persistentVolumeClaimUpdate(JsonNode pvc, JsonNode old) {
    List<FieldError> errs = new ArrayList<>(persistentVolumeClaim(pvc));
    JsonNode spec = Tree.get(pvc, "spec");
    JsonNode oldSpec = Tree.get(old, "spec");
    ObjectNode newClone = spec == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : (ObjectNode) spec.deepCopy();
    ObjectNode oldClone = oldSpec == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : (ObjectNode) oldSpec.deepCopy();
    if (Tree.str(oldSpec, "volumeName").isEmpty()) copy(newClone, oldClone, "volumeName");
    String oldAnn = Tree.str(Tree.at(old, "metadata", "annotations"), "volume.beta.kubernetes.io/storage-class");
    if (!Tree.has(oldSpec, "storageClassName") && Tree.has(spec, "storageClassName")
        && (oldAnn.isEmpty() || Tree.str(spec, "storageClassName").equals(oldAnn))) {
      copy(oldClone, newClone, "storageClassName");
    }
    boolean bound = Tree.str(Tree.get(pvc, "status"), "phase").equals("Bound");
    if (bound && newClone.get("resources") instanceof ObjectNode res && res.get("requests") instanceof ObjectNode req) {
      JsonNode oldStorage = Tree.at(oldSpec, "resources", "requests", "storage");
      if (oldStorage == null) req.remove("storage");
      else req.set("storage", oldStorage.deepCopy());
    }
    copy(oldClone, newClone, "volumeAttributesClassName");
    if (!Tree.semanticEquals(newClone, oldClone)) {
      errs.add(Errs.forbidden(FieldPath.of("spec"), "spec is immutable after creation except resources.requests and "
          + "volumeAttributesClassName for bound claims\n" + SpecDiff.diff("core.PersistentVolumeClaimSpec", oldClone, newClone)));
    }
    Quantity oldSize = JsonQuantity.parseOrNull(Tree.at(oldSpec, "resources", "requests", "storage"));
    Quantity newSize = JsonQuantity.parseOrNull(Tree.at(spec, "resources", "requests", "storage"));
    Quantity statusSize = JsonQuantity.parseOrNull(Tree.at(old, "status", "capacity", "storage"));
    if (oldSize != null && newSize != null && newSize.compareTo(oldSize) < 0
        && (statusSize == null || newSize.compareTo(statusSize) <= 0)) {
      errs.add(Errs.forbidden(FieldPath.of("spec", "resources", "requests", "storage"), "field can not be less than status.capacity"));
    }
    String mode = Tree.strOrNull(spec, "volumeMode");
    if (!Objects.equals(mode, Tree.strOrNull(oldSpec, "volumeMode"))) errs.add(Errs.immutable(FieldPath.of("volumeMode"), mode));
    return errs;
  }

  private static void copy(ObjectNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v == null) to.remove(field);
    else to.set(field, v.deepCopy());
  }

  // ---- LimitRange, ResourceQuota -------------------------------------------------------------------------------------

  private static final Set<String> LIMIT_TYPES = Set.of("Pod", "Container", "PersistentVolumeClaim");

  public static List<FieldError> limitRange(JsonNode lr) {
    List<FieldError> errs = new ArrayList<>();
    FieldPath lp = FieldPath.of("spec", "limits");
    Set<String> types = new HashSet<>();
    List<JsonNode> limits = Tree.list(Tree.get(lr, "spec"), "limits");
    for (int i = 0; i < limits.size(); i++) {
      JsonNode limit = limits.get(i);
      FieldPath idx = lp.index(i);
      String type = Tree.str(limit, "type");
      List<FieldError> typeErrs = new ArrayList<>();
      for (String msg : NameValidation.isQualifiedName(type)) typeErrs.add(Errs.invalid(idx.child("type"), type, msg));
      if (typeErrs.isEmpty() && !type.contains("/") && !LIMIT_TYPES.contains(type)) {
        typeErrs.add(Errs.invalid(idx.child("type"), type, "must be a standard limit type or fully qualified"));
      }
      errs.addAll(typeErrs);
      if (!types.add(type)) errs.add(Errs.duplicate(idx.child("type"), type));
      boolean container = type.equals("Pod") || type.equals("Container");
      Map<String, Map<String, Quantity>> lists = new HashMap<>();
      Set<String> keys = new TreeSet<>();
      for (String f : List.of("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")) {
        if (type.equals("Pod") && (f.equals("default") || f.equals("defaultRequest"))) {
          if (Tree.size(limit, f) > 0) errs.add(Errs.forbidden(idx.child(f), "may not be specified when `type` is 'Pod'"));
          lists.put(f, Map.of());
          continue;
        }
        Map<String, Quantity> m = Resources.list(limit, f, idx.child(f), errs);
        for (String k : m.keySet()) {
          FieldPath kp = idx.child(f).key(k);
          errs.addAll(container ? Resources.validateContainerResourceName(k, kp) : Resources.validateResourceName(k, kp));
        }
        lists.put(f, m);
        keys.addAll(m.keySet());
      }
      if (type.equals("PersistentVolumeClaim") && !lists.get("min").containsKey("storage") && !lists.get("max").containsKey("storage")) {
        errs.add(Errs.required(idx.child("limits"), "either minimum or maximum storage value is required, but neither was provided"));
      }
      for (String k : keys) {
        Quantity min = lists.get("min").get(k);
        Quantity max = lists.get("max").get(k);
        Quantity def = lists.get("default").get(k);
        Quantity defReq = lists.get("defaultRequest").get(k);
        Quantity ratio = lists.get("maxLimitRequestRatio").get(k);
        if (min != null && max != null && min.compareTo(max) > 0) {
          errs.add(Errs.invalid(idx.child("min").key(k), min.toString(), "min value " + min + " is greater than max value " + max));
        }
        if (defReq != null && min != null && min.compareTo(defReq) > 0) {
          errs.add(Errs.invalid(idx.child("defaultRequest").key(k), defReq.toString(), "min value " + min + " is greater than default request value " + defReq));
        }
        if (defReq != null && max != null && defReq.compareTo(max) > 0) {
          errs.add(Errs.invalid(idx.child("defaultRequest").key(k), defReq.toString(), "default request value " + defReq + " is greater than max value " + max));
        }
        if (defReq != null && def != null && defReq.compareTo(def) > 0) {
          errs.add(Errs.invalid(idx.child("defaultRequest").key(k), defReq.toString(),
              "default request value " + defReq + " is greater than default limit value " + def));
        }
        if (def != null && min != null && min.compareTo(def) > 0) {
          errs.add(Errs.invalid(idx.child("default").key(k), min.toString(), "min value " + min + " is greater than default value " + def));
        }
        if (def != null && max != null && def.compareTo(max) > 0) {
          errs.add(Errs.invalid(idx.child("default").key(k), max.toString(), "default value " + def + " is greater than max value " + max));
        }
        if (ratio != null && ratio.compareTo(Quantity.of(1, Quantity.Format.DECIMAL_SI)) < 0) {
          errs.add(Errs.invalid(idx.child("maxLimitRequestRatio").key(k), ratio.toString(), "ratio " + ratio + " is less than 1"));
        }
        if (ratio != null && min != null && max != null && min.signum() > 0) {
          double maxOverMin = max.approximateDouble() / min.approximateDouble();
          if (ratio.approximateDouble() > maxOverMin) {
            errs.add(Errs.invalid(idx.child("maxLimitRequestRatio").key(k), ratio.toString(),
                "ratio " + ratio + " is greater than max/min = " + String.format("%f", maxOverMin)));
          }
        }
        if (!Resources.isOvercommitAllowed(k) && def != null && defReq != null && def.compareTo(defReq) != 0) {
          errs.add(Errs.invalid(idx.child("defaultRequest").key(k), defReq.toString(),
              "default value " + def + " must equal to defaultRequest value " + defReq + " in " + k));
        }
      }
    }
    return errs;
  }

  private static final List<String> QUOTA_SCOPES =
      List.of("BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating",
          "VolumeAttributesClass");

  public static List<FieldError> resourceQuota(JsonNode rq) {
    List<FieldError> errs = new ArrayList<>(quotaSpec(Tree.get(rq, "spec"), FieldPath.of("spec")));
    for (String f : List.of("hard", "used")) {
      FieldPath fp = FieldPath.of("status", f);
      for (Map.Entry<String, Quantity> e : Resources.list(Tree.get(rq, "status"), f, fp, errs).entrySet()) {
        errs.addAll(Resources.validateQuotaResourceName(e.getKey(), fp.key(e.getKey())));
        Resources.validateQuantityValue(e.getKey(), e.getValue(), fp.key(e.getKey()), errs);
      }
    }
    return errs;
  }

  private static List<FieldError> quotaSpec(JsonNode spec, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    FieldPath hp = p.child("hard");
    for (Map.Entry<String, Quantity> e : Resources.list(spec, "hard", hp, errs).entrySet()) {
      errs.addAll(Resources.validateQuotaResourceName(e.getKey(), hp.key(e.getKey())));
      Resources.validateQuantityValue(e.getKey(), e.getValue(), hp.key(e.getKey()), errs);
    }
    List<String> scopes = Tree.strings(spec, "scopes");
    Set<String> seen = new LinkedHashSet<>();
    for (String s : scopes) {
      if (!QUOTA_SCOPES.contains(s)) errs.add(Errs.notSupported(p.child("scopes"), s, QUOTA_SCOPES));
      seen.add(s);
    }
    if (seen.contains("Terminating") && seen.contains("NotTerminating")) {
      errs.add(Errs.invalid(p.child("scopes"), GoValue.stringSlice("core.ResourceQuotaScope", scopes), "conflicting scopes"));
    }
    if (seen.contains("BestEffort") && seen.contains("NotBestEffort")) {
      errs.add(Errs.invalid(p.child("scopes"), GoValue.stringSlice("core.ResourceQuotaScope", scopes), "conflicting scopes"));
    }
    JsonNode scopeSelector = Tree.get(spec, "scopeSelector");
    List<JsonNode> exprs = Tree.list(scopeSelector, "matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      FieldPath ep = p.child("scopeSelector", "matchExpressions").index(i);
      String scope = Tree.str(exprs.get(i), "scopeName");
      if (!QUOTA_SCOPES.contains(scope)) errs.add(Errs.notSupported(ep.child("scopeName"), scope, QUOTA_SCOPES));
      String op = Tree.str(exprs.get(i), "operator");
      int n = Tree.size(exprs.get(i), "values");
      switch (op) {
        case "In", "NotIn" -> {
          if (n == 0) errs.add(Errs.required(ep.child("values"), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
        }
        case "Exists", "DoesNotExist" -> {
          if (n != 0) errs.add(Errs.invalid(ep.child("values"), GoValue.stringSlice(exprs.get(i), "values"),
              "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
        }
        default -> errs.add(Errs.invalid(ep.child("operator"), op, "not a valid selector operator"));
      }
    }
    return errs;
  }

  public static List<FieldError> resourceQuotaUpdate(JsonNode rq, JsonNode old) {
    List<FieldError> errs = new ArrayList<>(quotaSpec(Tree.get(rq, "spec"), FieldPath.of("spec")));
    Set<String> now = new HashSet<>(Tree.strings(Tree.get(rq, "spec"), "scopes"));
    Set<String> before = new HashSet<>(Tree.strings(Tree.get(old, "spec"), "scopes"));
    if (!now.equals(before)) {
      errs.add(Errs.invalid(FieldPath.of("spec", "scopes"),
          GoValue.stringSlice("core.ResourceQuotaScope", Tree.strings(Tree.get(rq, "spec"), "scopes")), Errs.IMMUTABLE));
    }
    return errs;
  }

  // ---- Event (core/v1 and events.k8s.io/v1) --------------------------------------------------------------------------

  /** legacyValidateEvent for a core/v1 Event (the v1 API does no stricter checks). */
  public static List<FieldError> event(JsonNode ev) {
    List<FieldError> errs = new ArrayList<>();
    String namespace = Tree.str(Tree.get(ev, "metadata"), "namespace");
    JsonNode involved = Tree.get(ev, "involvedObject");
    String involvedNs = Tree.str(involved, "namespace");
    FieldPath nsPath = FieldPath.of("involvedObject", "namespace");
    if (Tree.isZero(Tree.get(ev, "eventTime"))) {
      if (involvedNs.isEmpty()) {
        if (!namespace.isEmpty() && !namespace.equals("default")) errs.add(Errs.invalid(nsPath, involvedNs, "does not match event.namespace"));
      } else if (!namespace.equals(involvedNs)) {
        errs.add(Errs.invalid(nsPath, involvedNs, "does not match event.namespace"));
      }
    } else {
      if (involvedNs.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
        errs.add(Errs.invalid(nsPath, involvedNs, "does not match event.namespace"));
      }
      reportingFields(ev, "reportingComponent", Tree.str(ev, "reportingComponent"), Tree.str(ev, "action"),
          Tree.str(ev, "reason"), Tree.str(ev, "message"), errs);
    }
    for (String msg : NameValidation.isDNS1123Subdomain(namespace)) errs.add(Errs.invalid(FieldPath.of("namespace"), namespace, msg));
    return errs;
  }

  private static void reportingFields(JsonNode ev, String controllerField, String controller, String action, String reason,
                                      String message, List<FieldError> errs) {
    FieldPath cp = FieldPath.of(controllerField);
    if (controller.isEmpty()) errs.add(Errs.required(cp, ""));
    for (String msg : NameValidation.isQualifiedName(controller)) errs.add(Errs.invalid(cp, controller, msg));
    String instance = Tree.str(ev, "reportingInstance");
    if (instance.isEmpty()) errs.add(Errs.required(FieldPath.of("reportingInstance"), ""));
    if (instance.length() > 128) errs.add(Errs.invalid(FieldPath.of("reportingInstance"), "", "can have at most 128 characters"));
    if (action.isEmpty()) errs.add(Errs.required(FieldPath.of("action"), ""));
    if (action.length() > 128) errs.add(Errs.invalid(FieldPath.of("action"), "", "can have at most 128 characters"));
    if (reason.isEmpty()) errs.add(Errs.required(FieldPath.of("reason"), ""));
    if (reason.length() > 128) errs.add(Errs.invalid(FieldPath.of("reason"), "", "can have at most 128 characters"));
    if (message.length() > 1024) errs.add(Errs.invalid(FieldPath.of("message"), "", "can have at most 1024 characters"));
  }

  /** ValidateEventCreate for events.k8s.io/v1 (the strict rules; paths use the internal field names). */
  public static List<FieldError> eventsV1Event(JsonNode ev) {
    List<FieldError> errs = new ArrayList<>();
    String namespace = Tree.str(Tree.get(ev, "metadata"), "namespace");
    String regardingNs = Tree.str(Tree.get(ev, "regarding"), "namespace");
    if (!Tree.isZero(Tree.get(ev, "eventTime"))) {
      if (regardingNs.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
        errs.add(Errs.invalid(FieldPath.of("involvedObject", "namespace"), regardingNs, "does not match event.namespace"));
      }
      reportingFields(ev, "reportingController", Tree.str(ev, "reportingController"), Tree.str(ev, "action"),
          Tree.str(ev, "reason"), Tree.str(ev, "note"), errs);
    }
    for (String msg : NameValidation.isDNS1123Subdomain(namespace)) errs.add(Errs.invalid(FieldPath.of("namespace"), namespace, msg));
    JsonNode series = Tree.get(ev, "series");
    if (series != null) {
      if (Tree.num(series, "count", 0) < 2) errs.add(Errs.invalid(FieldPath.of("series.count"), "", "should be at least 2"));
      if (Tree.isZero(Tree.get(series, "lastObservedTime"))) errs.add(Errs.required(FieldPath.of("series.lastObservedTime"), ""));
    }
    if (Tree.isZero(Tree.get(ev, "eventTime"))) errs.add(Errs.required(FieldPath.of("eventTime"), ""));
    String type = Tree.str(ev, "type");
    if (!type.equals("Normal") && !type.equals("Warning")) errs.add(Errs.invalid(FieldPath.of("type"), "", "has invalid value: " + type));
    if (!Tree.isZero(Tree.get(ev, "deprecatedFirstTimestamp"))) errs.add(Errs.invalid(FieldPath.of("firstTimestamp"), "", "needs to be unset"));
    if (!Tree.isZero(Tree.get(ev, "deprecatedLastTimestamp"))) errs.add(Errs.invalid(FieldPath.of("lastTimestamp"), "", "needs to be unset"));
    if (Tree.num(ev, "deprecatedCount", 0) != 0) errs.add(Errs.invalid(FieldPath.of("count"), "", "needs to be unset"));
    JsonNode source = Tree.get(ev, "deprecatedSource");
    if (!Tree.str(source, "component").isEmpty() || !Tree.str(source, "host").isEmpty()) {
      errs.add(Errs.invalid(FieldPath.of("source"), "", "needs to be unset"));
    }
    return errs;
  }
}
