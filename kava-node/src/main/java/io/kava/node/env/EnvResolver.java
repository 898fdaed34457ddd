package io.kava.node.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Builds a container's environment as the kubelet's {@code makeEnvironmentVariables} does:
 *
 * <ol>
 *   <li>service link variables (see {@link ServiceEnv});
 *   <li>{@code envFrom} in order, with its prefix; keys that are not valid variable names are skipped and
 *       reported in {@link Resolved#warnings()} (the kubelet's InvalidEnvironmentVariableNames event);
 *   <li>{@code env} in order: {@code value} with {@code $(VAR)} expanded against what is defined so far
 *       (then the service variables; {@code $$} escapes), or {@code valueFrom} (configMapKeyRef,
 *       secretKeyRef, fieldRef, resourceFieldRef), never expanded.
 * </ol>
 *
 * {@link #expandCommand} then expands {@code $(VAR)} in command and args against the result.
 */
public final class EnvResolver {
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private final EnvSources sources;
  private final Supplier<NodeAllocatable> node;

  public EnvResolver(EnvSources sources, Supplier<NodeAllocatable> node) {
    this.sources = sources;
    this.node = node;
  }

  /** The pod's addresses as the runtime knows them now (the pod status may lag): primary first. */
  public record Addresses(List<String> hostIps, List<String> podIps) {}

  /** The environment in the order kava hands it to CRI, and warnings to record as events on the pod. */
  public record Resolved(List<EnvVar> env, List<String> warnings) {
    /** The environment as a map (for subPathExpr and command expansion). */
    public Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      for (EnvVar e : env) m.put(e.name(), e.value());
      return m;
    }
  }

  /**
   * Resolves {@code container}'s environment.
   *
   * @throws EnvException for a non-optional ConfigMap, Secret or key that is missing, or a bad field reference
   */
  public Resolved resolve(Pod pod, Container container, Addresses addresses) {
    String ns = pod.getMetadata().getNamespace();
    boolean links = pod.getSpec().getEnableServiceLinks() == null || pod.getSpec().getEnableServiceLinks();
    Map<String, String> serviceEnv = new LinkedHashMap<>();
    for (EnvVar e : ServiceEnv.forPod(ns, links, sources)) serviceEnv.put(e.name(), e.value());

    Map<String, String> env = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    if (container.getEnvFrom() != null) {
      for (EnvFromSource from : container.getEnvFrom()) envFrom(ns, from, env, warnings);
    }
    if (container.getEnv() != null) {
      for (io.fabric8.kubernetes.api.model.EnvVar v : container.getEnv()) {
        Optional<String> value = value(pod, container, v, env, serviceEnv, addresses);
        value.ifPresent(val -> env.put(v.getName(), val));
      }
    }
    List<EnvVar> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(new EnvVar(k, v)));
    serviceEnv.forEach((k, v) -> {
      if (!env.containsKey(k)) out.add(new EnvVar(k, v));
    });
    return new Resolved(List.copyOf(out), List.copyOf(warnings));
  }

  /** Command or args with {@code $(VAR)} expanded against the resolved environment (unknown names stay). */
  public static List<String> expandCommand(List<String> words, Map<String, String> env) {
    if (words == null) return List.of();
    var mapping = Expansion.mappingFor(env);
    return words.stream().map(w -> Expansion.expand(w, mapping)).toList();
  }

  private void envFrom(String ns, EnvFromSource from, Map<String, String> env, List<String> warnings) {
    String prefix = from.getPrefix() == null ? "" : from.getPrefix();
    Map<String, String> data;
    String kind;
    String name;
    if (from.getConfigMapRef() != null) {
      kind = "configMap";
      name = from.getConfigMapRef().getName();
      Optional<ConfigMap> cm = sources.configMap(ns, name);
      if (cm.isEmpty()) {
        if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) return;
        throw new EnvException("configmap \"" + name + "\" not found");
      }
      data = cm.get().getData() == null ? Map.of() : cm.get().getData();
    } else if (from.getSecretRef() != null) {
      kind = "secret";
      name = from.getSecretRef().getName();
      Optional<Secret> s = sources.secret(ns, name);
      if (s.isEmpty()) {
        if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) return;
        throw new EnvException("secret \"" + name + "\" not found");
      }
      data = secretStrings(s.get());
    } else {
      return;
    }
    TreeSet<String> invalid = new TreeSet<>();
    data.forEach((k, v) -> {
      String key = prefix + k;
      if (!isEnvVarName(key)) {
        invalid.add(key);
        return;
      }
      env.put(key, v);
    });
    if (!invalid.isEmpty()) {
      warnings.add("Keys [" + String.join(", ", invalid) + "] from the EnvFrom " + kind + " " + ns + "/" + name
          + " were skipped since they are considered invalid environment variable names.");
    }
  }

  private Optional<String> value(Pod pod, Container container, io.fabric8.kubernetes.api.model.EnvVar v,
      Map<String, String> env, Map<String, String> serviceEnv, Addresses addresses) {
    var from = v.getValueFrom();
    if (from == null) {
      return Optional.of(Expansion.expand(v.getValue() == null ? "" : v.getValue(), Expansion.mappingFor(env, serviceEnv)));
    }
    String ns = pod.getMetadata().getNamespace();
    if (from.getFieldRef() != null) {
      try {
        return Optional.of(PodFields.env(pod, from.getFieldRef().getFieldPath(), addresses.hostIps(), addresses.podIps()));
      } catch (IllegalArgumentException e) {
        throw new EnvException(e.getMessage());
      }
    }
    if (from.getResourceFieldRef() != null) {
      try {
        return Optional.of(ContainerResources.value(pod, container.getName(), from.getResourceFieldRef(), node.get()));
      } catch (IllegalArgumentException e) {
        throw new EnvException(e.getMessage());
      }
    }
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<ConfigMap> cm = sources.configMap(ns, ref.getName());
      if (cm.isEmpty()) {
        if (optional) return Optional.empty();
        throw new EnvException("configmap \"" + ref.getName() + "\" not found");
      }
      String val = cm.get().getData() == null ? null : cm.get().getData().get(ref.getKey());
      if (val == null) {
        if (optional) return Optional.empty();
        throw new EnvException("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return Optional.of(val);
    }
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<Secret> s = sources.secret(ns, ref.getName());
      if (s.isEmpty()) {
        if (optional) return Optional.empty();
        throw new EnvException("secret \"" + ref.getName() + "\" not found");
      }
      String val = secretStrings(s.get()).get(ref.getKey());
      if (val == null) {
        if (optional) return Optional.empty();
        throw new EnvException("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return Optional.of(val);
    }
    return Optional.of("");
  }

  private static Map<String, String> secretStrings(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) out.putAll(s.getStringData());
    return out;
  }

  /** Upstream's IsEnvVarName: the C-identifier-like pattern, and not {@code .}, {@code ..} or {@code ..*}. */
  static boolean isEnvVarName(String name) {
    return ENV_NAME.matcher(name).matches() && !name.equals(".") && !name.startsWith("..");
  }
}
