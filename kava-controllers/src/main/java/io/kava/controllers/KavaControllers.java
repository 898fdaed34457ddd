package io.kava.controllers;

import io.kava.controllers.cronjob.CronJobController;
import io.kava.controllers.daemonset.DaemonSetController;
import io.kava.controllers.deployment.DeploymentController;
import io.kava.controllers.disruption.DisruptionController;
import io.kava.controllers.endpoints.EndpointsController;
import io.kava.controllers.endpointslice.EndpointSliceController;
import io.kava.controllers.nodelifecycle.NodeLifecycleController;
import io.kava.controllers.nodelifecycle.TaintEvictionController;
import io.kava.controllers.garbagecollector.GarbageCollector;
import io.kava.controllers.job.JobController;
import io.kava.controllers.namespace.NamespaceController;
import io.kava.controllers.podgc.PodGcController;
import io.kava.controllers.replicaset.ReplicaSetController;
import io.kava.controllers.replicationcontroller.ReplicationManager;
import io.kava.controllers.resourcequota.ResourceQuotaController;
import io.kava.controllers.rootcacert.RootCaCertPublisher;
import io.kava.controllers.runtime.ControllerManager;
import io.kava.controllers.serviceaccount.ServiceAccountController;
import io.kava.controllers.serviceaccount.TokensController;
import io.kava.controllers.statefulset.StatefulSetController;
import java.nio.file.Path;

/** The controllers {@code kava server} runs, registered on a manager. A new controller is one more line here. */
public final class KavaControllers {
  private KavaControllers() {}

  public static ControllerManager.Builder registerAll(ControllerManager.Builder b) { return registerAll(b, ControllerSettings.DEFAULTS); }

  public static ControllerManager.Builder registerAll(ControllerManager.Builder b, ControllerSettings settings) {
    if (settings.rootCaPem() != null) {
      b.controller(RootCaCertPublisher.NAME, ctx -> new RootCaCertPublisher(ctx, settings.rootCaPem()));
      if (settings.legacyTokenSigner() != null) {
        b.controller(TokensController.NAME, ctx -> new TokensController(ctx, settings.legacyTokenSigner(), settings.rootCaPem()));
      }
    }
    return b
        .controller(NamespaceController.NAME, NamespaceController::new)
        .controller(GarbageCollector.NAME, GarbageCollector::new)
        .controller(ServiceAccountController.NAME, ServiceAccountController::new)
        .controller(ReplicaSetController.NAME, ReplicaSetController::new)
        .controller(ReplicationManager.NAME, ReplicationManager::new)
        .controller(DeploymentController.NAME, DeploymentController::new)
        .controller(JobController.NAME, JobController::new)
        .controller(EndpointsController.NAME, EndpointsController::new)
        .controller(EndpointSliceController.NAME, EndpointSliceController::new)
        .controller(DisruptionController.NAME, DisruptionController::new)
        .controller(NodeLifecycleController.NAME, ctx -> new NodeLifecycleController(ctx, settings.nodeMonitorGracePeriod()))
        .controller(TaintEvictionController.NAME, TaintEvictionController::new)
        .controller(ResourceQuotaController.NAME, ResourceQuotaController::new)
        .controller(PodGcController.NAME, ctx -> new PodGcController(ctx, settings.terminatedPodGcThreshold(), settings.podGcQuarantine()))
        .controller(DaemonSetController.NAME, DaemonSetController::new)
        .controller(StatefulSetController.NAME, StatefulSetController::new)
        .controller(CronJobController.NAME, CronJobController::new);
  }

  /** A manager with every controller for the cluster whose admin kubeconfig is {@code kubeconfig}; call start(). */
  public static ControllerManager manager(Path kubeconfig) { return manager(kubeconfig, ControllerSettings.DEFAULTS); }

  public static ControllerManager manager(Path kubeconfig, ControllerSettings settings) {
    return registerAll(ControllerManager.builder(kubeconfig), settings).build();
  }

  /** A manager with every controller for the cluster {@code config} reaches (a fresh Config: the manager adjusts it). */
  public static ControllerManager manager(io.fabric8.kubernetes.client.Config config, ControllerSettings settings) {
    return registerAll(ControllerManager.builder(config), settings).build();
  }

  /** The same, running its controllers during the terms of the process's shared election, on its shared pod informer ({@code kava server}). */
  public static ControllerManager manager(io.fabric8.kubernetes.client.Config config, ControllerSettings settings,
                                         io.kava.client.SharedLeadership leadership, io.kava.client.SharedInformers informers) {
    return registerAll(ControllerManager.builder(config), settings).leadership(leadership).sharedInformers(informers).build();
  }
}
