package io.kava.apiserver.registry.validation;

import io.kava.api.quantity.Quantity;
import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Pod volumes (ValidateVolumes, validateVolumeSource and the sources kava runs), as upstream reports them. */
final class VolumeValidation {
  private VolumeValidation() {}

  /**
   * The volume source fields in upstream's check order, with the path upstream names in its "may not specify more
   * than 1 volume type" error (two of them differ from the JSON name upstream: "cephFS" and "downwarAPI").
   */
  private static final String[][] SOURCES = {
      {"emptyDir", "emptyDir"}, {"hostPath", "hostPath"}, {"gitRepo", "gitRepo"},
      {"gcePersistentDisk", "gcePersistentDisk"}, {"awsElasticBlockStore", "awsElasticBlockStore"},
      {"secret", "secret"}, {"nfs", "nfs"}, {"iscsi", "iscsi"}, {"glusterfs", "glusterfs"}, {"flocker", "flocker"},
      {"persistentVolumeClaim", "persistentVolumeClaim"}, {"rbd", "rbd"}, {"cinder", "cinder"}, {"cephfs", "cephFS"},
      {"quobyte", "quobyte"}, {"downwardAPI", "downwarAPI"}, {"fc", "fc"}, {"flexVolume", "flexVolume"},
      {"configMap", "configMap"}, {"azureFile", "azureFile"}, {"vsphereVolume", "vsphereVolume"},
      {"photonPersistentDisk", "photonPersistentDisk"}, {"portworxVolume", "portworxVolume"},
      {"azureDisk", "azureDisk"}, {"storageos", "storageos"}, {"projected", "projected"}, {"scaleIO", "scaleIO"},
      {"csi", "csi"}, {"ephemeral", "ephemeral"}, {"image", "image"}};

  static final Set<String> VOLUME_DOWNWARD_FIELDS =
      Set.of("metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid");

