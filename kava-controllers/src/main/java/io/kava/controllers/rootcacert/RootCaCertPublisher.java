package io.kava.controllers.rootcacert;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.controllers.runtime.Controller;
import io.kava.controllers.runtime.ControllerContext;
import io.kava.controllers.runtime.Handlers;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.runtime.Result;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Upstream's root-ca-cert-publisher: every active namespace has the ConfigMap {@code kube-root-ca.crt} whose
 * {@code ca.crt} is the CA that signs the API server's serving certificate, so pods (through their automounted
 * token volume) can verify the API server. The ConfigMap is re-created when deleted and restored when edited.
 * Keys are namespace names.
 */
public final class RootCaCertPublisher implements Controller {
  public static final String NAME = "root-ca-cert-publisher";
  public static final String CONFIG_MAP = "kube-root-ca.crt";
  public static final String DATA_KEY = "ca.crt";
  static final String DESCRIPTION_KEY = "kubernetes.io/description";
  static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
      + "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of "
      + "Kubernetes clusters.";

  private final KubernetesClient client;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ConfigMap> configMaps;
  private final String caPem;

  /** @param caPem the cluster CA certificate(s), PEM (upstream's --root-ca-file) */
  public RootCaCertPublisher(ControllerContext ctx, String caPem) {
    this.client = ctx.client();
    this.caPem = Objects.requireNonNull(caPem);
    this.namespaces = ctx.informer(Namespace.class);
    // Only kube-root-ca.crt (upstream watches every ConfigMap): others would cost a decode per change for nothing.
    this.configMaps = ctx.informerNamed(ConfigMap.class, CONFIG_MAP);
    namespaces.addEventHandler(Handlers.enqueueSelf(ctx.queue()));
    // Only our ConfigMap's changes matter; its namespace is the key.
    configMaps.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap cm) {}

      @Override
      public void onUpdate(ConfigMap oldCm, ConfigMap cm) {
        if (CONFIG_MAP.equals(cm.getMetadata().getName()) && !Handlers.sameVersion(oldCm, cm)) ctx.queue().add(cm.getMetadata().getNamespace());
      }

      @Override
      public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
        if (CONFIG_MAP.equals(cm.getMetadata().getName())) ctx.queue().add(cm.getMetadata().getNamespace());
      }
    });
  }

  @Override
  public String name() { return NAME; }

  @Override
  public Result reconcile(String namespace) {
    Namespace ns = namespaces.getStore().getByKey(namespace);
    if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) return Result.DONE;
    ConfigMap have = configMaps.getStore().getByKey(Keys.of(namespace, CONFIG_MAP));
    ConfigMap want = desired(namespace, have, caPem);
    if (want == null) return Result.DONE;
    try {
      if (have == null) client.configMaps().inNamespace(namespace).resource(want).create();
      else client.configMaps().inNamespace(namespace).resource(want).update();
    } catch (KubernetesClientException e) {
      // 409: our cache is behind (the informer event will bring us back); 403/404: the namespace is going away.
      if (e.getCode() != 409 && e.getCode() != 403 && e.getCode() != 404) throw e;
    }
    return Result.DONE;
  }

  /**
   * The ConfigMap to write so that {@code namespace} publishes {@code caPem}, or null when {@code have} already does:
   * a new one when there is none, else {@code have} (with its resourceVersion, so the update is conditional) with
   * exactly our data and description.
   */
  static ConfigMap desired(String namespace, ConfigMap have, String caPem) {
    Map<String, String> data = Map.of(DATA_KEY, caPem);
    if (have == null) {
      return new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace)
          .addToAnnotations(DESCRIPTION_KEY, DESCRIPTION).endMetadata().withData(data).build();
    }
    Map<String, String> annotations = have.getMetadata().getAnnotations() == null ? Map.of() : have.getMetadata().getAnnotations();
    boolean noBinary = have.getBinaryData() == null || have.getBinaryData().isEmpty();
    if (data.equals(have.getData()) && noBinary && DESCRIPTION.equals(annotations.get(DESCRIPTION_KEY))) return null;
    Map<String, String> fixedAnnotations = new HashMap<>(annotations);
    fixedAnnotations.put(DESCRIPTION_KEY, DESCRIPTION);
    return new ConfigMapBuilder(have).editMetadata().withAnnotations(fixedAnnotations).endMetadata()
        .withData(data).withBinaryData(null).build();
  }
}
