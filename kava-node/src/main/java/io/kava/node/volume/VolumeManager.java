package io.kava.node.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kava.api.quantity.Quantity;
import io.kava.node.env.Expansion;
import io.kava.node.env.NodeAllocatable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up a pod's volumes on the node and answers the CRI mounts of its containers, as the kubelet's volume
 * manager and plugins do. Layout: {@code PODS_DIR/<pod uid>/volumes/kubernetes.io~<plugin>/<volume name>} for
 * emptyDir, configMap, secret, downwardAPI and projected volumes; hostPath and PVCs bound to hostPath/local
 * persistent volumes are mounted from where they are.
 *
 * <p>Use: {@link #setUp} before creating the pod's containers (idempotent; throws a {@link VolumeException}
 * worded like the kubelet's {@code MountVolume.SetUp failed for volume ...} event), then {@link #mounts} for each
 * container. Call {@link #refresh} for every running pod about every 30 seconds so that configMap, secret,
 * downwardAPI and projected contents (and service account tokens) follow the API within a minute; files are
 * rewritten only when their content changed. {@link #tearDown} after the pod's containers are gone.
 *
 * <p>Thread-safety: calls for different pods may run concurrently; calls for one pod must not (the pod worker
 * serialises them).
 */
public final class VolumeManager {
  public static final String EMPTY_DIR = "kubernetes.io~empty-dir";
  public static final String CONFIG_MAP = "kubernetes.io~configmap";
  public static final String SECRET = "kubernetes.io~secret";
  public static final String DOWNWARD_API = "kubernetes.io~downward-api";
  public static final String PROJECTED = "kubernetes.io~projected";
  /** A token is renewed after 80% of its lifetime or after 24 hours, as the kubelet's token manager does. */
  static final Duration MAX_TOKEN_AGE = Duration.ofHours(24);
  static final long DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

  private static final Logger log = LoggerFactory.getLogger(VolumeManager.class);

  private final Path podsDir;
  private final VolumeSources sources;
  private final Mounter mounter;
  private final Supplier<NodeAllocatable> node;
  private final Clock clock;
  private final ConcurrentMap<String, PodState> pods = new ConcurrentHashMap<>();

  /**
   * @param podsDir the node's pods directory ({@code DATA_DIR/pods})
   * @param node the node's allocatable resources (downward API defaults, memory-backed volume sizes)
   */
  public VolumeManager(Path podsDir, VolumeSources sources, Mounter mounter, Supplier<NodeAllocatable> node, Clock clock) {
    this.podsDir = podsDir;
    this.sources = sources;
    this.mounter = mounter;
    this.node = node;
    this.clock = clock;
  }

  /** A set-up volume: where it is on the host, and whether every mount of it is read-only. */
  public record SetUpVolume(String name, Path hostPath, boolean readOnly) {}

  private static final class PodState {
    final Map<String, SetUpVolume> volumes = new ConcurrentHashMap<>();
    /** Service account tokens by volume name + "/" + path. */
    final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
  }

  private record IssuedToken(byte[] token, Instant refreshAt, List<String> audiences, long expirationSeconds) {}

  /** The directory of one volume of a plugin that lives under the pods dir. */
  public Path volumeDir(String podUid, String plugin, String volumeName) {
    return podsDir.resolve(podUid).resolve("volumes").resolve(plugin).resolve(volumeName);
  }

  /**
   * Sets up every volume of the pod that is not set up yet.
   *
   * @return the volumes by name
   * @throws VolumeException naming each volume that failed (the others stay set up)
   */
  public Map<String, SetUpVolume> setUp(Pod pod) {
    String uid = pod.getMetadata().getUid();
    PodState state = pods.computeIfAbsent(uid, u -> new PodState());
    List<String> errors = new ArrayList<>();
    for (Volume v : volumes(pod)) {
      if (state.volumes.containsKey(v.getName())) continue;
      try {
        state.volumes.put(v.getName(), setUpVolume(pod, v, state));
      } catch (VolumeException | IllegalArgumentException e) {
        errors.add("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e.getMessage());
      } catch (IOException e) {
        errors.add("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e);
      }
    }
    if (!errors.isEmpty()) throw new VolumeException(String.join("; ", errors));
    return Map.copyOf(state.volumes);
  }

  /**
   * The CRI mounts of one container, in the order of its volumeMounts.
   *
   * @param env the container's resolved environment, for {@code subPathExpr}
   * @throws VolumeException for a volume not set up, a bad subPath, or an invalid propagation
   */
  public List<ContainerMount> mounts(Pod pod, Container container, Map<String, String> env) {
    PodState state = pods.get(pod.getMetadata().getUid());
    List<ContainerMount> out = new ArrayList<>();
    if (container.getVolumeMounts() == null) return out;
    for (VolumeMount vm : container.getVolumeMounts()) {
      SetUpVolume v = state == null ? null : state.volumes.get(vm.getName());
      if (v == null) {
        throw new VolumeException("cannot find volume \"" + vm.getName() + "\" to mount into container \"" + container.getName() + "\"");
      }
      String subPath = vm.getSubPath();
      if (vm.getSubPathExpr() != null && !vm.getSubPathExpr().isEmpty()) subPath = expandSubPath(vm.getSubPathExpr(), env);
      Path hostPath = v.hostPath();
      if (subPath != null && !subPath.isEmpty()) hostPath = subPath(v.hostPath(), subPath, vm, container);
      boolean privileged = container.getSecurityContext() != null && Boolean.TRUE.equals(container.getSecurityContext().getPrivileged());
      out.add(new ContainerMount(vm.getMountPath(), hostPath.toString(),
          Boolean.TRUE.equals(vm.getReadOnly()) || v.readOnly(), propagation(vm.getMountPropagation(), privileged)));
    }
    return out;
  }

  /**
   * Brings configMap, secret, downwardAPI and projected volumes of a set-up pod up to date with the API
   * (and renews service account tokens that are due). A source that cannot be read now leaves the files as
   * they are, as the kubelet does.
   *
   * @return the names of the volumes whose files changed
   */
  public List<String> refresh(Pod pod) {
    PodState state = pods.get(pod.getMetadata().getUid());
    List<String> changed = new ArrayList<>();
    if (state == null) return changed;
    for (Volume v : volumes(pod)) {
      if (!state.volumes.containsKey(v.getName())) continue;
      try {
        Optional<Boolean> wrote = writeAtomicVolume(pod, v, state);
        if (wrote.orElse(false)) changed.add(v.getName());
      } catch (VolumeException | IllegalArgumentException | IOException e) {
        log.warn("refreshing volume {} of pod {}/{}: {}", v.getName(), pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
      }
    }
    return changed;
  }

  /**
   * Removes a pod's volumes: unmounts every mount below {@code PODS_DIR/<uid>} (tmpfs first, deepest first),
   * then deletes {@code PODS_DIR/<uid>/volumes}. Host paths are never touched.
   *
   * @throws VolumeException when a mount cannot be unmounted (nothing is deleted then)
   */
  public void tearDown(String podUid) {
    Path podDir = podsDir.resolve(podUid);
    try {
      for (Path mount : mounter.mountPointsUnder(podDir)) mounter.unmount(mount);
      AtomicWriter.deleteTree(podDir.resolve("volumes"));
      pods.remove(podUid);
    } catch (IOException e) {
      throw new VolumeException("UnmountVolume.TearDown failed for pod " + podUid + ": " + e.getMessage(), e);
    }
  }

  /** The uids of pods that have a directory under the pods dir (to find orphans after a restart). */
  public Set<String> podUidsOnDisk() {
    Set<String> uids = new TreeSet<>();
    if (!Files.isDirectory(podsDir)) return uids;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(podsDir, Files::isDirectory)) {
      for (Path d : dirs) uids.add(d.getFileName().toString());
    } catch (IOException e) {
      throw new VolumeException("listing " + podsDir + ": " + e.getMessage(), e);
    }
    return uids;
  }

  private static List<Volume> volumes(Pod pod) {
    return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
  }

  private SetUpVolume setUpVolume(Pod pod, Volume v, PodState state) throws IOException {
    String uid = pod.getMetadata().getUid();
    if (v.getEmptyDir() != null) {
      Path dir = volumeDir(uid, EMPTY_DIR, v.getName());
      makeVolumeDir(dir, 0777);
      String medium = v.getEmptyDir().getMedium();
      if ("Memory".equals(medium)) {
        mountTmpfsOnce(dir, memoryVolumeSize(pod, v.getEmptyDir()));
      } else if (medium != null && !medium.isEmpty()) {
        throw new VolumeException("emptyDir medium " + medium + " is not supported by kava (use \"\" or Memory)");
      }
      Long fsGroup = fsGroup(pod);
      if (fsGroup != null) VolumeOwnership.apply(dir, fsGroup, false);
      return new SetUpVolume(v.getName(), dir, false);
    }
    if (v.getHostPath() != null) {
      Path p = Path.of(v.getHostPath().getPath());
      HostPathType.check(p, v.getHostPath().getType());
      return new SetUpVolume(v.getName(), p, false);
    }
    if (v.getPersistentVolumeClaim() != null) {
      return claimVolume(pod, v.getName(), v.getPersistentVolumeClaim().getClaimName(),
          Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly()));
    }
    if (v.getEphemeral() != null) {
      // a generic ephemeral volume is the PVC <pod name>-<volume name>, created by the ephemeral volume controller
      return claimVolume(pod, v.getName(), pod.getMetadata().getName() + "-" + v.getName(), false);
    }
    String plugin = atomicPlugin(v);
    if (plugin != null) {
      Path dir = volumeDir(uid, plugin, v.getName());
      makeVolumeDir(dir, 0777);
      // secrets and projected volumes (tokens) live in memory, as upstream's memory-backed wrapper does
      if (plugin.equals(SECRET) || plugin.equals(PROJECTED)) mountTmpfsOnce(dir, memoryVolumeSize(pod, null));
      writeAtomicVolume(pod, v, state);
      return new SetUpVolume(v.getName(), dir, true);
    }
    throw new VolumeException("kava does not support this volume type (supported: emptyDir, hostPath, configMap, "
        + "secret, downwardAPI, projected, persistentVolumeClaim, ephemeral)");
  }

  private static String atomicPlugin(Volume v) {
    if (v.getConfigMap() != null) return CONFIG_MAP;
    if (v.getSecret() != null) return SECRET;
    if (v.getDownwardAPI() != null) return DOWNWARD_API;
    if (v.getProjected() != null) return PROJECTED;
    return null;
  }

  /** Writes an atomic-writer volume; empty when {@code v} is not one. */
  private Optional<Boolean> writeAtomicVolume(Pod pod, Volume v, PodState state) throws IOException {
    String plugin = atomicPlugin(v);
    if (plugin == null) return Optional.empty();
    Map<String, FileProjection> payload = payload(pod, v, state);
    Path dir = volumeDir(pod.getMetadata().getUid(), plugin, v.getName());
    Long fsGroup = fsGroup(pod);
    AtomicWriter writer = fsGroup == null ? new AtomicWriter(dir, clock)
        : new AtomicWriter(dir, clock, ts -> VolumeOwnership.apply(ts, fsGroup, true));
    return Optional.of(writer.write(payload));
  }

  private Map<String, FileProjection> payload(Pod pod, Volume v, PodState state) {
    String ns = pod.getMetadata().getNamespace();
    if (v.getConfigMap() != null) {
      ConfigMapVolumeSource s = v.getConfigMap();
      boolean optional = Boolean.TRUE.equals(s.getOptional());
      Optional<ConfigMap> cm = sources.configMap(ns, s.getName());
      if (cm.isEmpty()) {
        if (optional) return Map.of();
        throw new VolumeException("configmap \"" + s.getName() + "\" not found");
      }
      return Payloads.configMap(s.getItems(), cm.get(), mode(s.getDefaultMode()), optional);
    }
    if (v.getSecret() != null) {
      SecretVolumeSource s = v.getSecret();
      boolean optional = Boolean.TRUE.equals(s.getOptional());
      Optional<Secret> secret = sources.secret(ns, s.getSecretName());
      if (secret.isEmpty()) {
        if (optional) return Map.of();
        throw new VolumeException("secret \"" + s.getSecretName() + "\" not found");
      }
      return Payloads.secret(s.getItems(), secret.get(), mode(s.getDefaultMode()), optional);
    }
    if (v.getDownwardAPI() != null) {
      return Payloads.downwardApi(v.getDownwardAPI().getItems(), pod, mode(v.getDownwardAPI().getDefaultMode()), node.get());
    }
    return projected(pod, v.getName(), v.getProjected(), state);
  }

  private Map<String, FileProjection> projected(Pod pod, String volumeName, ProjectedVolumeSource src, PodState state) {
    String ns = pod.getMetadata().getNamespace();
    int defaultMode = mode(src.getDefaultMode());
    Map<String, FileProjection> payload = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (var source : src.getSources() == null ? List.<io.fabric8.kubernetes.api.model.VolumeProjection>of() : src.getSources()) {
      try {
        if (source.getConfigMap() != null) {
          var s = source.getConfigMap();
          boolean optional = Boolean.TRUE.equals(s.getOptional());
          Optional<ConfigMap> cm = sources.configMap(ns, s.getName());
          if (cm.isEmpty()) {
            if (!optional) errors.add("configmap \"" + s.getName() + "\" not found");
            continue;
          }
          payload.putAll(Payloads.configMap(s.getItems(), cm.get(), defaultMode, optional));
        } else if (source.getSecret() != null) {
          var s = source.getSecret();
          boolean optional = Boolean.TRUE.equals(s.getOptional());
          Optional<Secret> secret = sources.secret(ns, s.getName());
          if (secret.isEmpty()) {
            if (!optional) errors.add("secret \"" + s.getName() + "\" not found");
            continue;
          }
          payload.putAll(Payloads.secret(s.getItems(), secret.get(), defaultMode, optional));
        } else if (source.getDownwardAPI() != null) {
          payload.putAll(Payloads.downwardApi(source.getDownwardAPI().getItems(), pod, defaultMode, node.get()));
        } else if (source.getServiceAccountToken() != null) {
          ServiceAccountTokenProjection tp = source.getServiceAccountToken();
          // with an fsGroup the token is 0600 before ownership makes it 0640, as upstream
          int mode = fsGroup(pod) != null ? 0600 : defaultMode;
          payload.put(tp.getPath(), new FileProjection(token(pod, volumeName, tp, state), mode));
        } else if (source.getClusterTrustBundle() != null) {
          errors.add("clusterTrustBundle projections are not supported by kava");
        }
      } catch (VolumeException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) throw new VolumeException(Payloads.aggregate(errors));
    return payload;
  }

  private byte[] token(Pod pod, String volumeName, ServiceAccountTokenProjection tp, PodState state) {
    List<String> audiences = tp.getAudience() == null || tp.getAudience().isEmpty() ? List.of() : List.of(tp.getAudience());
    long expiration = tp.getExpirationSeconds() == null ? DEFAULT_TOKEN_EXPIRATION_SECONDS : tp.getExpirationSeconds();
    String key = volumeName + "/" + tp.getPath();
    Instant now = clock.instant();
    IssuedToken have = state.tokens.get(key);
    if (have != null && now.isBefore(have.refreshAt()) && have.audiences().equals(audiences) && have.expirationSeconds() == expiration) {
      return have.token();
    }
    String sa = pod.getSpec().getServiceAccountName();
    if (sa == null || sa.isEmpty()) sa = "default";
    var issued = sources.requestToken(pod.getMetadata().getNamespace(), sa, audiences, expiration,
        pod.getMetadata().getName(), pod.getMetadata().getUid());
    Duration ttl = Duration.between(now, issued.expiration());
    Instant refreshAt = now.plus(ttl.multipliedBy(8).dividedBy(10));
    if (refreshAt.isAfter(now.plus(MAX_TOKEN_AGE))) refreshAt = now.plus(MAX_TOKEN_AGE);
    byte[] bytes = issued.token().getBytes(StandardCharsets.UTF_8);
    state.tokens.put(key, new IssuedToken(bytes, refreshAt, audiences, expiration));
    return bytes;
  }

  private SetUpVolume claimVolume(Pod pod, String volumeName, String claimName, boolean readOnly) {
    String ns = pod.getMetadata().getNamespace();
    String claimKey = ns + "/" + claimName;
    PersistentVolumeClaim pvc = sources.persistentVolumeClaim(ns, claimName).orElseThrow(() -> new VolumeException(
        "error processing PVC " + claimKey + ": failed to fetch PVC from API server: persistentvolumeclaims \"" + claimName + "\" not found"));
    if (pvc.getMetadata().getDeletionTimestamp() != null) {
      throw new VolumeException("can't start pod because PVC " + claimKey + " is being deleted");
    }
    String phase = pvc.getStatus() == null || pvc.getStatus().getPhase() == null ? "" : pvc.getStatus().getPhase();
    String pvName = pvc.getSpec().getVolumeName() == null ? "" : pvc.getSpec().getVolumeName();
    if (!"Bound".equals(phase) || pvName.isEmpty()) {
      throw new VolumeException("PVC " + claimKey + " has non-bound phase (\"" + phase + "\") or empty pvc.Spec.VolumeName (\"" + pvName + "\")");
    }
    PersistentVolume pv = sources.persistentVolume(pvName).orElseThrow(() -> new VolumeException(
        "failed to fetch PV " + pvName + " from API server: persistentvolumes \"" + pvName + "\" not found"));
    var ref = pv.getSpec().getClaimRef();
    if (ref == null || !claimName.equals(ref.getName()) || !ns.equals(ref.getNamespace())
        || (ref.getUid() != null && !ref.getUid().equals(pvc.getMetadata().getUid()))) {
      throw new VolumeException("found PV object " + pvName + " but it has a ClaimRef that is bound to a different PVC");
    }
    boolean ro = readOnly || (pvc.getSpec().getAccessModes() != null
        && pvc.getSpec().getAccessModes().equals(List.of("ReadOnlyMany")));
    if (pv.getSpec().getHostPath() != null) {
      Path p = Path.of(pv.getSpec().getHostPath().getPath());
      HostPathType.check(p, pv.getSpec().getHostPath().getType());
      return new SetUpVolume(volumeName, p, ro);
    }
    if (pv.getSpec().getLocal() != null) {
      Path p = Path.of(pv.getSpec().getLocal().getPath());
      if (!Files.exists(p)) throw new VolumeException("path \"" + p + "\" does not exist");
      return new SetUpVolume(volumeName, p, ro);
    }
    throw new VolumeException("persistent volume " + pvName + " is neither hostPath nor local: kava mounts only those");
  }

  private void makeVolumeDir(Path dir, int mode) throws IOException {
    if (Files.isDirectory(dir)) return;
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, AtomicWriter.perms(mode));
  }

  private void mountTmpfsOnce(Path dir, long size) throws IOException {
    if (mounter.mountPointsUnder(dir).contains(dir.toAbsolutePath().normalize())) return;
    mounter.mountTmpfs(dir, size);
    Files.setPosixFilePermissions(dir, AtomicWriter.perms(0777));
  }

  /**
   * Upstream's calculateEmptyDirMemorySize: node allocatable memory, lowered to the pod's memory limit and then
   * to the volume's sizeLimit when those are smaller. 0 (kernel default) when nothing is known.
   */
  long memoryVolumeSize(Pod pod, EmptyDirVolumeSource emptyDir) {
    NodeAllocatable n = node.get();
    long size = n == null ? 0 : n.memory().value();
    long podLimit = podMemoryLimit(pod);
    if (podLimit > 0 && (size <= 0 || podLimit <= size)) size = podLimit;
    if (emptyDir != null && emptyDir.getSizeLimit() != null) {
      long limit = Quantity.parse(emptyDir.getSizeLimit().toString()).value();
      if (limit > 0 && (size <= 0 || limit <= size)) size = limit;
    }
    return size;
  }

  /** The pod's memory limit as its cgroup gets it: sum over containers, at least each init container; 0 when any container is unlimited. */
  static long podMemoryLimit(Pod pod) {
    long sum = 0;
    for (Container c : pod.getSpec().getContainers()) {
      long l = memoryLimit(c);
      if (l <= 0) return 0;
      sum += l;
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        long l = memoryLimit(c);
        if (l <= 0) return 0;
        sum = Math.max(sum, l);
      }
    }
    return sum;
  }

  private static long memoryLimit(Container c) {
    if (c.getResources() == null || c.getResources().getLimits() == null) return 0;
    var q = c.getResources().getLimits().get("memory");
    return q == null ? 0 : Quantity.parse(q.toString()).value();
  }

  private static Long fsGroup(Pod pod) {
    var sc = pod.getSpec().getSecurityContext();
    return sc == null ? null : sc.getFsGroup();
  }

  private static int mode(Integer m) {
    return m == null ? Payloads.DEFAULT_MODE : m;
  }

  private static String expandSubPath(String expr, Map<String, String> env) {
    Set<String> missing = new TreeSet<>();
    String out = Expansion.expand(expr, key -> {
      String val = env.get(key);
      if (val == null || val.isEmpty()) missing.add(key);
      return val == null ? "" : val;
    });
    if (!missing.isEmpty()) throw new VolumeException("missing value for " + String.join(", ", missing));
    return out;
  }

  private static Path subPath(Path volumePath, String subPath, VolumeMount vm, Container c) {
    if (subPath.startsWith("/")) throw new VolumeException("error SubPath `" + subPath + "` must not be an absolute path");
    for (String seg : subPath.split("/")) {
      if (seg.equals("..")) throw new VolumeException("unable to provision SubPath `" + subPath + "`: must not contain '..'");
    }
    Path full = volumePath.resolve(subPath);
    try {
      if (!Files.exists(full, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectories(full);
          Files.setPosixFilePermissions(full, Files.getPosixFilePermissions(volumePath));
        } catch (IOException e) {
          throw new VolumeException("failed to create subPath directory for volumeMount \"" + vm.getName() + "\" of container \"" + c.getName() + "\"");
        }
      }
      // resolve symlinks (the atomic writer's ..data links, or links a container wrote) and refuse escapes
      Path real = full.toRealPath();
      Path base = volumePath.toRealPath();
      if (!real.startsWith(base)) {
        throw new VolumeException("subpath \"" + real + "\" not within volume path \"" + base + "\"");
      }
      return real;
    } catch (IOException e) {
      throw new VolumeException("error resolving SubPath `" + subPath + "`: " + e.getMessage(), e);
    }
  }

  private static ContainerMount.Propagation propagation(String mode, boolean privileged) {
    if (mode == null || mode.isEmpty() || mode.equals("None")) return ContainerMount.Propagation.PRIVATE;
    return switch (mode) {
      case "HostToContainer" -> ContainerMount.Propagation.HOST_TO_CONTAINER;
      case "Bidirectional" -> {
        if (!privileged) throw new VolumeException("Bidirectional mount propagation is available only to privileged containers");
        yield ContainerMount.Propagation.BIDIRECTIONAL;
      }
      default -> throw new VolumeException("invalid MountPropagation mode: \"" + mode + "\"");
    };
  }
}
