package io.kava.apiserver.wire.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How Go's encoding/json writes each field of the Kubernetes types, which protobuf cannot tell: the Go sender
 * writes every non-pointer field, so a proto2 field's presence says nothing about whether it was set.
 *
 * <p>Each field of a message is one of:
 * <ul>
 *   <li>{@link Rule#POINTER} ({@code *} in the table): a pointer in the Go type ({@code *int32}, {@code *bool},
 *       {@code *LabelSelector}...). Go writes it to protobuf only when it is not nil, so a present value is kept
 *       even when it is zero, false, "" or an empty object: {@code replicas: 0},
 *       {@code terminationGracePeriodSeconds: 0}, {@code runAsUser: 0}, {@code automountServiceAccountToken: false},
 *       {@code emptyDir: {}}, {@code securityContext: {}}.</li>
 *   <li>{@link Rule#ALWAYS} ({@code !}): a non-pointer field whose json tag lacks {@code omitempty}. Go's JSON writes
 *       it even when it is zero ({@code "value": 0} of a PriorityClass, {@code "ready": false},
 *       {@code "podSelector": {}}, a zero Time as {@code null}), and so does this decoder, also when the protobuf
 *       lacks it. These are the fields OpenAPI marks required.</li>
 *   <li>{@link Rule#INLINE} ({@code ^}): an embedded struct ({@code json:",inline"}), a nested message in protobuf
 *       whose fields are written into the enclosing JSON object (Volume's VolumeSource, Probe's ProbeHandler,
 *       the LocalObjectReference of the configMap/secret references, EphemeralContainerCommon...).</li>
 *   <li>{@link Rule#OMITEMPTY}, every field not in the table: a non-pointer field with {@code omitempty}. Its zero
 *       value means "unset" and is dropped. For struct-typed fields this decoder goes one step beyond Go (whose
 *       JSON never omits a struct): an empty object, a zero Time, a zero Quantity or IntOrString is dropped too,
 *       so {@code creationTimestamp: null}, {@code status: {}}, {@code strategy: {}} and {@code resources: {}} do
 *       not appear (they mean nothing to the API server, and leaving them out lets defaulting see a clean
 *       object).</li>
 * </ul>
 * Repeated and map fields are written when they have elements; their elements and values are always kept, even
 * when empty ({@code ingress: [{}]}, {@code args: [""]}, a label with an empty value). A non-pointer struct that
 * the sender left out (only a client other than Go does) is its zero value, as in Go: so the JSON depends only on
 * the Go value, not on how it was encoded.
 *
 * <p>A proto field is named like its JSON property except where the table says {@code protoName=jsonName}.
 *
 * <p>The table was derived from the Go struct tags of k8s.io/api and k8s.io/apimachinery release-1.33 (types.go
 * of every group below): a field is {@code *} when its Go type starts with {@code *}, {@code !} when its json tag
 * has no {@code omitempty} and it is neither a slice nor a map. To refresh it for a newer release, list those
 * fields again from the new types.go files; {@code GoFieldRulesTest} checks that every entry names a real field.
 */
final class GoFieldRules {
  enum Rule { OMITEMPTY, POINTER, ALWAYS, INLINE }

  private static final String TABLE = """
      core.v1.AWSElasticBlockStoreVolumeSource       !volumeID
      core.v1.Affinity                               *nodeAffinity *podAffinity *podAntiAffinity
      core.v1.AppArmorProfile                        !type *localhostProfile
      core.v1.AttachedVolume                         !name !devicePath
      core.v1.AzureDiskVolumeSource                  !diskName !diskURI *cachingMode *fsType *readOnly *kind
      core.v1.AzureFilePersistentVolumeSource        !secretName !shareName *secretNamespace
      core.v1.AzureFileVolumeSource                  !secretName !shareName
      core.v1.Binding                                !target
      core.v1.CSIPersistentVolumeSource              !driver !volumeHandle *controllerPublishSecretRef *nodeStageSecretRef
                                                     *nodePublishSecretRef *controllerExpandSecretRef *nodeExpandSecretRef
      core.v1.CSIVolumeSource                        !driver *readOnly *fsType *nodePublishSecretRef
      core.v1.CephFSPersistentVolumeSource           *secretRef
      core.v1.CephFSVolumeSource                     *secretRef
      core.v1.CinderPersistentVolumeSource           !volumeID *secretRef
      core.v1.CinderVolumeSource                     !volumeID *secretRef
      core.v1.ClientIPConfig                         *timeoutSeconds
      core.v1.ClusterTrustBundleProjection           *name *signerName *labelSelector *optional !path
      core.v1.ComponentCondition                     !type !status
      core.v1.ConfigMap                              *immutable
      core.v1.ConfigMapEnvSource                     ^localObjectReference *optional
      core.v1.ConfigMapKeySelector                   ^localObjectReference !key *optional
      core.v1.ConfigMapNodeConfigSource              !namespace !name !kubeletConfigKey
      core.v1.ConfigMapProjection                    ^localObjectReference *optional
      core.v1.ConfigMapVolumeSource                  ^localObjectReference *defaultMode *optional
      core.v1.Container                              !name *restartPolicy *livenessProbe *readinessProbe *startupProbe
                                                     *lifecycle *securityContext
      core.v1.ContainerPort                          !containerPort
      core.v1.ContainerResizePolicy                  !resourceName !restartPolicy
      core.v1.ContainerState                         *waiting *running *terminated
      core.v1.ContainerStateTerminated               !exitCode
      core.v1.ContainerStatus                        !name !ready !restartCount !image !imageID *started *resources *user
                                                     *stopSignal
      core.v1.ContainerUser                          *linux
      core.v1.DaemonEndpoint                         !Port
      core.v1.DownwardAPIVolumeFile                  !path *fieldRef *resourceFieldRef *mode
      core.v1.DownwardAPIVolumeSource                *defaultMode
      core.v1.EmptyDirVolumeSource                   *sizeLimit
      core.v1.EndpointAddress                        !ip *nodeName *targetRef
      core.v1.EndpointPort                           !port *appProtocol
      core.v1.EnvFromSource                          *configMapRef *secretRef
      core.v1.EnvVar                                 !name *valueFrom
      core.v1.EnvVarSource                           *fieldRef *resourceFieldRef *configMapKeyRef *secretKeyRef
      core.v1.EphemeralContainer                     ^ephemeralContainerCommon
      core.v1.EphemeralContainerCommon               !name *restartPolicy *livenessProbe *readinessProbe *startupProbe
                                                     *lifecycle *securityContext
      core.v1.EphemeralVolumeSource                  *volumeClaimTemplate
      core.v1.Event                                  !metadata !involvedObject *series *related !reportingComponent
                                                     !reportingInstance
      core.v1.FCVolumeSource                         *lun
      core.v1.FlexPersistentVolumeSource             !driver *secretRef
      core.v1.FlexVolumeSource                       !driver *secretRef
      core.v1.GCEPersistentDiskVolumeSource          !pdName
      core.v1.GRPCAction                             !port *service
      core.v1.GitRepoVolumeSource                    !repository
      core.v1.GlusterfsPersistentVolumeSource        !endpoints !path *endpointsNamespace
      core.v1.GlusterfsVolumeSource                  !endpoints !path
      core.v1.HTTPGetAction                          !port
      core.v1.HTTPHeader                             !name !value
      core.v1.HostAlias                              !ip
      core.v1.HostIP                                 !ip
      core.v1.HostPathVolumeSource                   !path *type
      core.v1.ISCSIPersistentVolumeSource            !targetPortal !iqn !lun *secretRef *initiatorName
      core.v1.ISCSIVolumeSource                      !targetPortal !iqn !lun *secretRef *initiatorName
      core.v1.KeyToPath                              !key !path *mode
      core.v1.Lifecycle                              *postStart *preStop *stopSignal
      core.v1.LifecycleHandler                       *exec *httpGet *tcpSocket *sleep
      core.v1.LimitRangeItem                         !type
      core.v1.LinuxContainerUser                     !uid !gid
      core.v1.LoadBalancerIngress                    *ipMode
      core.v1.LocalVolumeSource                      !path *fsType
      core.v1.ModifyVolumeStatus                     !status
      core.v1.NFSVolumeSource                        !server !path
      core.v1.NamespaceCondition                     !type !status
      core.v1.NodeAddress                            !type !address
      core.v1.NodeAffinity                           *requiredDuringSchedulingIgnoredDuringExecution
      core.v1.NodeCondition                          !type !status
      core.v1.NodeConfigSource                       *configMap
      core.v1.NodeConfigStatus                       *assigned *active *lastKnownGood
      core.v1.NodeFeatures                           *supplementalGroupsPolicy
      core.v1.NodeRuntimeHandler                     !name *features
      core.v1.NodeRuntimeHandlerFeatures             *recursiveReadOnlyMounts *userNamespaces
      core.v1.NodeSelectorRequirement                !key !operator
      core.v1.NodeSpec                               *configSource
      core.v1.NodeStatus                             *config *features
      core.v1.NodeSwapStatus                         *capacity
      core.v1.NodeSystemInfo                         !machineID !systemUUID !bootID !kernelVersion !osImage
                                                     !containerRuntimeVersion !kubeletVersion !kubeProxyVersion
                                                     !operatingSystem !architecture *swap
      core.v1.ObjectFieldSelector                    !fieldPath
      core.v1.PersistentVolumeClaimCondition         !type !status
      core.v1.PersistentVolumeClaimSpec              *selector *storageClassName *volumeMode *dataSource *dataSourceRef
                                                     *volumeAttributesClassName
      core.v1.PersistentVolumeClaimStatus            *currentVolumeAttributesClassName *modifyVolumeStatus
      core.v1.PersistentVolumeClaimTemplate          !spec
      core.v1.PersistentVolumeClaimVolumeSource      !claimName
      core.v1.PersistentVolumeSource                 *gcePersistentDisk *awsElasticBlockStore *hostPath *glusterfs *nfs *rbd
                                                     *iscsi *cinder *cephfs *fc *flocker *flexVolume *azureFile
                                                     *vsphereVolume *quobyte *azureDisk *photonPersistentDisk
                                                     *portworxVolume *scaleIO *local *storageos *csi
      core.v1.PersistentVolumeSpec                   ^persistentVolumeSource *claimRef *volumeMode *nodeAffinity
                                                     *volumeAttributesClassName
      core.v1.PersistentVolumeStatus                 *lastPhaseTransitionTime
      core.v1.PhotonPersistentDiskVolumeSource       !pdID
      core.v1.PodAffinityTerm                        *labelSelector !topologyKey *namespaceSelector
      core.v1.PodCondition                           !type !status
      core.v1.PodDNSConfigOption                     *value
      core.v1.PodIP                                  !ip
      core.v1.PodLogOptions                          *sinceSeconds *sinceTime *tailLines *limitBytes *stream
      core.v1.PodOS                                  !name
      core.v1.PodReadinessGate                       !conditionType
      core.v1.PodResourceClaim                       !name *resourceClaimName *resourceClaimTemplateName
      core.v1.PodResourceClaimStatus                 !name *resourceClaimName
      core.v1.PodSchedulingGate                      !name
      core.v1.PodSecurityContext                     *seLinuxOptions *windowsOptions *runAsUser *runAsGroup *runAsNonRoot
                                                     *supplementalGroupsPolicy *fsGroup *fsGroupChangePolicy *seccompProfile
                                                     *appArmorProfile *seLinuxChangePolicy
      core.v1.PodSignature                           *podController
      core.v1.PodSpec                                *terminationGracePeriodSeconds *activeDeadlineSeconds
                                                     *automountServiceAccountToken *shareProcessNamespace *securityContext
                                                     *affinity *priority *dnsConfig *runtimeClassName *enableServiceLinks
                                                     *preemptionPolicy *setHostnameAsFQDN *os *hostUsers *resources
      core.v1.PodStatus                              *startTime
      core.v1.PortStatus                             !port !protocol *error
      core.v1.PortworxVolumeSource                   !volumeID
      core.v1.Preconditions                          *uid
      core.v1.PreferAvoidPodsEntry                   !podSignature
      core.v1.PreferredSchedulingTerm                !weight !preference
      core.v1.Probe                                  ^handler *terminationGracePeriodSeconds
      core.v1.ProbeHandler                           *exec *httpGet *tcpSocket *grpc
      core.v1.ProjectedVolumeSource                  *defaultMode
      core.v1.QuobyteVolumeSource                    !registry !volume
      core.v1.RBDPersistentVolumeSource              !image *secretRef
      core.v1.RBDVolumeSource                        !image *secretRef
      core.v1.RangeAllocation                        !range
      core.v1.ReplicationControllerCondition         !type !status
      core.v1.ReplicationControllerSpec              *replicas *template
      core.v1.ReplicationControllerStatus            !replicas
      core.v1.ResourceClaim                          !name
      core.v1.ResourceFieldSelector                  !resource
      core.v1.ResourceHealth                         !resourceID
      core.v1.ResourceQuotaSpec                      *scopeSelector
      core.v1.ResourceStatus                         !name
      core.v1.ScaleIOPersistentVolumeSource          !gateway !system *secretRef
      core.v1.ScaleIOVolumeSource                    !gateway !system *secretRef
      core.v1.ScopedResourceSelectorRequirement      !scopeName !operator
      core.v1.SeccompProfile                         !type *localhostProfile
      core.v1.Secret                                 *immutable
      core.v1.SecretEnvSource                        ^localObjectReference *optional
      core.v1.SecretKeySelector                      ^localObjectReference !key *optional
      core.v1.SecretProjection                       ^localObjectReference *optional
      core.v1.SecretVolumeSource                     *defaultMode *optional
      core.v1.SecurityContext                        *capabilities *privileged *seLinuxOptions *windowsOptions *runAsUser
                                                     *runAsGroup *runAsNonRoot *readOnlyRootFilesystem
                                                     *allowPrivilegeEscalation *procMount *seccompProfile *appArmorProfile
      core.v1.ServiceAccount                         *automountServiceAccountToken
      core.v1.ServiceAccountTokenProjection          *expirationSeconds !path
      core.v1.ServicePort                            *appProtocol !port
      core.v1.ServiceSpec                            *sessionAffinityConfig *ipFamilyPolicy *allocateLoadBalancerNodePorts
                                                     *loadBalancerClass *internalTrafficPolicy *trafficDistribution
      core.v1.SessionAffinityConfig                  *clientIP
      core.v1.SleepAction                            !seconds
      core.v1.StorageOSPersistentVolumeSource        *secretRef
      core.v1.StorageOSVolumeSource                  *secretRef
      core.v1.Sysctl                                 !name !value
      core.v1.TCPSocketAction                        !port
      core.v1.Taint                                  !key !effect *timeAdded
      core.v1.Toleration                             *tolerationSeconds
      core.v1.TopologySelectorLabelRequirement       !key
      core.v1.TopologySpreadConstraint               !maxSkew !topologyKey !whenUnsatisfiable *labelSelector *minDomains
                                                     *nodeAffinityPolicy *nodeTaintsPolicy
      core.v1.TypedLocalObjectReference              *apiGroup !kind !name
      core.v1.TypedObjectReference                   *apiGroup !kind !name *namespace
      core.v1.Volume                                 !name ^volumeSource
      core.v1.VolumeDevice                           !name !devicePath
      core.v1.VolumeMount                            !name *recursiveReadOnly !mountPath *mountPropagation
      core.v1.VolumeMountStatus                      !name !mountPath *recursiveReadOnly
      core.v1.VolumeNodeAffinity                     *required
      core.v1.VolumeProjection                       *secret *downwardAPI *configMap *serviceAccountToken
                                                     *clusterTrustBundle
      core.v1.VolumeSource                           *hostPath *emptyDir *gcePersistentDisk *awsElasticBlockStore *gitRepo
                                                     *secret *nfs *iscsi *glusterfs *persistentVolumeClaim *rbd *flexVolume
                                                     *cinder *cephfs *flocker *downwardAPI *fc *azureFile *configMap
                                                     *vsphereVolume *quobyte *azureDisk *photonPersistentDisk *projected
                                                     *portworxVolume *scaleIO *storageos *csi *ephemeral *image
      core.v1.VsphereVirtualDiskVolumeSource         !volumePath
      core.v1.WeightedPodAffinityTerm                !weight !podAffinityTerm
      core.v1.WindowsSecurityContextOptions          *gmsaCredentialSpecName *gmsaCredentialSpec *runAsUserName *hostProcess
      apps.v1.ControllerRevision                     !revision
      apps.v1.DaemonSetCondition                     !type !status
      apps.v1.DaemonSetSpec                          *selector !template *revisionHistoryLimit
      apps.v1.DaemonSetStatus                        !currentNumberScheduled !numberMisscheduled !desiredNumberScheduled
                                                     !numberReady *collisionCount
      apps.v1.DaemonSetUpdateStrategy                *rollingUpdate
      apps.v1.DeploymentCondition                    !type !status
      apps.v1.DeploymentSpec                         *replicas *selector !template *revisionHistoryLimit
                                                     *progressDeadlineSeconds
      apps.v1.DeploymentStatus                       *terminatingReplicas *collisionCount
      apps.v1.DeploymentStrategy                     *rollingUpdate
      apps.v1.ReplicaSetCondition                    !type !status
      apps.v1.ReplicaSetSpec                         *replicas *selector
      apps.v1.ReplicaSetStatus                       !replicas *terminatingReplicas
      apps.v1.RollingUpdateDaemonSet                 *maxUnavailable *maxSurge
      apps.v1.RollingUpdateDeployment                *maxUnavailable *maxSurge
      apps.v1.RollingUpdateStatefulSetStrategy       *partition *maxUnavailable
      apps.v1.StatefulSetCondition                   !type !status
      apps.v1.StatefulSetOrdinals                    !start
      apps.v1.StatefulSetSpec                        *replicas *selector !template !serviceName *revisionHistoryLimit
                                                     *persistentVolumeClaimRetentionPolicy *ordinals
      apps.v1.StatefulSetStatus                      !replicas *collisionCount !availableReplicas
      apps.v1.StatefulSetUpdateStrategy              *rollingUpdate
      batch.v1.CronJobSpec                           !schedule *timeZone *startingDeadlineSeconds *suspend !jobTemplate
                                                     *successfulJobsHistoryLimit *failedJobsHistoryLimit
      batch.v1.CronJobStatus                         *lastScheduleTime *lastSuccessfulTime
      batch.v1.JobCondition                          !type !status
      batch.v1.JobSpec                               *parallelism *completions *activeDeadlineSeconds *podFailurePolicy
                                                     *successPolicy *backoffLimit *backoffLimitPerIndex *maxFailedIndexes
                                                     *selector *manualSelector !template *ttlSecondsAfterFinished
                                                     *completionMode *suspend *podReplacementPolicy *managedBy
      batch.v1.JobStatus                             *startTime *completionTime *terminating *failedIndexes
                                                     *uncountedTerminatedPods *ready
      batch.v1.PodFailurePolicyOnExitCodesRequirement *containerName !operator
      batch.v1.PodFailurePolicyOnPodConditionsPattern !type !status
      batch.v1.PodFailurePolicyRule                  !action *onExitCodes
      batch.v1.SuccessPolicyRule                     *succeededIndexes *succeededCount
      networking.v1.HTTPIngressPath                  *pathType !backend
      networking.v1.IPAddressSpec                    *parentRef
      networking.v1.IPBlock                          !cidr
      networking.v1.IngressBackend                   *service *resource
      networking.v1.IngressClassParametersReference  *aPIGroup aPIGroup=apiGroup !kind !name *scope *namespace
      networking.v1.IngressClassSpec                 *parameters
      networking.v1.IngressPortStatus                !port !protocol *error
      networking.v1.IngressRule                      ^ingressRuleValue
      networking.v1.IngressRuleValue                 *http
      networking.v1.IngressServiceBackend            !name
      networking.v1.IngressSpec                      *ingressClassName *defaultBackend
      networking.v1.NetworkPolicyPeer                *podSelector *namespaceSelector *ipBlock
      networking.v1.NetworkPolicyPort                *protocol *port *endPort
      networking.v1.NetworkPolicySpec                !podSelector
      storage.v1.CSIDriver                           !spec
      storage.v1.CSIDriverSpec                       *attachRequired *podInfoOnMount *storageCapacity *fsGroupPolicy
                                                     *requiresRepublish *seLinuxMount *nodeAllocatableUpdatePeriodSeconds
      storage.v1.CSINode                             !spec
      storage.v1.CSINodeDriver                       !name !nodeID *allocatable
      storage.v1.CSIStorageCapacity                  *nodeTopology !storageClassName *capacity *maximumVolumeSize
      storage.v1.StorageClass                        !provisioner *reclaimPolicy *allowVolumeExpansion *volumeBindingMode
      storage.v1.TokenRequest                        !audience *expirationSeconds
      storage.v1.VolumeAttachment                    !spec
      storage.v1.VolumeAttachmentSource              *persistentVolumeName *inlineVolumeSpec
      storage.v1.VolumeAttachmentSpec                !attacher !source !nodeName
      storage.v1.VolumeAttachmentStatus              !attached *attachError *detachError
      storage.v1.VolumeError                         *errorCode
      storage.v1.VolumeNodeResources                 *count
      rbac.v1.ClusterRole                            *aggregationRule
      rbac.v1.ClusterRoleBinding                     !roleRef
      rbac.v1.RoleBinding                            !roleRef
      rbac.v1.RoleRef                                !apiGroup !kind !name
      rbac.v1.Subject                                !kind !name
      policy.v1.Eviction                             *deleteOptions
      policy.v1.PodDisruptionBudgetSpec              *minAvailable *selector *maxUnavailable *unhealthyPodEvictionPolicy
      policy.v1.PodDisruptionBudgetStatus            !disruptionsAllowed !currentHealthy !desiredHealthy !expectedPods
      scheduling.v1.PriorityClass                    !value *preemptionPolicy
      autoscaling.v1.ContainerResourceMetricSource   !name *targetAverageUtilization *targetAverageValue !container
      autoscaling.v1.ContainerResourceMetricStatus   !name *currentAverageUtilization !currentAverageValue !container
      autoscaling.v1.CrossVersionObjectReference     !kind !name
      autoscaling.v1.ExternalMetricSource            !metricName *metricSelector *targetValue *targetAverageValue
      autoscaling.v1.ExternalMetricStatus            !metricName *metricSelector !currentValue *currentAverageValue
      autoscaling.v1.HorizontalPodAutoscalerCondition !type !status
      autoscaling.v1.HorizontalPodAutoscalerSpec     !scaleTargetRef *minReplicas !maxReplicas
                                                     *targetCPUUtilizationPercentage
      autoscaling.v1.HorizontalPodAutoscalerStatus   *observedGeneration *lastScaleTime !currentReplicas !desiredReplicas
                                                     *currentCPUUtilizationPercentage
      autoscaling.v1.MetricSpec                      !type *object *pods *resource *containerResource *external
      autoscaling.v1.MetricStatus                    !type *object *pods *resource *containerResource *external
      autoscaling.v1.ObjectMetricSource              !target !metricName !targetValue *selector *averageValue
      autoscaling.v1.ObjectMetricStatus              !target !metricName !currentValue *selector *averageValue
      autoscaling.v1.PodsMetricSource                !metricName !targetAverageValue *selector
      autoscaling.v1.PodsMetricStatus                !metricName !currentAverageValue *selector
      autoscaling.v1.ResourceMetricSource            !name *targetAverageUtilization *targetAverageValue
      autoscaling.v1.ResourceMetricStatus            !name *currentAverageUtilization !currentAverageValue
      autoscaling.v1.ScaleStatus                     !replicas
      autoscaling.v2.ContainerResourceMetricSource   !name !target !container
      autoscaling.v2.ContainerResourceMetricStatus   !name !current !container
      autoscaling.v2.CrossVersionObjectReference     !kind !name
      autoscaling.v2.ExternalMetricSource            !metric !target
      autoscaling.v2.ExternalMetricStatus            !metric !current
      autoscaling.v2.HPAScalingPolicy                !type !value !periodSeconds
      autoscaling.v2.HPAScalingRules                 *stabilizationWindowSeconds *selectPolicy *tolerance
      autoscaling.v2.HorizontalPodAutoscalerBehavior *scaleUp *scaleDown
      autoscaling.v2.HorizontalPodAutoscalerCondition !type !status
      autoscaling.v2.HorizontalPodAutoscalerSpec     !scaleTargetRef *minReplicas !maxReplicas *behavior
      autoscaling.v2.HorizontalPodAutoscalerStatus   *observedGeneration *lastScaleTime !desiredReplicas
      autoscaling.v2.MetricIdentifier                !name *selector
      autoscaling.v2.MetricSpec                      !type *object *pods *resource *containerResource *external
      autoscaling.v2.MetricStatus                    !type *object *pods *resource *containerResource *external
      autoscaling.v2.MetricTarget                    !type *value *averageValue *averageUtilization
      autoscaling.v2.MetricValueStatus               *value *averageValue *averageUtilization
      autoscaling.v2.ObjectMetricSource              !describedObject !target !metric
      autoscaling.v2.ObjectMetricStatus              !metric !current !describedObject
      autoscaling.v2.PodsMetricSource                !metric !target
      autoscaling.v2.PodsMetricStatus                !metric !current
      autoscaling.v2.ResourceMetricSource            !name !target
      autoscaling.v2.ResourceMetricStatus            !name !current
      coordination.v1.LeaseSpec                      *holderIdentity *leaseDurationSeconds *acquireTime *renewTime
                                                     *leaseTransitions *strategy *preferredHolder
      discovery.v1.Endpoint                          *hostname *targetRef *nodeName *zone *hints
      discovery.v1.EndpointConditions                *ready *serving *terminating
      discovery.v1.EndpointPort                      *name *protocol *port *appProtocol
      discovery.v1.EndpointSlice                     !addressType
      discovery.v1.ForNode                           !name
      discovery.v1.ForZone                           !name
      events.v1.Event                                !metadata !eventTime *series *related
      events.v1.EventSeries                          !count !lastObservedTime
      authentication.v1.BoundObjectReference         uID=uid
      authentication.v1.TokenRequest                 !spec
      authentication.v1.TokenRequestSpec             *expirationSeconds *boundObjectRef
      authentication.v1.TokenRequestStatus           !token !expirationTimestamp
      authentication.v1.TokenReview                  !spec
      authorization.v1.LocalSubjectAccessReview      !spec
      authorization.v1.ResourceAttributes            *fieldSelector *labelSelector
      authorization.v1.SelfSubjectAccessReview       !spec
      authorization.v1.SelfSubjectAccessReviewSpec   *resourceAttributes *nonResourceAttributes
      authorization.v1.SelfSubjectRulesReview        !spec
      authorization.v1.SubjectAccessReview           !spec
      authorization.v1.SubjectAccessReviewSpec       *resourceAttributes *nonResourceAttributes
      authorization.v1.SubjectAccessReviewStatus     !allowed
      authorization.v1.SubjectRulesReviewStatus      !incomplete
      certificates.v1.CertificateSigningRequest      !spec
      certificates.v1.CertificateSigningRequestCondition !type !status
      certificates.v1.CertificateSigningRequestSpec  !signerName *expirationSeconds
      meta.v1.APIGroup                               !name
      meta.v1.APIResource                            !name !singularName !namespaced !kind !verbs
      meta.v1.APIResourceList                        !groupVersion
      meta.v1.ApplyOptions                           !force !fieldManager
      meta.v1.Condition                              !type !status !lastTransitionTime !reason !message
      meta.v1.DeleteOptions                          *gracePeriodSeconds *preconditions *orphanDependents *propagationPolicy
                                                     *ignoreStoreReadErrorWithClusterBreakingPotential
      meta.v1.FieldSelectorRequirement               !key !operator
      meta.v1.GroupKind                              !group !kind
      meta.v1.GroupResource                          !group !resource
      meta.v1.GroupVersion                           !group !version
      meta.v1.GroupVersionForDiscovery               !groupVersion !version
      meta.v1.GroupVersionKind                       !group !version !kind
      meta.v1.GroupVersionResource                   !group !version !resource
      meta.v1.LabelSelectorRequirement               !key !operator
      meta.v1.ListMeta                               *remainingItemCount
      meta.v1.ListOptions                            *timeoutSeconds *sendInitialEvents
      meta.v1.ManagedFieldsEntry                     *time *fieldsV1
      meta.v1.ObjectMeta                             *deletionTimestamp *deletionGracePeriodSeconds
      meta.v1.OwnerReference                         !apiVersion !kind !name !uid *controller *blockOwnerDeletion
      meta.v1.PatchOptions                           *force
      meta.v1.Preconditions                          *uid *resourceVersion
      meta.v1.ServerAddressByClientCIDR              !clientCIDR !serverAddress
      meta.v1.Status                                 *details
      meta.v1.Timestamp                              !seconds !nanos
      meta.v1.WatchEvent                             !type !object
      """;

  private static final GoFieldRules INSTANCE = new GoFieldRules(TABLE);

  /** message full name → proto field name → rule. */
  private final Map<String, Map<String, Rule>> rules;
  /** message full name → proto field name → JSON name, where they differ. */
  private final Map<String, Map<String, String>> renames;

  static GoFieldRules get() { return INSTANCE; }

  GoFieldRules(String table) {
    Map<String, Map<String, Rule>> r = new LinkedHashMap<>();
    Map<String, Map<String, String>> n = new HashMap<>();
    String message = null;
    for (String line : table.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
      String[] tokens = trimmed.split("\\s+");
      int first = 0;
      if (!Character.isWhitespace(line.charAt(0))) {
        message = fullName(tokens[0]);
        first = 1;
      }
      if (message == null) throw new IllegalArgumentException("field rules: continuation before any message: " + line);
      Map<String, Rule> fields = r.computeIfAbsent(message, k -> new LinkedHashMap<>());
      for (int i = first; i < tokens.length; i++) {
        String t = tokens[i];
        int eq = t.indexOf('=');
        if (eq > 0) {
          n.computeIfAbsent(message, k -> new HashMap<>()).put(t.substring(0, eq), t.substring(eq + 1));
          continue;
        }
        Rule rule = switch (t.charAt(0)) {
          case '*' -> Rule.POINTER;
          case '!' -> Rule.ALWAYS;
          case '^' -> Rule.INLINE;
          default -> throw new IllegalArgumentException("field rules: bad token " + t + " in " + line);
        };
        if (fields.put(t.substring(1), rule) != null) throw new IllegalArgumentException("field rules: duplicate " + message + "." + t);
      }
    }
    r.replaceAll((k, v) -> Collections.unmodifiableMap(v));
    this.rules = Collections.unmodifiableMap(r);
    this.renames = n;
  }

  /** {@code core.v1.Pod} → {@code k8s.io.api.core.v1.Pod}; {@code meta.v1.X} → {@code k8s.io.apimachinery.pkg.apis.meta.v1.X}. */
  static String fullName(String shortName) {
    return shortName.startsWith("meta.v1.") ? "k8s.io.apimachinery.pkg.apis." + shortName : "k8s.io.api." + shortName;
  }

  Rule rule(FieldDescriptor field) {
    Map<String, Rule> fields = rules.get(field.getContainingType().getFullName());
    Rule r = fields == null ? null : fields.get(field.getName());
    return r == null ? Rule.OMITEMPTY : r;
  }

  String jsonName(FieldDescriptor field) {
    Map<String, String> m = renames.get(field.getContainingType().getFullName());
    String r = m == null ? null : m.get(field.getName());
    return r == null ? field.getName() : r;
  }

  /** The fields with a rule other than OMITEMPTY, by message full name (for tests and diagnostics). */
  Map<String, Map<String, Rule>> table() { return rules; }

  /** Whether this field of this message is a Go pointer (a present zero is meaningful). */
  boolean isPointer(Descriptor message, String field) {
    Map<String, Rule> fields = rules.get(message.getFullName());
    return fields != null && fields.get(field) == Rule.POINTER;
  }
}
