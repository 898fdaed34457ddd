package io.kava.apiserver.registry.defaults;

import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * core/v1 Pod defaulting: SetDefaults_Pod (pods only), SetDefaults_PodSpec and everything the generated defaulter
 * reaches inside a pod spec (containers, probes, volumes, downward API, resource lists). Templates get
 * {@link #podTemplateSpec} — the PodSpec part only, as upstream's templates do not get SetDefaults_Pod.
 */
public final class PodDefaults {
  private PodDefaults() {}

  /** SetObjectDefaults_Pod. */
  public static void pod(ObjectNode pod) {
    ObjectNode spec = D.objOrCreate(pod, "spec");
    podOnly(spec);
    podSpec(spec);
  }

  /** The template of a workload (Deployment, Job, PodTemplate ...): SetDefaults_PodSpec and nested defaults. */
  public static void podTemplateSpec(ObjectNode template) {
    if (template == null) return;
    ObjectNode spec = D.obj(template, "spec");
    if (spec != null) podSpec(spec);
  }

  /** SetDefaults_Pod: requests from limits, enableServiceLinks, host ports on the host network. */
  private static void podOnly(ObjectNode spec) {
    for (String kind : List.of("containers", "initContainers")) {
      for (ObjectNode c : D.objs(spec, kind)) {
        ObjectNode res = D.obj(c, "resources");
        ObjectNode limits = D.obj(res, "limits");
        // an empty requests map would be omitted when serialized, so only materialize it when there is a limit
        if (limits == null || limits.isEmpty()) continue;
        ObjectNode requests = D.objOrCreate(res, "requests");
        for (String k : limits.propertyNames()) {
          if (!requests.has(k) || requests.get(k).isNull()) requests.set(k, limits.get(k).deepCopy());
        }
      }
    }
    D.boolIfNil(spec, "enableServiceLinks", true);
    if (spec.path("hostNetwork").asBoolean(false)) {
      for (String kind : List.of("containers", "initContainers")) {
        for (ObjectNode c : D.objs(spec, kind)) {
          for (ObjectNode port : D.objs(c, "ports")) {
            if (D.isZeroNumber(port, "hostPort") && port.has("containerPort")) port.set("hostPort", port.get("containerPort").deepCopy());
          }
        }
      }
    }
  }

  /** SetDefaults_PodSpec plus the nested defaults of the generated defaulter. */
  static void podSpec(ObjectNode spec) {
    D.stringIfEmpty(spec, "dnsPolicy", "ClusterFirst");
    D.stringIfEmpty(spec, "restartPolicy", "Always");
    D.objectIfNil(spec, "securityContext");
    D.numberIfNil(spec, "terminationGracePeriodSeconds", 30);
    D.stringIfEmpty(spec, "schedulerName", "default-scheduler");
    for (ObjectNode v : D.objs(spec, "volumes")) volume(v);
    for (String kind : List.of("initContainers", "containers", "ephemeralContainers")) {
      for (ObjectNode c : D.objs(spec, kind)) container(c);
    }
    D.resourceList(spec, "overhead");
    ObjectNode podResources = D.obj(spec, "resources");
    if (podResources != null) {
      D.resourceList(podResources, "limits");
      D.resourceList(podResources, "requests");
    }
  }

  /** SetDefaults_Container and its nested defaults. */
  static void container(ObjectNode c) {
    if (D.isEmptyString(c, "imagePullPolicy")) c.put("imagePullPolicy", ImageNames.defaultPullPolicy(D.str(c, "image")));
    D.stringIfEmpty(c, "terminationMessagePath", "/dev/termination-log");
    D.stringIfEmpty(c, "terminationMessagePolicy", "File");
    for (ObjectNode port : D.objs(c, "ports")) D.stringIfEmpty(port, "protocol", "TCP");
    for (ObjectNode env : D.objs(c, "env")) {
      ObjectNode vf = D.obj(env, "valueFrom");
      if (vf == null) continue;
      ObjectNode fieldRef = D.obj(vf, "fieldRef");
      if (fieldRef != null) D.stringIfEmpty(fieldRef, "apiVersion", "v1");
      ObjectNode resourceRef = D.obj(vf, "resourceFieldRef");
      if (resourceRef != null) divisor(resourceRef);
    }
    // ResourceRequirements is a non-pointer struct: the server always writes it, as {} when empty
    ObjectNode res = D.objOrCreate(c, "resources");
    D.resourceList(res, "limits");
    D.resourceList(res, "requests");
    for (String p : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      ObjectNode probe = D.obj(c, p);
      if (probe == null) continue;
      D.numberIfZero(probe, "timeoutSeconds", 1);
      D.numberIfZero(probe, "periodSeconds", 10);
      D.numberIfZero(probe, "successThreshold", 1);
      D.numberIfZero(probe, "failureThreshold", 3);
      ObjectNode http = D.obj(probe, "httpGet");
      if (http != null) httpGet(http);
      ObjectNode grpc = D.obj(probe, "grpc");
      if (grpc != null) D.stringIfNil(grpc, "service", "");
    }
    ObjectNode lifecycle = D.obj(c, "lifecycle");
    if (lifecycle != null) {
      for (String h : List.of("postStart", "preStop")) {
        ObjectNode http = D.obj(D.obj(lifecycle, h), "httpGet");
        if (http != null) httpGet(http);
      }
    }
  }

  private static void httpGet(ObjectNode http) {
    D.stringIfEmpty(http, "path", "/");
    D.stringIfEmpty(http, "scheme", "HTTP");
  }

  /** ResourceFieldSelector.divisor is a non-pointer Quantity: the server writes "0" when it is unset. */
  private static void divisor(ObjectNode ref) {
    if (D.isNil(ref, "divisor")) ref.put("divisor", "0");
    else D.quantity(ref, "divisor");
  }

  private static final Set<String> NOT_A_SOURCE = Set.of("name");

  /** SetDefaults_Volume and the defaults of each source. */
  static void volume(ObjectNode v) {
    boolean hasSource = false;
    for (String f : v.propertyNames()) {
      if (!NOT_A_SOURCE.contains(f) && !v.get(f).isNull()) hasSource = true;
    }
    if (!hasSource) v.putObject("emptyDir");
    ObjectNode emptyDir = D.obj(v, "emptyDir");
    if (emptyDir != null) D.quantity(emptyDir, "sizeLimit");
    ObjectNode hostPath = D.obj(v, "hostPath");
    if (hostPath != null) D.stringIfNil(hostPath, "type", "");
    ObjectNode secret = D.obj(v, "secret");
    if (secret != null) D.numberIfNil(secret, "defaultMode", 420);
    ObjectNode configMap = D.obj(v, "configMap");
    if (configMap != null) D.numberIfNil(configMap, "defaultMode", 420);
    ObjectNode downward = D.obj(v, "downwardAPI");
    if (downward != null) {
      D.numberIfNil(downward, "defaultMode", 420);
      downwardItems(downward);
    }
    ObjectNode projected = D.obj(v, "projected");
    if (projected != null) {
      D.numberIfNil(projected, "defaultMode", 420);
      for (ObjectNode source : D.objs(projected, "sources")) {
        ObjectNode d = D.obj(source, "downwardAPI");
        if (d != null) downwardItems(d);
        ObjectNode sat = D.obj(source, "serviceAccountToken");
        if (sat != null) D.numberIfNil(sat, "expirationSeconds", 3600);
      }
    }
    ObjectNode iscsi = D.obj(v, "iscsi");
    if (iscsi != null) D.stringIfEmpty(iscsi, "iscsiInterface", "default");
    ObjectNode rbd = D.obj(v, "rbd");
    if (rbd != null) rbd(rbd);
    ObjectNode azureDisk = D.obj(v, "azureDisk");
    if (azureDisk != null) azureDisk(azureDisk);
    ObjectNode scaleIO = D.obj(v, "scaleIO");
    if (scaleIO != null) scaleIO(scaleIO);
    ObjectNode ephemeral = D.obj(v, "ephemeral");
    ObjectNode claimSpec = D.obj(D.obj(ephemeral, "volumeClaimTemplate"), "spec");
    if (claimSpec != null) CoreDefaults.pvcSpec(claimSpec);
    ObjectNode image = D.obj(v, "image");
    if (image != null && D.isEmptyString(image, "pullPolicy")) {
      image.put("pullPolicy", ImageNames.tag(D.str(image, "reference")).equals("latest") ? "Always" : "IfNotPresent");
    }
  }

  private static void downwardItems(ObjectNode downward) {
    for (ObjectNode item : D.objs(downward, "items")) {
      ObjectNode fieldRef = D.obj(item, "fieldRef");
      if (fieldRef != null) D.stringIfEmpty(fieldRef, "apiVersion", "v1");
      ObjectNode resourceRef = D.obj(item, "resourceFieldRef");
      if (resourceRef != null) divisor(resourceRef);
    }
  }

  static void rbd(ObjectNode rbd) {
    D.stringIfEmpty(rbd, "pool", "rbd");
    D.stringIfEmpty(rbd, "user", "admin");
    D.stringIfEmpty(rbd, "keyring", "/etc/ceph/keyring");
  }

  static void azureDisk(ObjectNode d) {
    D.stringIfNil(d, "cachingMode", "ReadWrite");
    D.stringIfNil(d, "kind", "Shared");
    D.stringIfNil(d, "fsType", "ext4");
    D.boolIfNil(d, "readOnly", false);
  }

  static void scaleIO(ObjectNode s) {
    D.stringIfEmpty(s, "storageMode", "ThinProvisioned");
    D.stringIfEmpty(s, "fsType", "xfs");
  }
}
