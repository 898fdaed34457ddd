package io.kava.apiserver.wire.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.RuntimeSchema;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import io.kubernetes.client.proto.V2beta2Autoscaling;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The protobuf descriptors of the Kubernetes 1.33 wire types, as one immutable index by full message name.
 *
 * <p>The base is the descriptors compiled into {@code io.kubernetes:client-java-proto} 25.0.0. That artifact
 * lags the API it is named after (its core/v1 is about Kubernetes 1.30) and lacks whole groups, so the
 * descriptors are rebuilt here with what kubectl 1.33 can send and the jar does not know: the
 * coordination.k8s.io/v1, discovery.k8s.io/v1 and events.k8s.io/v1 files, and the fields and messages added to
 * core, apps, networking, storage, authorization and meta up to 1.33 (field numbers from the upstream
 * {@code generated.proto} of release-1.33). A field of a newer server that is not described here is skipped by
 * the parser, as Go's gogo-generated unmarshaller does with unknown fields.
 *
 * <p>Every addition is skipped when the base already has it, so upgrading client-java-proto cannot break this.
 */
final class ProtoSchema {
  static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1";
  static final String RUNTIME = "k8s.io.apimachinery.pkg.runtime";
  static final String RESOURCE = "k8s.io.apimachinery.pkg.api.resource";
  static final String INTSTR = "k8s.io.apimachinery.pkg.util.intstr";
  static final String CORE = "k8s.io.api.core.v1";

  private static final String META_FILE = "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto";
  private static final String CORE_FILE = "k8s.io/api/core/v1/generated.proto";
  private static final String AUTOSCALING_V2_FILE = "k8s.io/api/autoscaling/v2/generated.proto";

  private static final class Holder {
    static final ProtoSchema INSTANCE = new ProtoSchema();
  }

  private final Map<String, Descriptor> messages = new HashMap<>();

  static ProtoSchema get() { return Holder.INSTANCE; }

  /** The message with this full name ({@code k8s.io.api.apps.v1.Deployment}), or null. */
  Descriptor message(String fullName) { return messages.get(fullName); }

