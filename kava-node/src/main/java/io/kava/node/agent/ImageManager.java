package io.kava.node.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kava.api.json.Json;
import io.kava.node.cri.CriClient;
import io.kava.node.cri.CriException;
import io.kava.node.cri.v1.AuthConfig;
import io.kava.node.cri.v1.Image;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Makes a container's image present according to its imagePullPolicy, with the pod's imagePullSecrets, and the
 * kubelet's pull back-off: a failed pull is ErrImagePull, and until the back-off (10 s doubling to 5 min) ends the
 * container shows ImagePullBackOff.
 */
final class ImageManager {
  /** The image could not be made present; reason is the container's waiting reason. */
  static final class PullFailure extends Exception {
    final String reason;
    final Instant retryAt;

    PullFailure(String reason, String message, Instant retryAt) {
      super(message);
      this.reason = reason;
      this.retryAt = retryAt;
    }
  }

  private final CriClient cri;
  private final KubernetesClient client;
  private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));
  private final Clock clock;
  private final PodEvents events;

  ImageManager(CriClient cri, KubernetesClient client, Clock clock, PodEvents events) {
    this.cri = cri;
    this.client = client;
    this.clock = clock;
    this.events = events;
  }

  /** The image reference to create the container with; records Pulling, Pulled, Failed and BackOff as the kubelet does. */
  String ensure(Pod pod, Container c) throws PullFailure {
    String image = c.getImage();
    if (image == null || image.isBlank()) throw new PullFailure("InvalidImageName", "container " + c.getName() + " has no image", null);
    String policy = c.getImagePullPolicy() != null ? c.getImagePullPolicy() : defaultPolicy(image);
    Image present = policy.equals("Always") ? null : cri.imageStatus(image);
    if (present != null) {
      events.alreadyPresent(pod, c);
      return present.getId();
    }
    if (policy.equals("Never")) {
      String message = "Container image \"" + image + "\" is not present with pull policy of Never";
      events.neverPull(pod, c, message);
      throw new PullFailure("ErrImageNeverPull", message, null);
    }
    String key = pod.getMetadata().getUid() + "_" + image;
    Instant now = clock.instant();
    if (backoff.inBackoffSinceUpdate(key, now)) {
      events.pullBackOff(pod, c);
      throw new PullFailure("ImagePullBackOff", "Back-off pulling image \"" + image + "\"", backoff.untilUpdate(key, now));
    }
    events.pulling(pod, c);
    long started = System.nanoTime();
    try {
      String ref = cri.pullImage(image, auth(pod, image), null);
      backoff.reset(key);
      // One pull at a time per worker: no queue to wait in, so the pull time and the total are the same.
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      events.pulled(pod, c, took, took, imageSize(ref));
      return ref;
    } catch (CriException e) {
      backoff.next(key, now);
      events.pullFailed(pod, c, e.runtimeMessage());
      throw new PullFailure("ErrImagePull", "Failed to pull image \"" + image + "\": " + e.getMessage(), backoff.untilUpdate(key, now));
    }
  }

  private long imageSize(String ref) {
    try {
      Image i = cri.imageStatus(ref);
      return i == null ? 0 : i.getSize();
    } catch (CriException e) {
      return 0;
    }
  }

  void forget(String podUid) { backoff.forgetPrefix(podUid + "_"); }

  /** Upstream's default: Always for ":latest" or no tag, else IfNotPresent (a digest counts as a tag). */
  static String defaultPolicy(String image) {
    if (image.contains("@")) return "IfNotPresent";
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon <= slash) return "Always";
    return image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
  }

  /** Credentials for the image's registry from the pod's imagePullSecrets (dockerconfigjson or dockercfg), or null. */
  private AuthConfig auth(Pod pod, String image) {
    List<LocalObjectReference> refs = pod.getSpec().getImagePullSecrets();
    if (refs == null || refs.isEmpty()) return null;
    String registry = registryOf(image);
    for (LocalObjectReference r : refs) {
      if (r.getName() == null) continue;
      Secret s = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(r.getName()).get();
      if (s == null || s.getData() == null) continue;
      AuthConfig a = authFrom(s, registry);
      if (a != null) return a;
    }
    return null;
  }

  static AuthConfig authFrom(Secret s, String registry) {
    String raw = s.getData().get(".dockerconfigjson");
    JsonNode auths;
    if (raw != null) {
      auths = Json.parse(Base64.getDecoder().decode(raw)).path("auths");
    } else if ((raw = s.getData().get(".dockercfg")) != null) {
      auths = Json.parse(Base64.getDecoder().decode(raw));
    } else {
      return null;
    }
    for (var e : auths.properties()) {
      if (!registryOf(e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "") + "/x").equals(registry)) continue;
      JsonNode v = e.getValue();
      String user = v.path("username").asString("");
      String pass = v.path("password").asString("");
      String auth = v.path("auth").asString("");
      if (user.isEmpty() && !auth.isEmpty()) {
        String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        int i = decoded.indexOf(':');
        if (i > 0) {
          user = decoded.substring(0, i);
          pass = decoded.substring(i + 1);
        }
      }
      return AuthConfig.newBuilder().setUsername(user).setPassword(pass).setServerAddress(registry).build();
    }
    return null;
  }

  /** The registry host of an image reference; Docker Hub's aliases are one. */
  static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) return "docker.io";
    String first = image.substring(0, slash);
    if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) return "docker.io";
    return switch (first) {
      case "index.docker.io", "registry-1.docker.io" -> "docker.io";
      default -> first;
    };
  }
}
