package io.kava.apiserver.registry.validation;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import io.kava.api.validation.IpValidation;
import io.kava.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** networking.k8s.io/v1: Ingress, IngressClass, NetworkPolicy. */
public final class NetworkingValidation {
  private NetworkingValidation() {}

  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final List<String> INVALID_PATH_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
  private static final List<String> INVALID_PATH_SUFFIXES = List.of("/..", "/.");

  // ---- Ingress -----------------------------------------------------------------------------------------------------

  public static List<FieldError> ingress(JsonNode ing) {
    List<FieldError> errs = ingressSpec(Tree.get(ing, "spec"));
    String ann = Tree.strOrNull(Tree.at(ing, "metadata", "annotations"), "kubernetes.io/ingress.class");
    String cls = Tree.strOrNull(Tree.get(ing, "spec"), "ingressClassName");
    if (ann != null && cls != null && !ann.equals(cls)) {
      errs.add(Errs.invalid(FieldPath.of("annotations").child("kubernetes.io/ingress.class"), ann, "must match `ingressClassName` when both are specified"));
    }
    return errs;
  }

  public static List<FieldError> ingressUpdate(JsonNode ing, JsonNode old) { return ingressSpec(Tree.get(ing, "spec")); }

  private static List<FieldError> ingressSpec(JsonNode spec) {
    List<FieldError> errs = new ArrayList<>();
    List<JsonNode> rules = Tree.list(spec, "rules");
    JsonNode defaultBackend = Tree.get(spec, "defaultBackend");
    if (rules.isEmpty() && defaultBackend == null) {
      errs.add(Errs.invalid(SPEC, new GoValue(Tree.get(spec, "rules") == null ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}"),
          "either `defaultBackend` or `rules` must be specified"));
    }
    if (defaultBackend != null) errs.addAll(backend(defaultBackend, SPEC.child("defaultBackend")));
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      FieldPath rp = SPEC.child("rules").index(i);
      String host = Tree.str(rule, "host");
      if (!host.isEmpty()) {
        if (IpValidation.parse(host, false) != null) errs.add(Errs.invalid(rp.child("host"), host, "must be a DNS name, not an IP address"));
        List<String> msgs = host.contains("*") ? NameValidation.isWildcardDNS1123Subdomain(host) : NameValidation.isDNS1123Subdomain(host);
        for (String msg : msgs) errs.add(Errs.invalid(rp.child("host"), host, msg));
      }
      JsonNode http = Tree.get(rule, "http");
      if (http != null) {
        FieldPath hp = rp.child("http");
        List<JsonNode> paths = Tree.list(http, "paths");
        if (paths.isEmpty()) errs.add(Errs.required(hp.child("paths"), ""));
        for (int j = 0; j < paths.size(); j++) errs.addAll(httpPath(paths.get(j), hp.child("paths").index(j)));
      }
    }
    List<JsonNode> tls = Tree.list(spec, "tls");
    for (int i = 0; i < tls.size(); i++) {
      FieldPath tp = SPEC.child("tls").index(i);
      List<String> hosts = Tree.strings(tls.get(i), "hosts");
      for (int j = 0; j < hosts.size(); j++) {
        String h = hosts.get(j);
        List<String> msgs = h.contains("*") ? NameValidation.isWildcardDNS1123Subdomain(h) : NameValidation.isDNS1123Subdomain(h);
        for (String msg : msgs) errs.add(Errs.invalid(tp.child("hosts").index(j), h, msg));
      }
      String secret = Tree.str(tls.get(i), "secretName");
      if (!secret.isEmpty()) for (String msg : NameValidation.isDNS1123Subdomain(secret)) errs.add(Errs.invalid(tp.child("secretName"), secret, msg));
    }
    String cls = Tree.strOrNull(spec, "ingressClassName");
    if (cls != null) for (String msg : NameValidation.isDNS1123Subdomain(cls)) errs.add(Errs.invalid(SPEC.child("ingressClassName"), cls, msg));
    return errs;
  }

  private static List<FieldError> httpPath(JsonNode path, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String type = Tree.strOrNull(path, "pathType");
    if (type == null) return List.of(Errs.required(p.child("pathType"), "pathType must be specified"));
    String value = Tree.str(path, "path");
    switch (type) {
      case "Exact", "Prefix" -> {
        if (!value.startsWith("/")) errs.add(Errs.invalid(p.child("path"), value, "must be an absolute path"));
        if (!value.isEmpty()) {
          for (String seq : INVALID_PATH_SEQUENCES) {
            if (value.contains(seq)) errs.add(Errs.invalid(p.child("path"), value, "must not contain '" + seq + "'"));
          }
          for (String suffix : INVALID_PATH_SUFFIXES) {
            if (value.endsWith(suffix)) errs.add(Errs.invalid(p.child("path"), value, "cannot end with '" + suffix + "'"));
          }
        }
      }
      case "ImplementationSpecific" -> {
        if (!value.isEmpty() && !value.startsWith("/")) errs.add(Errs.invalid(p.child("path"), value, "must be an absolute path"));
      }
      default -> errs.add(Errs.notSupported(p.child("pathType"), type, "Exact", "ImplementationSpecific", "Prefix"));
    }
    errs.addAll(backend(Tree.get(path, "backend"), p.child("backend")));
    return errs;
  }

  private static List<FieldError> backend(JsonNode backend, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode resource = Tree.get(backend, "resource");
    JsonNode service = Tree.get(backend, "service");
    if (resource != null && service != null) return List.of(Errs.invalid(p, "", "cannot set both resource and service backends"));
    if (resource != null) {
      errs.addAll(typedLocalObjectReference(resource, p.child("resource")));
    } else if (service != null) {
      String name = Tree.str(service, "name");
      if (name.isEmpty()) errs.add(Errs.required(p.child("service", "name"), ""));
      else for (String msg : NameValidation.nameIsDNS1035Label(name, false)) errs.add(Errs.invalid(p.child("service", "name"), name, msg));
      JsonNode port = Tree.get(service, "port");
      String portName = Tree.str(port, "name");
      long number = Tree.num(port, "number", 0);
      if (!portName.isEmpty() && number != 0) {
        errs.add(Errs.invalid(p, "", "cannot set both port name & port number"));
      } else if (!portName.isEmpty()) {
        for (String msg : NameValidation.isValidPortName(portName)) errs.add(Errs.invalid(p.child("service", "port", "name"), portName, msg));
      } else if (number != 0) {
        for (String msg : NameValidation.isValidPortNum(number)) errs.add(Errs.invalid(p.child("service", "port", "number"), number, msg));
      } else {
        errs.add(Errs.required(p, "port name or number is required"));
      }
    } else {
      errs.add(Errs.invalid(p, "", "resource or service backend is required"));
    }
    return errs;
  }

  private static List<FieldError> typedLocalObjectReference(JsonNode ref, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String group = Tree.strOrNull(ref, "apiGroup");
    if (group != null) for (String msg : NameValidation.isDNS1123Subdomain(group)) errs.add(Errs.invalid(p.child("apiGroup"), group, msg));
    for (String f : List.of("kind", "name")) {
      String v = Tree.str(ref, f);
      if (v.isEmpty()) errs.add(Errs.required(p.child(f), ""));
      else for (String msg : NameValidation.isValidPathSegmentName(v)) errs.add(Errs.invalid(p.child(f), v, msg));
    }
    return errs;
  }

  // ---- IngressClass ------------------------------------------------------------------------------------------------

  public static List<FieldError> ingressClass(JsonNode ic) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(ic, "spec");
    String controller = Tree.str(spec, "controller");
    FieldPath cp = SPEC.child("controller");
    if (controller.isEmpty()) {
      errs.add(Errs.required(cp, ""));
    } else {
      if (controller.length() > 250) errs.add(Errs.tooLong(cp, 250));
      errs.addAll(BatchValidation.domainPrefixedPath(cp, controller));
    }
    JsonNode params = Tree.get(spec, "parameters");
    if (params != null) {
      FieldPath pp = SPEC.child("parameters");
      String group = Tree.strOrNull(params, "apiGroup");
      if (group != null) for (String msg : NameValidation.isDNS1123Subdomain(group)) errs.add(Errs.invalid(pp.child("apiGroup"), group, msg));
      for (String f : List.of("kind", "name")) {
        String v = Tree.str(params, f);
        if (v.isEmpty()) errs.add(Errs.required(pp.child(f), ""));
        else for (String msg : NameValidation.isValidPathSegmentName(v)) errs.add(Errs.invalid(pp.child(f), v, msg));
      }
      String scope = Tree.strOrNull(params, "scope");
      String ns = Tree.strOrNull(params, "namespace");
      if (scope == null) {
        errs.add(Errs.required(pp.child("scope"), ""));
      } else if (!scope.equals("Namespace") && !scope.equals("Cluster")) {
        errs.add(Errs.notSupported(pp.child("scope"), scope, "Cluster", "Namespace"));
      } else if (scope.equals("Namespace")) {
        if (ns == null) errs.add(Errs.required(pp.child("namespace"), "`parameters.scope` is set to 'Namespace'"));
        else for (String msg : NameValidation.isDNS1123Label(ns)) errs.add(Errs.invalid(pp.child("namespace"), ns, msg));
      } else if (ns != null) {
        errs.add(Errs.forbidden(pp.child("namespace"), "`parameters.scope` is set to 'Cluster'"));
      }
    }
    return errs;
  }

  public static List<FieldError> ingressClassUpdate(JsonNode ic, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    String controller = Tree.str(Tree.get(ic, "spec"), "controller");
    if (!controller.equals(Tree.str(Tree.get(old, "spec"), "controller"))) errs.add(Errs.immutable(SPEC.child("controller"), controller));
    errs.addAll(ingressClass(ic));
    return errs;
  }

  // ---- NetworkPolicy -----------------------------------------------------------------------------------------------

  public static List<FieldError> networkPolicy(JsonNode np) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = Tree.get(np, "spec");
    errs.addAll(LabelSelectors.validate(Tree.get(spec, "podSelector"), SPEC.child("podSelector"), false));
    for (String dir : List.of("ingress", "egress")) {
      String peers = dir.equals("ingress") ? "from" : "to";
      List<JsonNode> rules = Tree.list(spec, dir);
      for (int i = 0; i < rules.size(); i++) {
        FieldPath rp = SPEC.child(dir).index(i);
        List<JsonNode> ports = Tree.list(rules.get(i), "ports");
        for (int j = 0; j < ports.size(); j++) errs.addAll(policyPort(ports.get(j), rp.child("ports").index(j)));
        List<JsonNode> ps = Tree.list(rules.get(i), peers);
        for (int j = 0; j < ps.size(); j++) errs.addAll(peer(ps.get(j), rp.child(peers).index(j)));
      }
    }
    List<String> types = Tree.strings(spec, "policyTypes");
    if (types.size() > 2) {
      errs.add(Errs.invalid(SPEC.child("policyTypes"), GoValue.stringSlice("networking.PolicyType", types),
          "may not specify more than two policyTypes"));
      return errs;
    }
    for (int i = 0; i < types.size(); i++) {
      if (!types.get(i).equals("Ingress") && !types.get(i).equals("Egress")) {
        errs.add(Errs.notSupported(SPEC.child("policyTypes").index(i), types.get(i), "Ingress", "Egress"));
      }
    }
    return errs;
  }

  private static List<FieldError> policyPort(JsonNode port, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String protocol = Tree.strOrNull(port, "protocol");
    if (protocol != null && !List.of("TCP", "UDP", "SCTP").contains(protocol)) {
      errs.add(Errs.notSupported(p.child("protocol"), protocol, "TCP", "UDP", "SCTP"));
    }
    JsonNode pv = Tree.get(port, "port");
    Long endPort = Tree.num(port, "endPort");
    if (pv != null) {
      if (pv.isNumber()) {
        long n = pv.asLong();
        for (String msg : NameValidation.isValidPortNum(n)) errs.add(Errs.invalid(p.child("port"), n, msg));
        if (endPort != null) {
          if (endPort < n) errs.add(Errs.invalid(p.child("endPort"), endPort, "must be greater than or equal to `port`"));
          for (String msg : NameValidation.isValidPortNum(endPort)) errs.add(Errs.invalid(p.child("endPort"), endPort, msg));
        }
      } else {
        if (endPort != null) errs.add(Errs.invalid(p.child("endPort"), endPort, "may not be specified when `port` is non-numeric"));
        for (String msg : NameValidation.isValidPortName(pv.asString())) errs.add(Errs.invalid(p.child("port"), pv.asString(), msg));
      }
    } else if (endPort != null) {
      errs.add(Errs.invalid(p.child("endPort"), endPort, "may not be specified when `port` is not specified"));
    }
    return errs;
  }

  private static List<FieldError> peer(JsonNode peer, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    int n = 0;
    for (String f : List.of("podSelector", "namespaceSelector")) {
      JsonNode sel = Tree.get(peer, f);
      if (sel == null) continue;
      n++;
      errs.addAll(LabelSelectors.validate(sel, p.child(f), false));
    }
    JsonNode ipBlock = Tree.get(peer, "ipBlock");
    if (ipBlock != null) {
      n++;
      FieldPath bp = p.child("ipBlock");
      String cidr = Tree.str(ipBlock, "cidr");
      if (cidr.isEmpty()) {
        errs.add(Errs.required(bp.child("cidr"), ""));
      } else {
        errs.addAll(IpValidation.isValidCIDRForLegacyField(bp.child("cidr"), cidr, false, null));
        IpValidation.Cidr outer = IpValidation.parseCidr(cidr, false);
        List<String> except = Tree.strings(ipBlock, "except");
        for (int i = 0; i < except.size(); i++) {
          FieldPath ep = bp.child("except").index(i);
          errs.addAll(IpValidation.isValidCIDRForLegacyField(ep, except.get(i), false, null));
          IpValidation.Cidr inner = IpValidation.parseCidr(except.get(i), false);
          if (outer == null || inner == null) continue;
          if (!contains(outer, inner) || outer.prefixLength() >= inner.prefixLength()) {
            errs.add(Errs.invalid(ep, except.get(i), "must be a strict subset of `cidr`"));
          }
        }
      }
    }
    if (n == 0) errs.add(Errs.required(p, "must specify a peer"));
    else if (n > 1 && ipBlock != null) errs.add(Errs.forbidden(p, "may not specify both ipBlock and another peer"));
    return errs;
  }

  private static boolean contains(IpValidation.Cidr outer, IpValidation.Cidr inner) {
    byte[] net = outer.network();
    byte[] ip = inner.address();
    if (net.length != ip.length) return false;
    for (int i = 0; i < net.length; i++) {
      int bits = Math.max(0, Math.min(8, outer.prefixLength() - i * 8));
      int mask = (0xff << (8 - bits)) & 0xff;
      if ((ip[i] & mask) != (net[i] & mask)) return false;
    }
    return true;
  }
}
