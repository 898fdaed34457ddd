package io.kava.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.client.EventRecorder;
import io.kava.controllers.workload.ApiErrors;
import io.kava.controllers.workload.Serial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** {@link PodControl} through the fabric8 client, with upstream's events. */
public final class ClientPodControl implements PodControl {
  static final String SUCCESSFUL_CREATE = "SuccessfulCreate";
  static final String FAILED_CREATE = "FailedCreate";
  static final String SUCCESSFUL_DELETE = "SuccessfulDelete";
  static final String FAILED_DELETE = "FailedDelete";
  /** Longest DNS subdomain, the limit a generateName prefix has to respect. */
  private static final int MAX_NAME = 253;

  private final KubernetesClient client;
  private final EventRecorder recorder;

  public ClientPodControl(KubernetesClient client, EventRecorder recorder) {
    this.client = client;
    this.recorder = recorder;
  }

  @Override
  public Pod create(String namespace, PodTemplateSpec template, OwnerReference controllerRef, ObjectReference owner) {
    Pod pod = fromTemplate(template, controllerRef);
    if (pod.getMetadata().getLabels() == null || pod.getMetadata().getLabels().isEmpty()) {
      throw new IllegalStateException("unable to create pods, no labels");
    }
    Pod created;
    try {
      created = client.pods().inNamespace(namespace).resource(pod).create();
    } catch (KubernetesClientException e) {
      // A terminating namespace refuses everything; that is not worth a warning on the owner.
      if (!ApiErrors.isNamespaceTerminating(e)) recorder.event(owner, EventRecorder.WARNING, FAILED_CREATE, "Error creating: " + ApiErrors.message(e));
      throw e;
    }
    recorder.event(owner, EventRecorder.NORMAL, SUCCESSFUL_CREATE, "Created pod: " + created.getMetadata().getName());
    return created;
  }

  @Override
  public void delete(String namespace, String name, ObjectReference owner) {
    try {
      if (client.pods().inNamespace(namespace).withName(name).delete().isEmpty()) {
        throw new KubernetesClientException("pods \"" + name + "\" not found", 404, null);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) recorder.event(owner, EventRecorder.WARNING, FAILED_DELETE, "Error deleting: " + ApiErrors.message(e));
      throw e;
    }
    recorder.event(owner, EventRecorder.NORMAL, SUCCESSFUL_DELETE, "Deleted pod: " + name);
  }

  /** Upstream's GetPodFromTemplate: labels, annotations and finalizers of the template, its spec, our reference. */
  static Pod fromTemplate(PodTemplateSpec template, OwnerReference controllerRef) {
    String prefix = controllerRef.getName() + "-";
    if (prefix.length() > MAX_NAME) prefix = controllerRef.getName();
    var tm = template.getMetadata();
    List<OwnerReference> owners = new ArrayList<>();
    owners.add(Serial.copy(controllerRef));
    return new PodBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withGenerateName(prefix)
            .withLabels(tm == null || tm.getLabels() == null ? null : new LinkedHashMap<>(tm.getLabels()))
            .withAnnotations(tm == null || tm.getAnnotations() == null ? null : new LinkedHashMap<>(tm.getAnnotations()))
            .withFinalizers(tm == null || tm.getFinalizers() == null ? null : new ArrayList<>(tm.getFinalizers()))
            .withOwnerReferences(owners)
            .build())
        .withSpec(Serial.copy(template.getSpec()))
        .build();
  }
}
