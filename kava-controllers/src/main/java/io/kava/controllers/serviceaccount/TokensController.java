package io.kava.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Upstream's token controller (since 1.24 it only fills Secrets someone created): a Secret of type
 * {@code kubernetes.io/service-account-token} naming an existing account gets a legacy token, the cluster CA and its
 * namespace, and the account's uid annotation; one naming a missing account (or another uid) is deleted, and so are
 * an account's token Secrets when the account is deleted. Keys are Secret keys.
 */
public final class TokensController implements Controller {
  public static final String NAME = "serviceaccount-token";
  public static final String TYPE = "kubernetes.io/service-account-token";
  public static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
  public static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";

  private final KubernetesClient client;
  private final SharedIndexInformer<Secret> secrets;
  private final SharedIndexInformer<ServiceAccount> accounts;
  private final LegacyTokenSigner signer;
  private final String caPem;

  public TokensController(ControllerContext ctx, LegacyTokenSigner signer, String caPem) {
    this.client = ctx.client();
    this.signer = Objects.requireNonNull(signer);
    this.caPem = Objects.requireNonNull(caPem);
    this.secrets = ctx.informer(Secret.class);
    this.accounts = ctx.informer(ServiceAccount.class);
    secrets.addEventHandler(Handlers.enqueue(ctx.queue(), s -> TYPE.equals(s.getType()) ? Keys.of(s) : null));
    accounts.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ServiceAccount sa) { enqueueSecretsOf(ctx, sa); }

      @Override
      public void onUpdate(ServiceAccount oldSa, ServiceAccount sa) {}

      @Override
      public void onDelete(ServiceAccount sa, boolean finalStateUnknown) { enqueueSecretsOf(ctx, sa); }
    });
  }

  /** The account's token Secrets: O(Secrets in its namespace), only when an account comes or goes. */
  private void enqueueSecretsOf(ControllerContext ctx, ServiceAccount sa) {
    String ns = sa.getMetadata().getNamespace();
    for (Secret s : secrets.getIndexer().byIndex(io.fabric8.kubernetes.client.informers.cache.Cache.NAMESPACE_INDEX, ns)) {
      if (TYPE.equals(s.getType()) && sa.getMetadata().getName().equals(annotation(s, NAME_ANNOTATION))) ctx.queue().add(Keys.of(s));
    }
  }

  @Override
  public String name() { return NAME; }

  @Override
  public Result reconcile(String key) {
    Secret secret = secrets.getStore().getByKey(key);
    if (secret == null || !TYPE.equals(secret.getType()) || secret.getMetadata().getDeletionTimestamp() != null) return Result.DONE;
    ServiceAccount sa = account(secret);
    try {
      if (sa == null) {
        // As upstream: a token Secret whose account is gone (or was re-created) is deleted, guarded by its uid.
        client.secrets().inNamespace(secret.getMetadata().getNamespace()).withName(secret.getMetadata().getName())
            .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        return Result.DONE;
      }
      Secret want = desired(secret, sa, caPem, signer);
      if (want != null) client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(want).update();
    } catch (KubernetesClientException e) {
      // 409: our cache is behind (the informer event brings us back); 404: already gone.
      if (e.getCode() != 409 && e.getCode() != 404) throw e;
    }
    return Result.DONE;
  }

  /** The Secret's account if it exists with the uid the Secret names; a cache miss is confirmed live before deleting. */
  private ServiceAccount account(Secret secret) {
    String ns = secret.getMetadata().getNamespace();
    String name = annotation(secret, NAME_ANNOTATION);
    if (name == null || name.isEmpty()) return null;
    ServiceAccount sa = accounts.getStore().getByKey(Keys.of(ns, name));
    if (sa == null) sa = client.serviceAccounts().inNamespace(ns).withName(name).get();
    if (sa == null || sa.getMetadata().getDeletionTimestamp() != null) return null;
    String uid = annotation(secret, UID_ANNOTATION);
    return uid == null || uid.isEmpty() || uid.equals(sa.getMetadata().getUid()) ? sa : null;
  }

  /**
   * {@code have} with a token (kept when present, as upstream), the CA, the namespace and the uid annotation, or null
   * when it already has all of them. Keeps resourceVersion, so the update is conditional.
   */
  static Secret desired(Secret have, ServiceAccount sa, String caPem, LegacyTokenSigner signer) {
    String ns = have.getMetadata().getNamespace();
    Map<String, String> data = have.getData() == null ? new HashMap<>() : new HashMap<>(have.getData());
    Map<String, String> annotations = have.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(have.getMetadata().getAnnotations());
    boolean changed = false;
    if (data.get("token") == null || data.get("token").isEmpty()) {
      data.put("token", b64(signer.sign(ns, sa.getMetadata().getName(), sa.getMetadata().getUid(), have.getMetadata().getName())));
      changed = true;
    }
    changed |= !b64(caPem).equals(data.put("ca.crt", b64(caPem)));
    changed |= !b64(ns).equals(data.put("namespace", b64(ns)));
    changed |= !sa.getMetadata().getUid().equals(annotations.put(UID_ANNOTATION, sa.getMetadata().getUid()));
    if (!changed) return null;
    return new SecretBuilder(have).editMetadata().withAnnotations(annotations).endMetadata().withData(data).build();
  }

  private static String annotation(Secret s, String key) {
    return s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get(key);
  }

  private static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }
}
