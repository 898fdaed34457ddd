package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.IpValidation;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Service validation (ValidateService, ValidateServiceUpdate and their helpers). */
public final class ServiceValidation {
  private ServiceValidation() {}

  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final FieldPath SPEC = FieldPath.of("spec");

  public static List<FieldError> validate(JsonNode svc) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(svc, "spec");
    JsonNode meta = Tree.get(svc, "metadata");
    String hints = annotation(meta, "service.kubernetes.io/topology-aware-hints");
    String mode = annotation(meta, "service.kubernetes.io/topology-mode");
    if (hints != null && mode != null && !hints.equals(mode)) {
      errs.add(Errs.invalid(FieldPath.of("metadata", "annotations").key("service.kubernetes.io/topology-mode"), mode,
          "must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified"));
    }
    String type = Tree.str(spec, "type");
    boolean headless = isHeadless(spec);
    List<String> clusterIPs = Tree.strings(spec, "clusterIPs");
    List<JsonNode> ports = Tree.list(spec, "ports");
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) errs.add(Errs.required(SPEC.child("ports"), ""));
    switch (type) {
      case "LoadBalancer", "NodePort" -> {
        if (headless) {
          errs.add(Errs.invalid(SPEC.child("clusterIPs").index(0), clusterIPs.get(0), "may not be set to 'None' for " + type + " services"));
        }
      }
      case "ExternalName" -> {
        if (!clusterIPs.isEmpty()) errs.add(Errs.forbidden(SPEC.child("clusterIPs"), "may not be set for ExternalName services"));
        if (Tree.size(spec, "ipFamilies") > 0) errs.add(Errs.forbidden(SPEC.child("ipFamilies"), "may not be set for ExternalName services"));
        if (Tree.has(spec, "ipFamilyPolicy")) errs.add(Errs.forbidden(SPEC.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
        String cname = Tree.str(spec, "externalName");
        if (cname.endsWith(".")) cname = cname.substring(0, cname.length() - 1);
        if (!cname.isEmpty()) {
          for (String msg : NameValidation.isDNS1123Subdomain(cname)) errs.add(Errs.invalid(SPEC.child("externalName"), cname, msg));
        } else {
          errs.add(Errs.required(SPEC.child("externalName"), ""));
        }
      }
      default -> { }
    }
    Set<String> portNames = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) errs.addAll(port(ports.get(i), ports.size() > 1, portNames, SPEC.child("ports").index(i)));
    if (Tree.get(spec, "selector") != null) {
      errs.addAll(LabelSelectors.validateLabels(Tree.strMap(spec, "selector"), SPEC.child("selector")));
    }
    String affinity = Tree.str(spec, "sessionAffinity");
    if (affinity.isEmpty()) errs.add(Errs.required(SPEC.child("sessionAffinity"), ""));
    else if (!affinity.equals("ClientIP") && !affinity.equals("None")) {
      errs.add(Errs.notSupported(SPEC.child("sessionAffinity"), affinity, "ClientIP", "None"));
    }
    JsonNode affinityConfig = Tree.get(spec, "sessionAffinityConfig");
    if (affinity.equals("ClientIP")) {
      FieldPath cp = SPEC.child("sessionAffinityConfig");
      JsonNode clientIP = Tree.get(affinityConfig, "clientIP");
      if (affinityConfig == null) errs.add(Errs.required(cp, "when session affinity type is ClientIP"));
      else if (clientIP == null) errs.add(Errs.required(cp.child("clientIP"), "when session affinity type is ClientIP"));
      else if (Tree.num(clientIP, "timeoutSeconds") == null) {
        errs.add(Errs.required(cp.child("clientIP").child("timeoutSeconds"), "when session affinity type is ClientIP"));
      } else {
        long t = Tree.num(clientIP, "timeoutSeconds");
        if (t <= 0 || t > 86400) errs.add(Errs.invalid(cp.child("clientIP").child("timeoutSeconds"), t, "must be greater than 0 and less than 86400"));
      }
    } else if (affinity.equals("None") && affinityConfig != null) {
      errs.add(Errs.forbidden(SPEC.child("sessionAffinityConfig"), "must not be set when session affinity is None"));
    }
    errs.addAll(clusterIPsRelated(spec));
    List<String> externalIPs = Tree.strings(spec, "externalIPs");
    for (int i = 0; i < externalIPs.size(); i++) {
      FieldPath ip = SPEC.child("externalIPs").index(i);
      List<FieldError> ipErrs = IpValidation.isValidIPForLegacyField(ip, externalIPs.get(i), false, null);
      if (!ipErrs.isEmpty()) errs.addAll(ipErrs);
      else errs.addAll(nonSpecialIP(externalIPs.get(i), ip));
    }
    if (type.isEmpty()) errs.add(Errs.required(SPEC.child("type"), ""));
    else if (!List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName").contains(type)) {
      errs.add(Errs.notSupported(SPEC.child("type"), type, "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"));
    }
    if (type.equals("ClusterIP")) {
      for (int i = 0; i < ports.size(); i++) {
        if (Tree.num(ports.get(i), "nodePort", 0) != 0) {
          errs.add(Errs.forbidden(SPEC.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
        }
      }
    }
    Set<String> nodePorts = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      long np = Tree.num(ports.get(i), "nodePort", 0);
      if (np == 0) continue;
      if (!nodePorts.add(Tree.str(ports.get(i), "protocol") + "/" + np)) errs.add(Errs.duplicate(SPEC.child("ports").index(i).child("nodePort"), np));
    }
    Set<String> portKeys = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      String protocol = Tree.str(ports.get(i), "protocol");
      long port = Tree.num(ports.get(i), "port", 0);
      if (!portKeys.add(protocol + "/" + port)) {
        errs.add(Errs.duplicate(SPEC.child("ports").index(i), new GoValue("core.ServicePort{Name:\"\", Protocol:" + GoValue.quote(protocol)
            + ", AppProtocol:(*string)(nil), Port:" + port + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
      }
    }
    List<String> sourceRanges = Tree.strings(spec, "loadBalancerSourceRanges");
    if (!sourceRanges.isEmpty()) {
      FieldPath rp = SPEC.child("LoadBalancerSourceRanges");
      if (!type.equals("LoadBalancer")) errs.add(Errs.forbidden(rp, "may only be used when `type` is 'LoadBalancer'"));
      for (int i = 0; i < sourceRanges.size(); i++) {
        errs.addAll(IpValidation.isValidCIDRForLegacyField(rp.index(i), sourceRanges.get(i).strip(), false, null));
      }
    } else {
      String ann = annotation(meta, "service.beta.kubernetes.io/load-balancer-source-ranges");
      if (ann != null) {
        FieldPath ap = FieldPath.of("metadata", "annotations").key("service.beta.kubernetes.io/load-balancer-source-ranges");
        if (!type.equals("LoadBalancer")) errs.add(Errs.forbidden(ap, "may only be used when `type` is 'LoadBalancer'"));
        if (!ann.strip().isEmpty()) {
          for (String cidr : ann.strip().split(",")) errs.addAll(IpValidation.isValidCIDRForLegacyField(ap, cidr.strip(), false, null));
        }
      }
    }
    if (Tree.has(spec, "allocateLoadBalancerNodePorts") && !type.equals("LoadBalancer")) {
      errs.add(Errs.forbidden(SPEC.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"));
    }
    if (type.equals("LoadBalancer") && !Tree.has(spec, "allocateLoadBalancerNodePorts")) {
      errs.add(Errs.required(FieldPath.of("allocateLoadBalancerNodePorts"), ""));
    }
    errs.addAll(loadBalancerClass(null, spec));
    errs.addAll(externalTrafficPolicy(spec));
    String itp = Tree.strOrNull(spec, "internalTrafficPolicy");
    if (itp == null) {
      if (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP")) {
        errs.add(Errs.required(SPEC.child("internalTrafficPolicy"), ""));
      }
    } else if (!itp.equals("Cluster") && !itp.equals("Local")) {
      errs.add(Errs.notSupported(SPEC.child("internalTrafficPolicy"), itp, "Cluster", "Local"));
    }
    String td = Tree.strOrNull(spec, "trafficDistribution");
    if (td != null && !List.of("PreferClose", "PreferSameZone", "PreferSameNode").contains(td)) {
      errs.add(Errs.notSupported(SPEC.child("trafficDistribution"), td, "PreferClose", "PreferSameZone", "PreferSameNode"));
    }
    return errs;
  }

  private static String annotation(JsonNode meta, String key) {
    JsonNode a = Tree.get(meta, "annotations");
    JsonNode v = Tree.get(a, key);
    return v == null ? null : v.asString();
  }

  static boolean isHeadless(JsonNode spec) {
    List<String> ips = Tree.strings(spec, "clusterIPs");
    return ips.size() == 1 && ips.get(0).equals("None");
  }

  private static List<FieldError> port(JsonNode sp, boolean requireName, Set<String> names, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String name = Tree.str(sp, "name");
    if (requireName && name.isEmpty()) {
      errs.add(Errs.required(p.child("name"), ""));
    } else if (!name.isEmpty()) {
      for (String msg : NameValidation.isDNS1123Label(name)) errs.add(Errs.invalid(p.child("name"), name, msg));
      if (!names.add(name)) errs.add(Errs.duplicate(p.child("name"), name));
    }
    long port = Tree.num(sp, "port", 0);
    for (String msg : NameValidation.isValidPortNum(port)) errs.add(Errs.invalid(p.child("port"), port, msg));
    String protocol = Tree.str(sp, "protocol");
    if (protocol.isEmpty()) errs.add(Errs.required(p.child("protocol"), ""));
    else if (!PROTOCOLS.contains(protocol)) errs.add(Errs.notSupported(p.child("protocol"), protocol, PROTOCOLS));
    errs.addAll(PodValidation.portNumOrName(Tree.get(sp, "targetPort"), p.child("targetPort")));
    String appProtocol = Tree.strOrNull(sp, "appProtocol");
    if (appProtocol != null) {
      for (String msg : NameValidation.isQualifiedName(appProtocol)) errs.add(Errs.invalid(p.child("appProtocol"), appProtocol, msg));
    }
    return errs;
  }

  /** ValidateServiceClusterIPsRelatedFields. */
  private static List<FieldError> clusterIPsRelated(JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.str(spec, "type").equals("ExternalName")) return errs;
    FieldPath ipsPath = SPEC.child("clusterIPs");
    String clusterIP = Tree.str(spec, "clusterIP");
    List<String> ips = Tree.strings(spec, "clusterIPs");
    GoValue ipsValue = GoValue.stringSlice("string", ips);
    if (!clusterIP.isEmpty()) {
      if (ips.isEmpty()) errs.add(Errs.required(ipsPath, ""));
      else if (!ips.get(0).equals(clusterIP)) errs.add(Errs.invalid(ipsPath, ipsValue, "first value must match `clusterIP`"));
    } else if (!ips.isEmpty()) {
      errs.add(Errs.invalid(ipsPath, ipsValue, "must be empty when `clusterIP` is not specified"));
    }
    List<String> families = Tree.strings(spec, "ipFamilies");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < families.size(); i++) {
      String f = families.get(i);
      if (!f.equals("IPv4") && !f.equals("IPv6")) errs.add(Errs.notSupported(SPEC.child("ipFamilies").index(i), f, "IPv4", "IPv6"));
      if (!seen.add(f)) errs.add(Errs.duplicate(SPEC.child("ipFamilies").index(i), f));
    }
    String policy = Tree.strOrNull(spec, "ipFamilyPolicy");
    if (policy != null && !List.of("SingleStack", "PreferDualStack", "RequireDualStack").contains(policy)) {
      errs.add(Errs.notSupported(SPEC.child("ipFamilyPolicy"), policy, "PreferDualStack", "RequireDualStack", "SingleStack"));
    }
    boolean invalidIPs = false;
    for (int i = 0; i < ips.size(); i++) {
      if (i == 0 && ips.get(i).equals("None")) {
        if (ips.size() > 1) {
          invalidIPs = true;
          errs.add(Errs.invalid(ipsPath, ipsValue, "'None' must be the first and only value"));
        }
        continue;
      }
      List<FieldError> ipErrs = IpValidation.isValidIPForLegacyField(ipsPath.index(i), ips.get(i), false, null);
      invalidIPs |= !ipErrs.isEmpty();
      errs.addAll(ipErrs);
    }
    if (ips.size() > 2) errs.add(Errs.invalid(ipsPath, ipsValue, "may only hold up to 2 values"));
    if (invalidIPs) return errs;
    if (ips.size() > 1 && isV6(ips.get(0)) == isV6(ips.get(1))) {
      errs.add(Errs.invalid(ipsPath, ipsValue, "may specify no more than one IP for each IP family"));
    }
    if (!isHeadless(spec) && !ips.isEmpty() && !families.isEmpty()) {
      for (int i = 0; i < ips.size() && i < families.size(); i++) {
        if (families.get(i).equals("IPv4") && isV6(ips.get(i))) {
          errs.add(Errs.invalid(ipsPath.index(i), ips.get(i), "expected an IPv4 value as indicated by `ipFamilies[" + i + "]`"));
        }
        if (families.get(i).equals("IPv6") && !isV6(ips.get(i))) {
          errs.add(Errs.invalid(ipsPath.index(i), ips.get(i), "expected an IPv6 value as indicated by `ipFamilies[" + i + "]`"));
        }
      }
    }
    return errs;
  }

  private static boolean isV6(String ip) { return ip.contains(":"); }

  /** ValidateNonSpecialIP. */
  static List<FieldError> nonSpecialIP(String ip, FieldPath p) {
    byte[] b = IpValidation.parse(ip, false);
    if (b == null) return List.of(Errs.invalid(p, ip, "must be a valid IP address"));
    List<FieldError> errs = new ArrayList<>();
    boolean v4 = b.length == 4 || IpValidation.isIPv4Mapped(b);
    int o = b.length - 4;
    boolean allZero = true;
    for (byte x : b) allZero &= x == 0;
    if (allZero || (v4 && b[o] == 0 && b[o + 1] == 0 && b[o + 2] == 0 && b[o + 3] == 0)) {
      errs.add(Errs.invalid(p, ip, "may not be unspecified (" + ip + ")"));
    }
    boolean loopback = v4 ? (b[o] & 0xff) == 127 : isV6Loopback(b);
    if (loopback) errs.add(Errs.invalid(p, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
    boolean linkLocal = v4 ? ((b[o] & 0xff) == 169 && (b[o + 1] & 0xff) == 254) : ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80);
    if (linkLocal) errs.add(Errs.invalid(p, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
    boolean llMulticast = v4 ? ((b[o] & 0xff) == 224 && b[o + 1] == 0 && b[o + 2] == 0) : ((b[0] & 0xff) == 0xff && (b[1] & 0x0f) == 0x02);
    if (llMulticast) errs.add(Errs.invalid(p, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
    return errs;
  }

  private static boolean isV6Loopback(byte[] b) {
    for (int i = 0; i < 15; i++) if (b[i] != 0) return false;
    return b[15] == 1;
  }

  private static List<FieldError> loadBalancerClass(JsonNode oldSpec, JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    boolean lb = Tree.str(spec, "type").equals("LoadBalancer");
    String cls = Tree.strOrNull(spec, "loadBalancerClass");
    if (oldSpec != null && lb && Tree.str(oldSpec, "type").equals("LoadBalancer")
        && !Objects.equals(Tree.strOrNull(oldSpec, "loadBalancerClass"), cls)) {
      errs.add(Errs.invalid(SPEC.child("loadBalancerClass"), cls, "may not change once set"));
    }
    if (lb) {
      if (cls != null) for (String msg : NameValidation.isQualifiedName(cls)) errs.add(Errs.invalid(SPEC.child("loadBalancerClass"), cls, msg));
    } else if (cls != null) {
      errs.add(Errs.forbidden(SPEC.child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"));
    }
    return errs;
  }

  /** ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with external IPs. */
  public static boolean externallyAccessible(JsonNode spec) {
    String type = Tree.str(spec, "type");
    return type.equals("LoadBalancer") || type.equals("NodePort") || (type.equals("ClusterIP") && Tree.size(spec, "externalIPs") > 0);
  }

  static boolean needsHealthCheck(JsonNode spec) {
    return Tree.str(spec, "type").equals("LoadBalancer") && Tree.str(spec, "externalTrafficPolicy").equals("Local");
  }

  private static List<FieldError> externalTrafficPolicy(JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    String etp = Tree.str(spec, "externalTrafficPolicy");
    if (!externallyAccessible(spec)) {
      if (!etp.isEmpty()) errs.add(Errs.invalid(SPEC.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services"));
    } else if (etp.isEmpty()) {
      errs.add(Errs.required(SPEC.child("externalTrafficPolicy"), ""));
    } else if (!etp.equals("Cluster") && !etp.equals("Local")) {
      errs.add(Errs.notSupported(SPEC.child("externalTrafficPolicy"), etp, "Cluster", "Local"));
    }
    long hc = Tree.num(spec, "healthCheckNodePort", 0);
    if (!needsHealthCheck(spec)) {
      if (hc != 0) {
        errs.add(Errs.invalid(SPEC.child("healthCheckNodePort"), hc,
            "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
      }
    } else if (hc == 0) {
      errs.add(Errs.required(SPEC.child("healthCheckNodePort"), ""));
    } else {
      for (String msg : NameValidation.isValidPortNum(hc)) errs.add(Errs.invalid(SPEC.child("healthCheckNodePort"), hc, msg));
    }
    return errs;
  }

  /** ValidateServiceUpdate (without metadata). */
  public static List<FieldError> validateUpdate(JsonNode svc, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(svc, "spec");
    JsonNode oldSpec = Tree.get(old, "spec");
    errs.addAll(upgradeDowngradeClusterIPs(oldSpec, spec));
    errs.addAll(upgradeDowngradeIPFamilies(oldSpec, spec));
    errs.addAll(loadBalancerClass(oldSpec, spec).stream().filter(e -> e.detail().equals("may not change once set")).toList());
    if (needsHealthCheck(oldSpec) && needsHealthCheck(spec)
        && Tree.num(spec, "healthCheckNodePort", 0) != Tree.num(oldSpec, "healthCheckNodePort", 0)) {
      errs.add(Errs.forbidden(SPEC.child("healthCheckNodePort"), Errs.IMMUTABLE));
    }
    errs.addAll(validate(svc));
    return errs;
  }

  private static List<FieldError> upgradeDowngradeClusterIPs(JsonNode oldSpec, JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.str(spec, "type").equals("ExternalName") || Tree.str(oldSpec, "type").equals("ExternalName")) return errs;
    if (isHeadless(oldSpec) && isHeadless(spec)) return errs;
    List<String> oldIPs = Tree.strings(oldSpec, "clusterIPs");
    List<String> ips = Tree.strings(spec, "clusterIPs");
    GoValue v = GoValue.stringSlice("string", ips.isEmpty() && Tree.get(spec, "clusterIPs") == null ? null : ips);
    FieldPath p = SPEC.child("clusterIPs");
    if (oldIPs.size() == ips.size()) {
      for (int i = 0; i < oldIPs.size(); i++) {
        if (!oldIPs.get(i).equals(ips.get(i))) errs.add(Errs.invalid(p.index(i), v, "may not change once set"));
      }
    } else if (oldIPs.size() > ips.size()) {
      if (ips.isEmpty()) errs.add(Errs.invalid(p.index(0), v, "primary clusterIP can not be unset"));
      if (!oldIPs.isEmpty() && !ips.isEmpty() && !ips.get(0).equals(oldIPs.get(0))) errs.add(Errs.invalid(p.index(0), v, "may not change once set"));
      if (ips.size() == 1 && !"SingleStack".equals(Tree.strOrNull(spec, "ipFamilyPolicy"))) {
        errs.add(Errs.invalid(SPEC.child("ipFamilyPolicy"), Tree.strOrNull(spec, "ipFamilyPolicy"),
            "must be set to 'SingleStack' when releasing the secondary clusterIP"));
      }
    } else if (!oldIPs.isEmpty() && !ips.get(0).equals(oldIPs.get(0))) {
      errs.add(Errs.invalid(p.index(0), v, "may not change once set"));
    }
    return errs;
  }

  private static List<FieldError> upgradeDowngradeIPFamilies(JsonNode oldSpec, JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    if (Tree.str(spec, "type").equals("ExternalName") || Tree.str(oldSpec, "type").equals("ExternalName")) return errs;
    if (isHeadless(oldSpec) != isHeadless(spec) || isHeadless(spec)) return errs;
    List<String> oldF = Tree.strings(oldSpec, "ipFamilies");
    List<String> f = Tree.strings(spec, "ipFamilies");
    FieldPath p = SPEC.child("ipFamilies").index(0);
    GoValue famValue = GoValue.stringSlice("core.IPFamily", f);
    GoValue ipsValue = GoValue.stringSlice("string", Tree.strings(spec, "clusterIPs"));
    if (oldF.size() == f.size()) {
      for (int i = 0; i < oldF.size(); i++) if (!oldF.get(i).equals(f.get(i))) errs.add(Errs.invalid(p, famValue, "may not change once set"));
    } else if (oldF.size() > f.size()) {
      if (Tree.size(spec, "clusterIPs") == 0) errs.add(Errs.invalid(p, famValue, "primary ipFamily can not be unset"));
      if (!f.isEmpty() && !f.get(0).equals(oldF.get(0))) errs.add(Errs.invalid(p, ipsValue, "may not change once set"));
      if (f.size() == 1 && !"SingleStack".equals(Tree.strOrNull(spec, "ipFamilyPolicy"))) {
        errs.add(Errs.invalid(SPEC.child("ipFamilyPolicy"), Tree.strOrNull(spec, "ipFamilyPolicy"),
            "must be set to 'SingleStack' when releasing the secondary ipFamily"));
      }
    } else if (!oldF.isEmpty() && !f.isEmpty() && !f.get(0).equals(oldF.get(0))) {
      errs.add(Errs.invalid(p, ipsValue, "may not change once set"));
    }
    return errs;
  }
}