  /** ValidateVolumes: the errors, and the valid volumes by name (for mounts). */
  static Map<String, JsonNode> validateVolumes(JsonNode spec, String podName, FieldPath p, List<FieldError> errs) {
    Map<String, JsonNode> vols = new LinkedHashMap<>();
    Set<String> ephemeralPvcs = new HashSet<>();
    List<JsonNode> volumes = Tree.list(spec, "volumes");
    if (podName != null && !podName.isEmpty()) {
      for (JsonNode v : volumes) if (Tree.has(v, "ephemeral")) ephemeralPvcs.add(podName + "-" + Tree.str(v, "name"));
    }
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode vol = volumes.get(i);
      FieldPath idx = p.index(i);
      FieldPath namePath = idx.child("name");
      String name = Tree.str(vol, "name");
      List<FieldError> el = validateSource(vol, idx, name, podName);
      if (name.isEmpty()) {
        el.add(Errs.required(namePath, ""));
      } else {
        for (String msg : NameValidation.isDNS1123Label(name)) el.add(Errs.invalid(namePath, name, msg));
      }
      if (vols.containsKey(name)) el.add(Errs.duplicate(namePath, name));
      if (el.isEmpty()) vols.put(name, vol);
      else errs.addAll(el);
      JsonNode pvc = Tree.get(vol, "persistentVolumeClaim");
      if (pvc != null && ephemeralPvcs.contains(Tree.str(pvc, "claimName"))) {
        errs.add(Errs.invalid(idx.child("persistentVolumeClaim").child("claimName"), Tree.str(pvc, "claimName"),
            "must not reference a PVC that gets created for an ephemeral volume"));
      }
    }
    return vols;
  }

  /** validateVolumeSource. */
  static List<FieldError> validateSource(JsonNode vol, FieldPath p, String volName, String podName) {
    List<FieldError> errs = new ArrayList<>();
    int count = 0;
    for (String[] s : SOURCES) {
      JsonNode src = Tree.get(vol, s[0]);
      if (src == null) continue;
      if (count > 0) {
        errs.add(Errs.forbidden(p.child(s[1]), "may not specify more than 1 volume type"));
        continue;
      }
      count++;
      FieldPath sp = p.child(s[0]);
      switch (s[0]) {
        case "emptyDir" -> {
          Quantity q = JsonQuantity.parseOrNull(Tree.get(src, "sizeLimit"));
          if (q != null && q.signum() < 0) {
            errs.add(Errs.forbidden(sp.child("sizeLimit"), "SizeLimit field must be a valid resource quantity"));
          }
        }
        case "hostPath" -> {
          String path = Tree.str(src, "path");
          if (path.isEmpty()) {
            errs.add(Errs.required(sp.child("path"), ""));
          } else {
            errs.addAll(Paths.noBacksteps(path, sp.child("path")));
            JsonNode type = Tree.get(src, "type");
            if (type != null && !HOST_PATH_TYPES.contains(type.asString())) {
              errs.add(Errs.notSupported(sp.child("type"), type.asString(), HOST_PATH_TYPE_LIST));
            }
          }
        }
        case "gitRepo" -> {
          if (Tree.str(src, "repository").isEmpty()) errs.add(Errs.required(sp.child("repository"), ""));
          errs.addAll(Paths.localDescending(Tree.str(src, "directory"), sp.child("directory")));
        }
        case "secret" -> {
          if (Tree.str(src, "secretName").isEmpty()) errs.add(Errs.required(sp.child("secretName"), ""));
          fileMode(src, "defaultMode", sp, errs);
          keyToPaths(src, sp, errs);
        }
        case "configMap" -> {
          if (Tree.str(src, "name").isEmpty()) errs.add(Errs.required(sp.child("name"), ""));
          fileMode(src, "defaultMode", sp, errs);
          keyToPaths(src, sp, errs);
        }
        case "persistentVolumeClaim" -> {
          if (Tree.str(src, "claimName").isEmpty()) errs.add(Errs.required(sp.child("claimName"), ""));
        }
        case "nfs" -> {
          if (Tree.str(src, "server").isEmpty()) errs.add(Errs.required(sp.child("server"), ""));
          String path = Tree.str(src, "path");
          if (path.isEmpty()) errs.add(Errs.required(sp.child("path"), ""));
          if (!path.startsWith("/")) errs.add(Errs.invalid(sp.child("path"), path, "must be an absolute path"));
        }
        case "downwardAPI" -> {
          fileMode(src, "defaultMode", sp, errs);
          for (JsonNode item : Tree.list(src, "items")) errs.addAll(downwardAPIFile(item, sp));
        }
        case "projected" -> {
          fileMode(src, "defaultMode", sp, errs);
          errs.addAll(projectionSources(src, sp));
        }
        case "csi" -> {
          String driver = Tree.str(src, "driver");
          if (driver.isEmpty()) errs.add(Errs.required(sp.child("driver"), ""));
          else errs.addAll(csiDriverName(driver, sp.child("driver")));
        }
        case "ephemeral" -> {
          JsonNode tmpl = Tree.get(src, "volumeClaimTemplate");
          if (tmpl == null) {
            errs.add(Errs.required(sp.child("volumeClaimTemplate"), ""));
          } else {
            errs.addAll(CoreValidation.pvcSpec(Tree.get(tmpl, "spec"), sp.child("volumeClaimTemplate").child("spec")));
          }
          if (podName != null && !podName.isEmpty() && !volName.isEmpty()) {
            String pvcName = podName + "-" + volName;
            for (String msg : NameValidation.isDNS1123Subdomain(pvcName)) {
              errs.add(Errs.invalid(sp.child("name"), volName, "PVC name " + GoValue.quote(pvcName) + ": " + msg));
            }
          }
        }
        case "image" -> {
          if (Tree.str(src, "reference").isEmpty()) errs.add(Errs.required(sp.child("reference"), ""));
          String policy = Tree.str(src, "pullPolicy");
          if (!policy.isEmpty() && !List.of("Always", "IfNotPresent", "Never").contains(policy)) {
            errs.add(Errs.notSupported(sp.child("pullPolicy"), policy, "Always", "IfNotPresent", "Never"));
          }
        }
        default -> { /* cloud and legacy sources: accepted as written */ }
      }
    }
    if (count == 0) errs.add(Errs.required(p, "must specify a volume type"));
    return errs;
  }

  static final Set<String> HOST_PATH_TYPES =
      Set.of("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice");
  static final List<String> HOST_PATH_TYPE_LIST =
      List.of("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket");

  static void fileMode(JsonNode src, String field, FieldPath p, List<FieldError> errs) {
    Long mode = Tree.num(src, field);
    if (mode != null && (mode > 0777 || mode < 0)) errs.add(Errs.invalid(p.child(field), mode, Errs.FILE_MODE));
  }

  private static void keyToPaths(JsonNode src, FieldPath p, List<FieldError> errs) {
    List<JsonNode> items = Tree.list(src, "items");
    for (int i = 0; i < items.size(); i++) errs.addAll(keyToPath(items.get(i), p.child("items").index(i)));
  }

  static List<FieldError> keyToPath(JsonNode kp, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.str(kp, "key").isEmpty()) errs.add(Errs.required(p.child("key"), ""));
    String path = Tree.str(kp, "path");
    if (path.isEmpty()) errs.add(Errs.required(p.child("path"), ""));
    errs.addAll(Paths.localNonReserved(path, p.child("path")));
    fileMode(kp, "mode", p, errs);
    return errs;
  }

  static List<FieldError> downwardAPIFile(JsonNode file, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String path = Tree.str(file, "path");
    if (path.isEmpty()) errs.add(Errs.required(p.child("path"), ""));
    errs.addAll(Paths.localNonReserved(path, p.child("path")));
    JsonNode fieldRef = Tree.get(file, "fieldRef");
    JsonNode resourceRef = Tree.get(file, "resourceFieldRef");
    if (fieldRef != null) {
      errs.addAll(EnvValidation.objectFieldSelector(fieldRef, VOLUME_DOWNWARD_FIELDS, p.child("fieldRef")));
      if (resourceRef != null) {
        errs.add(Errs.invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
      }
    } else if (resourceRef != null) {
      errs.addAll(EnvValidation.resourceFieldSelector(resourceRef, p.child("resourceFieldRef"), true));
    } else {
      errs.add(Errs.required(p, "one of fieldRef and resourceFieldRef is required"));
    }
    fileMode(file, "mode", p, errs);
    return errs;
  }

  private static List<FieldError> projectionSources(JsonNode projected, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> allPaths = new HashSet<>();
    List<JsonNode> sources = Tree.list(projected, "sources");
    for (int i = 0; i < sources.size(); i++) {
      JsonNode source = sources.get(i);
      FieldPath srcPath = p.child("sources").index(i);
      int n = 0;
      for (String kind : List.of("secret", "configMap")) {
        JsonNode s = Tree.get(source, kind);
        if (s == null) continue;
        n++;
        FieldPath pp = srcPath.child(kind);
        if (Tree.str(s, "name").isEmpty()) errs.add(Errs.required(pp.child("name"), ""));
        List<JsonNode> items = Tree.list(s, "items");
        for (int k = 0; k < items.size(); k++) {
          errs.addAll(keyToPath(items.get(k), pp.child("items").index(k)));
          String path = Tree.str(items.get(k), "path");
          if (!path.isEmpty() && !allPaths.add(path)) errs.add(Errs.invalid(p, Tree.str(s, "name"), "conflicting duplicate paths"));
        }
      }
      JsonNode dapi = Tree.get(source, "downwardAPI");
      if (dapi != null) {
        n++;
        for (JsonNode file : Tree.list(dapi, "items")) {
          errs.addAll(downwardAPIFile(file, srcPath.child("downwardAPI")));
          String path = Tree.str(file, "path");
          if (!path.isEmpty() && !allPaths.add(path)) errs.add(Errs.invalid(p, path, "conflicting duplicate paths"));
        }
      }
      JsonNode sat = Tree.get(source, "serviceAccountToken");
      if (sat != null) {
        n++;
        FieldPath pp = srcPath.child("serviceAccountToken");
        long exp = Tree.num(sat, "expirationSeconds", 0);
        if (exp < 600) errs.add(Errs.invalid(pp.child("expirationSeconds"), exp, "may not specify a duration less than 10 minutes"));
        if (exp > (1L << 32)) errs.add(Errs.invalid(pp.child("expirationSeconds"), exp, "may not specify a duration larger than 2^32 seconds"));
        String path = Tree.str(sat, "path");
        if (path.isEmpty()) errs.add(Errs.required(p.child("path"), ""));
        else errs.addAll(Paths.localNonReserved(path, p.child("path")));
      }
      JsonNode ctb = Tree.get(source, "clusterTrustBundle");
      if (ctb != null) {
        n++;
        FieldPath pp = srcPath.child("clusterTrustBundlePEM");
        boolean byName = Tree.get(ctb, "name") != null;
        boolean bySigner = Tree.get(ctb, "signerName") != null;
        if (byName && bySigner) errs.add(Errs.invalid(pp, GoValue.json(ctb), "only one of name and signerName may be used"));
        else if (!byName && !bySigner) errs.add(Errs.required(pp, "either name or signerName must be specified"));
        String path = Tree.str(ctb, "path");
        if (path.isEmpty()) errs.add(Errs.required(pp.child("path"), ""));
        errs.addAll(Paths.localNonReserved(path, pp.child("path")));
        if (!allPaths.add(path)) errs.add(Errs.invalid(p, path, "conflicting duplicate paths"));
      }
      if (n > 1) errs.add(Errs.forbidden(srcPath, "may not specify more than 1 volume type"));
    }
    return errs;
  }

  /** ValidateCSIDriverName. */
  static List<FieldError> csiDriverName(String driver, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (driver.length() > 63) errs.add(Errs.tooLong(p, 63));
    for (String msg : NameValidation.isDNS1123Subdomain(driver.toLowerCase())) errs.add(Errs.invalid(p, driver, msg));
    return errs;
  }

  /** ValidateVolumeMounts. */
  static List<FieldError> mounts(JsonNode ctr, Map<String, JsonNode> vols, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, String> devices = new LinkedHashMap<>();
    for (JsonNode d : Tree.list(ctr, "volumeDevices")) devices.put(Tree.str(d, "name"), Tree.str(d, "devicePath"));
    Set<String> mountPoints = new HashSet<>();
    List<JsonNode> mounts = Tree.list(ctr, "volumeMounts");
    boolean privileged = Tree.isTrue(Tree.get(ctr, "securityContext"), "privileged");
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode m = mounts.get(i);
      FieldPath idx = p.index(i);
      String name = Tree.str(m, "name");
      String mountPath = Tree.str(m, "mountPath");
      if (name.isEmpty()) errs.add(Errs.required(idx.child("name"), ""));
      if (!vols.containsKey(name)) errs.add(Errs.notFound(idx.child("name"), name));
      if (mountPath.isEmpty()) errs.add(Errs.required(idx.child("mountPath"), ""));
      if (!mountPoints.add(mountPath)) errs.add(Errs.invalid(idx.child("mountPath"), mountPath, "must be unique"));
      if (devices.containsKey(name)) errs.add(Errs.invalid(idx.child("name"), name, "must not already exist in volumeDevices"));
      if (devices.containsValue(mountPath)) {
        errs.add(Errs.invalid(idx.child("mountPath"), mountPath, "must not already exist as a path in volumeDevices"));
      }
      String subPath = Tree.str(m, "subPath");
      if (!subPath.isEmpty()) errs.addAll(Paths.localDescending(subPath, p.child("subPath")));
      String subPathExpr = Tree.str(m, "subPathExpr");
      if (!subPathExpr.isEmpty()) {
        if (!subPath.isEmpty()) {
          errs.add(Errs.invalid(idx.child("subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive"));
        }
        errs.addAll(Paths.localDescending(subPathExpr, p.child("subPathExpr")));
      }
      String propagation = Tree.strOrNull(m, "mountPropagation");
      if (propagation != null) {
        FieldPath pp = p.child("mountPropagation");
        if (!List.of("Bidirectional", "HostToContainer", "None").contains(propagation)) {
          errs.add(Errs.notSupported(pp, propagation, "Bidirectional", "HostToContainer", "None"));
        }
        if (propagation.equals("Bidirectional") && !privileged) {
          errs.add(Errs.forbidden(pp, "Bidirectional mount propagation is available only to privileged containers"));
        }
      }
      String rro = Tree.strOrNull(m, "recursiveReadOnly");
      if (rro != null) {
        FieldPath rp = p.child("recursiveReadOnly");
        switch (rro) {
          case "Disabled" -> { }
          case "Enabled", "IfPossible" -> {
            if (!Tree.isTrue(m, "readOnly")) errs.add(Errs.forbidden(rp, "may only be specified when readOnly is true"));
            if (propagation != null && !propagation.equals("None")) {
              errs.add(Errs.forbidden(rp, "may only be specified when mountPropagation is None or not specified"));
            }
          }
          default -> errs.add(Errs.notSupported(rp, rro, "Disabled", "Enabled", "IfPossible"));
        }
      }
    }
    return errs;
  }

  /** ValidateVolumeDevices. */
  static List<FieldError> devices(JsonNode ctr, Map<String, JsonNode> vols, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, String> mounts = new LinkedHashMap<>();
    for (JsonNode m : Tree.list(ctr, "volumeMounts")) mounts.put(Tree.str(m, "name"), Tree.str(m, "mountPath"));
    Set<String> paths = new HashSet<>();
    Set<String> names = new HashSet<>();
    List<JsonNode> devs = Tree.list(ctr, "volumeDevices");
    for (int i = 0; i < devs.size(); i++) {
      JsonNode d = devs.get(i);
      FieldPath idx = p.index(i);
      String name = Tree.str(d, "name");
      String path = Tree.str(d, "devicePath");
      JsonNode vol = vols.get(name);
      boolean isPvc = vol != null && (Tree.has(vol, "persistentVolumeClaim") || Tree.has(vol, "ephemeral"));
      if (name.isEmpty()) errs.add(Errs.required(idx.child("name"), ""));
      if (names.contains(name)) errs.add(Errs.invalid(idx.child("name"), name, "must be unique"));
      if (vol != null && !isPvc) {
        errs.add(Errs.invalid(idx.child("name"), name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"));
      }
      if (vol == null) errs.add(Errs.notFound(idx.child("name"), name));
      if (path.isEmpty()) errs.add(Errs.required(idx.child("devicePath"), ""));
      if (paths.contains(path)) errs.add(Errs.invalid(idx.child("devicePath"), path, "must be unique"));
      if (!path.isEmpty() && !Paths.noBacksteps(path, idx).isEmpty()) {
        errs.add(Errs.invalid(idx.child("devicePath"), path, "can not contain backsteps ('..')"));
      } else {
        paths.add(path);
      }
      if (mounts.containsKey(name)) errs.add(Errs.invalid(idx.child("name"), name, "must not already exist in volumeMounts"));
      if (mounts.containsValue(path)) errs.add(Errs.invalid(idx.child("devicePath"), path, "must not already exist as a path in volumeMounts"));
      if (!name.isEmpty()) names.add(name);
    }
    return errs;
  }
}
