package io.kava.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import java.util.List;
import java.util.Set;

/**
 * Upstream's service account controller: every active namespace has a {@code default} ServiceAccount, created
 * when the namespace appears and re-created when someone deletes it. Keys are namespace names.
 */
public final class ServiceAccountController implements Controller {
  public static final String NAME = "serviceaccount";
  /** The accounts every namespace gets (upstream's default options list only "default"). */
  static final Set<String> ENSURED = Set.of("default");

  private final KubernetesClient client;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ServiceAccount> accounts;

  public ServiceAccountController(ControllerContext ctx) {
    this.client = ctx.client();
    this.namespaces = ctx.informer(Namespace.class);
    this.accounts = ctx.informer(ServiceAccount.class);
    namespaces.addEventHandler(Handlers.enqueueSelf(ctx.queue()));
    // Only a deleted account can need action; creations and updates of accounts change nothing we ensure.
    accounts.addEventHandler(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
      @Override
      public void onAdd(ServiceAccount sa) {}

      @Override
      public void onUpdate(ServiceAccount oldSa, ServiceAccount sa) {}

      @Override
      public void onDelete(ServiceAccount sa, boolean finalStateUnknown) {
        if (ENSURED.contains(sa.getMetadata().getName())) ctx.queue().add(sa.getMetadata().getNamespace());
      }
    });
  }

  @Override
  public String name() { return NAME; }

  @Override
  public Result reconcile(String namespace) {
    Namespace ns = namespaces.getStore().getByKey(namespace);
    if (ns == null || !active(ns)) return Result.DONE;
    for (String name : List.copyOf(ENSURED)) {
      if (accounts.getStore().getByKey(Keys.of(namespace, name)) != null) continue;
      ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build();
      try {
        client.serviceAccounts().inNamespace(namespace).resource(sa).create();
      } catch (KubernetesClientException e) {
        // 409: it exists and our cache has not seen it yet. 403/404: the namespace is terminating or gone.
        if (e.getCode() != 409 && e.getCode() != 403 && e.getCode() != 404) throw e;
      }
    }
    return Result.DONE;
  }

  private static boolean active(Namespace ns) {
    if (ns.getMetadata().getDeletionTimestamp() != null) return false;
    String phase = ns.getStatus() == null ? null : ns.getStatus().getPhase();
    return phase == null || phase.equals("Active");
  }
}