  private ProtoSchema() {
    Map<String, FileDescriptorProto.Builder> files = new LinkedHashMap<>();
    for (FileDescriptor fd : List.of(io.kubernetes.client.proto.Runtime.getDescriptor(), RuntimeSchema.getDescriptor(),
        Resource.getDescriptor(), IntStr.getDescriptor(), Meta.getDescriptor(), V1.getDescriptor(), V1Apps.getDescriptor(),
        V1Batch.getDescriptor(), V1Networking.getDescriptor(), V1Storage.getDescriptor(), V1Rbac.getDescriptor(),
        V1Policy.getDescriptor(), V1Scheduling.getDescriptor(), V1Autoscaling.getDescriptor(),
        V1Authentication.getDescriptor(), V1Authorization.getDescriptor(), V1Certificates.getDescriptor())) {
      files.put(fd.getName(), fd.toProto().toBuilder());
    }
    files.put(AUTOSCALING_V2_FILE, autoscalingV2(V2beta2Autoscaling.getDescriptor().toProto()));
    addUpTo133(files);
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : files.keySet()) build(name, files, built);
    for (FileDescriptor fd : built.values()) {
      for (Descriptor d : fd.getMessageTypes()) index(d);
    }
  }

  private void index(Descriptor d) {
    messages.put(d.getFullName(), d);
    for (Descriptor nested : d.getNestedTypes()) index(nested);
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto.Builder> files, Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) return done;
    FileDescriptorProto.Builder proto = files.get(name);
    if (proto == null) throw new IllegalStateException("protobuf schema: missing dependency " + name);
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) deps.add(build(dep, files, built));
    try {
      FileDescriptor fd = FileDescriptor.buildFrom(proto.build(), deps.toArray(new FileDescriptor[0]));
      built.put(name, fd);
      return fd;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("protobuf schema: cannot build " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * autoscaling/v2 (what {@code kubectl autoscale} sends), which client-java-proto lacks, is autoscaling/v2beta2
   * under another package, plus HPAScalingRules.tolerance (1.33).
   */
  private static FileDescriptorProto.Builder autoscalingV2(FileDescriptorProto v2beta2) {
    String from = "." + v2beta2.getPackage() + ".";
    String to = ".k8s.io.api.autoscaling.v2.";
    FileDescriptorProto.Builder v2 = v2beta2.toBuilder().setName(AUTOSCALING_V2_FILE).setPackage("k8s.io.api.autoscaling.v2")
        .clearOptions();
    for (DescriptorProto.Builder m : v2.getMessageTypeBuilderList()) retype(m, from, to);
    new File(v2).fields("HPAScalingRules", "." + RESOURCE + ".Quantity tolerance = 4");
    return v2;
  }

  private static void retype(DescriptorProto.Builder m, String from, String to) {
    for (FieldDescriptorProto.Builder f : m.getFieldBuilderList()) {
      if (f.getTypeName().startsWith(from)) f.setTypeName(to + f.getTypeName().substring(from.length()));
    }
    for (DescriptorProto.Builder nested : m.getNestedTypeBuilderList()) retype(nested, from, to);
  }

  // ---------------------------------------------------------------------------------------------------------
  // What kubectl 1.33 can send beyond client-java-proto 25.0.0 (from k8s.io/api and apimachinery release-1.33).

  private static void addUpTo133(Map<String, FileDescriptorProto.Builder> files) {
    File meta = new File(files.get(META_FILE));
    meta.message("FieldSelectorRequirement", "string key = 1", "string operator = 2", "repeated string values = 3");
    meta.fields("DeleteOptions", "bool ignoreStoreReadErrorWithClusterBreakingPotential = 6");

    File core = new File(files.get(CORE_FILE));
    core.message("LinuxContainerUser", "int64 uid = 1", "int64 gid = 2", "repeated int64 supplementalGroups = 3");
    core.message("ContainerUser", "LinuxContainerUser linux = 1");
    core.message("ImageVolumeSource", "string reference = 1", "string pullPolicy = 2");
    core.message("NodeFeatures", "bool supplementalGroupsPolicy = 1");
    core.message("NodeSwapStatus", "int64 capacity = 1");
    core.message("ResourceHealth", "string resourceID = 1", "string health = 2");
    core.message("ResourceStatus", "string name = 1", "repeated ResourceHealth resources = 2");
    core.fields("ContainerStatus", "ContainerUser user = 13", "repeated ResourceStatus allocatedResourcesStatus = 14",
        "string stopSignal = 15");
    core.fields("Lifecycle", "string stopSignal = 3");
    core.fields("NodeRuntimeHandlerFeatures", "bool userNamespaces = 2");
    core.fields("NodeStatus", "NodeFeatures features = 13");
    core.fields("NodeSystemInfo", "NodeSwapStatus swap = 11");
    core.fields("PodCondition", "int64 observedGeneration = 7");
    core.fields("PodLogOptions", "string stream = 10");
    core.removeField("PodResourceClaim", "source"); // field 2 (ClaimSource) was removed in 1.31
    core.fields("PodResourceClaim", "string resourceClaimName = 3", "string resourceClaimTemplateName = 4");
    core.fields("PodSecurityContext", "string supplementalGroupsPolicy = 12", "string seLinuxChangePolicy = 13");
    core.fields("PodSpec", "ResourceRequirements resources = 40");
    core.fields("PodStatus", "int64 observedGeneration = 17");
    core.fields("ResourceClaim", "string request = 2");
    core.fields("VolumeSource", "ImageVolumeSource image = 30");

    File apps = new File(files.get("k8s.io/api/apps/v1/generated.proto"));
    apps.fields("DeploymentStatus", "int32 terminatingReplicas = 9");
    apps.fields("ReplicaSetStatus", "int32 terminatingReplicas = 7");

    File networking = new File(files.get("k8s.io/api/networking/v1/generated.proto"));
    networking.message("ParentReference", "string group = 1", "string resource = 2", "string namespace = 3", "string name = 4");
    networking.message("IPAddressSpec", "ParentReference parentRef = 1");
    networking.message("IPAddress", "." + META + ".ObjectMeta metadata = 1", "IPAddressSpec spec = 2");
    networking.message("IPAddressList", "." + META + ".ListMeta metadata = 1", "repeated IPAddress items = 2");
    networking.message("ServiceCIDRSpec", "repeated string cidrs = 1");
    networking.message("ServiceCIDRStatus", "repeated ." + META + ".Condition conditions = 1");
    networking.message("ServiceCIDR", "." + META + ".ObjectMeta metadata = 1", "ServiceCIDRSpec spec = 2",
        "ServiceCIDRStatus status = 3");
    networking.message("ServiceCIDRList", "." + META + ".ListMeta metadata = 1", "repeated ServiceCIDR items = 2");

    File storage = new File(files.get("k8s.io/api/storage/v1/generated.proto"));
    storage.fields("CSIDriverSpec", "int64 nodeAllocatableUpdatePeriodSeconds = 9");
    storage.fields("VolumeError", "int32 errorCode = 3");

    File authorization = new File(files.get("k8s.io/api/authorization/v1/generated.proto"));
    authorization.message("FieldSelectorAttributes", "string rawSelector = 1",
        "repeated ." + META + ".FieldSelectorRequirement requirements = 2");
    authorization.message("LabelSelectorAttributes", "string rawSelector = 1",
        "repeated ." + META + ".LabelSelectorRequirement requirements = 2");
    authorization.fields("ResourceAttributes", "FieldSelectorAttributes fieldSelector = 8",
        "LabelSelectorAttributes labelSelector = 9");

    File coordination = File.create(files, "k8s.io/api/coordination/v1/generated.proto", "k8s.io.api.coordination.v1", META_FILE);
    coordination.message("LeaseSpec", "string holderIdentity = 1", "int32 leaseDurationSeconds = 2",
        "." + META + ".MicroTime acquireTime = 3", "." + META + ".MicroTime renewTime = 4", "int32 leaseTransitions = 5",
        "string strategy = 6", "string preferredHolder = 7");
    coordination.message("Lease", "." + META + ".ObjectMeta metadata = 1", "LeaseSpec spec = 2");
    coordination.message("LeaseList", "." + META + ".ListMeta metadata = 1", "repeated Lease items = 2");

    File discovery = File.create(files, "k8s.io/api/discovery/v1/generated.proto", "k8s.io.api.discovery.v1", META_FILE, CORE_FILE);
    discovery.message("EndpointConditions", "bool ready = 1", "bool serving = 2", "bool terminating = 3");
    discovery.message("ForZone", "string name = 1");
    discovery.message("ForNode", "string name = 1");
    discovery.message("EndpointHints", "repeated ForZone forZones = 1", "repeated ForNode forNodes = 2");
    discovery.message("Endpoint", "repeated string addresses = 1", "EndpointConditions conditions = 2", "string hostname = 3",
        "." + CORE + ".ObjectReference targetRef = 4", "map<string,string> deprecatedTopology = 5", "string nodeName = 6",
        "string zone = 7", "EndpointHints hints = 8");
    discovery.message("EndpointPort", "string name = 1", "string protocol = 2", "int32 port = 3", "string appProtocol = 4");
    // Declared in Go struct order (addressType before endpoints), which is the order of the JSON properties.
    discovery.message("EndpointSlice", "." + META + ".ObjectMeta metadata = 1", "string addressType = 4",
        "repeated Endpoint endpoints = 2", "repeated EndpointPort ports = 3");
    discovery.message("EndpointSliceList", "." + META + ".ListMeta metadata = 1", "repeated EndpointSlice items = 2");

    File events = File.create(files, "k8s.io/api/events/v1/generated.proto", "k8s.io.api.events.v1", META_FILE, CORE_FILE);
    events.message("EventSeries", "int32 count = 1", "." + META + ".MicroTime lastObservedTime = 2");
    events.message("Event", "." + META + ".ObjectMeta metadata = 1", "." + META + ".MicroTime eventTime = 2",
        "EventSeries series = 3", "string reportingController = 4", "string reportingInstance = 5", "string action = 6",
        "string reason = 7", "." + CORE + ".ObjectReference regarding = 8", "." + CORE + ".ObjectReference related = 9",
        "string note = 10", "string type = 11", "." + CORE + ".EventSource deprecatedSource = 12",
        "." + META + ".Time deprecatedFirstTimestamp = 13", "." + META + ".Time deprecatedLastTimestamp = 14",
        "int32 deprecatedCount = 15");
    events.message("EventList", "." + META + ".ListMeta metadata = 1", "repeated Event items = 2");
  }

  /**
   * Edits one file of the schema. Fields are written in a one-line subset of proto2 syntax:
   * {@code [repeated] <type> <name> = <number>}, where type is a scalar (string, bool, int32, int64, bytes), a
   * {@code map<string,V>}, a message of the same file by simple name, or a message of another file by
   * {@code .full.name}.
   */
  private static final class File {
    private static final Pattern FIELD = Pattern.compile("(repeated\\s+)?(map<\\s*string\\s*,\\s*([\\w.]+)\\s*>|[\\w.]+)\\s+(\\w+)\\s*=\\s*(\\d+)");
    private final FileDescriptorProto.Builder file;

    File(FileDescriptorProto.Builder file) {
      if (file == null) throw new IllegalStateException("protobuf schema: base file missing");
      this.file = file;
    }

    static File create(Map<String, FileDescriptorProto.Builder> files, String name, String pkg, String... deps) {
      FileDescriptorProto.Builder b = files.get(name);
      if (b == null) {
        b = FileDescriptorProto.newBuilder().setName(name).setPackage(pkg).setSyntax("proto2");
        for (String d : deps) b.addDependency(d);
        files.put(name, b);
      }
      return new File(b);
    }

    private DescriptorProto.Builder find(String simpleName) {
      for (DescriptorProto.Builder m : file.getMessageTypeBuilderList()) {
        if (m.getName().equals(simpleName)) return m;
      }
      return null;
    }

    /** Adds a message unless the base already declares it. */
    void message(String name, String... fields) {
      if (find(name) != null) return;
      DescriptorProto.Builder m = file.addMessageTypeBuilder().setName(name);
      for (String f : fields) addField(m, f);
    }

    /** Adds fields to an existing message, skipping those the base already has. */
    void fields(String message, String... fields) {
      DescriptorProto.Builder m = find(message);
      if (m == null) throw new IllegalStateException("protobuf schema: no message " + file.getPackage() + "." + message);
      for (String f : fields) addField(m, f);
    }

    void removeField(String message, String field) {
      DescriptorProto.Builder m = find(message);
      if (m == null) return;
      for (int i = 0; i < m.getFieldCount(); i++) {
        if (m.getField(i).getName().equals(field)) {
          m.removeField(i);
          return;
        }
      }
    }

    private void addField(DescriptorProto.Builder m, String spec) {
      Matcher x = FIELD.matcher(spec.trim());
      if (!x.matches()) throw new IllegalArgumentException("protobuf schema: bad field spec: " + spec);
      String name = x.group(4);
      int number = Integer.parseInt(x.group(5));
      for (FieldDescriptorProto existing : m.getFieldList()) {
        if (existing.getName().equals(name) || existing.getNumber() == number) return;
      }
      FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
          .setLabel(x.group(1) != null ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL);
      if (x.group(3) != null) {
        String entry = Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Entry";
        DescriptorProto.Builder e = m.addNestedTypeBuilder().setName(entry)
            .setOptions(MessageOptions.newBuilder().setMapEntry(true));
        e.addField(typed(FieldDescriptorProto.newBuilder().setName("key").setNumber(1)
            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL), "string"));
        e.addField(typed(FieldDescriptorProto.newBuilder().setName("value").setNumber(2)
            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL), x.group(3)));
        f.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED).setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
            .setTypeName("." + file.getPackage() + "." + m.getName() + "." + entry);
      } else {
        typed(f, x.group(2));
      }
      m.addField(f);
    }

    private FieldDescriptorProto.Builder typed(FieldDescriptorProto.Builder f, String type) {
      switch (type) {
        case "string" -> f.setType(FieldDescriptorProto.Type.TYPE_STRING);
        case "bool" -> f.setType(FieldDescriptorProto.Type.TYPE_BOOL);
        case "int32" -> f.setType(FieldDescriptorProto.Type.TYPE_INT32);
        case "int64" -> f.setType(FieldDescriptorProto.Type.TYPE_INT64);
        case "bytes" -> f.setType(FieldDescriptorProto.Type.TYPE_BYTES);
        default -> f.setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
            .setTypeName(type.startsWith(".") ? type : "." + file.getPackage() + "." + type);
      }
      return f;
    }
  }
}
