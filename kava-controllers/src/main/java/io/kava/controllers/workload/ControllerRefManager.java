package io.kava.controllers.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's ControllerRefManager: decides, object by object, whether a controller owns what its selector finds.
 *
 * <ul>
 *   <li>owned by another controller: left alone;</li>
 *   <li>owned by us and still matching: claimed;</li>
 *   <li>owned by us but no longer matching: released (our reference removed), unless we are being deleted;</li>
 *   <li>an orphan that matches, is not being deleted and lives in our namespace: adopted (our controller reference
 *       added), after one live check that we are not being deleted ourselves ({@link AdoptionCheck}).</li>
 * </ul>
 *
 * Adoption and release are strategic merge patches that name the object's uid, so a patch never lands on a
 * namesake created after the one the cache showed.
 */
public final class ControllerRefManager {
  /** Sends a strategic merge patch to the object {@code namespace/name}. */
  @FunctionalInterface
  public interface Patcher {
    void patch(String namespace, String name, String strategicMergePatch);
  }

  /** The live re-check before the first adoption; throws when the controller must not adopt. */
  @FunctionalInterface
  public interface AdoptionCheck {
    void check() throws Exception;
  }

  /** What a claim pass ended with: the objects that are ours, and the adopt/release failures to retry. */
  public record Claimed<T>(List<T> claimed, List<Exception> errors) {
    /** The claimed objects, or the first error when any adoption or release failed. */
    public List<T> orThrow() throws Exception {
      if (!errors.isEmpty()) throw errors.getFirst();
      return claimed;
    }
  }

  private final HasMetadata controller;
  private final String apiVersion;
  private final String kind;
  private final AdoptionCheck adoptionCheck;
  // Checked at most once per claim pass, like upstream's sync.Once.
  private boolean checked;
  private Exception checkFailure;

  public ControllerRefManager(HasMetadata controller, String apiVersion, String kind, AdoptionCheck adoptionCheck) {
    this.controller = controller;
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.adoptionCheck = adoptionCheck;
  }

  public <T extends HasMetadata> Claimed<T> claim(List<T> objects, Predicate<? super T> matches, Patcher patcher) {
    List<T> claimed = new ArrayList<>();
    List<Exception> errors = new ArrayList<>();
    for (T o : objects) {
      try {
        if (claimOne(o, matches, patcher)) claimed.add(o);
      } catch (Exception e) {
        errors.add(e);
      }
    }
    return new Claimed<>(claimed, errors);
  }

  private <T extends HasMetadata> boolean claimOne(T o, Predicate<? super T> matches, Patcher patcher) throws Exception {
    String ourUid = controller.getMetadata().getUid();
    OwnerReference ref = Owners.controllerOf(o);
    boolean deleting = controller.getMetadata().getDeletionTimestamp() != null;
    if (ref != null) {
      if (!Objects.equals(ref.getUid(), ourUid)) return false; // someone else's
      if (matches.test(o)) return true;
      if (deleting) return false;
      try {
        patcher.patch(o.getMetadata().getNamespace(), o.getMetadata().getName(), releasePatch(o));
      } catch (KubernetesClientException e) {
        // Gone, or (422) no longer carrying our reference / replaced by a namesake: nothing left to release.
        if (e.getCode() == 404 || e.getCode() == 422) return false;
        throw e;
      }
      return false;
    }
    if (deleting || !matches.test(o)) return false;
    if (o.getMetadata().getDeletionTimestamp() != null) return false;
    String ns = controller.getMetadata().getNamespace();
    if (ns != null && !ns.isEmpty() && !ns.equals(o.getMetadata().getNamespace())) return false;
    if (!checked) {
      checked = true;
      try {
        adoptionCheck.check();
      } catch (Exception e) {
        checkFailure = e;
      }
    }
    if (checkFailure != null) throw checkFailure;
    try {
      patcher.patch(o.getMetadata().getNamespace(), o.getMetadata().getName(), adoptPatch(o));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return false;
      throw e;
    }
    return true;
  }

  String adoptPatch(HasMetadata o) {
    ObjectNode patch = Json.object();
    ObjectNode meta = patch.putObject("metadata");
    ObjectNode ref = meta.putArray("ownerReferences").addObject();
    ref.put("apiVersion", apiVersion);
    ref.put("kind", kind);
    ref.put("name", controller.getMetadata().getName());
    ref.put("uid", controller.getMetadata().getUid());
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
    meta.put("uid", o.getMetadata().getUid());
    return Json.MAPPER.writeValueAsString(patch);
  }

  String releasePatch(HasMetadata o) {
    ObjectNode patch = Json.object();
    ObjectNode meta = patch.putObject("metadata");
    ObjectNode ref = meta.putArray("ownerReferences").addObject();
    ref.put("$patch", "delete");
    ref.put("uid", controller.getMetadata().getUid());
    meta.put("uid", o.getMetadata().getUid());
    return Json.MAPPER.writeValueAsString(patch);
  }
}
