package io.kava.apiserver.table;

import static io.kava.apiserver.table.Nodes.arr;
import static io.kava.apiserver.table.Nodes.at;
import static io.kava.apiserver.table.Nodes.str;
import static io.kava.apiserver.table.Nodes.strOrNull;
import static io.kava.apiserver.table.RowConvertor.age;
import static io.kava.apiserver.table.RowConvertor.bool;
import static io.kava.apiserver.table.RowConvertor.integer;
import static io.kava.apiserver.table.RowConvertor.name;
import static io.kava.apiserver.table.RowConvertor.row;
import static io.kava.apiserver.table.RowConvertor.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Printers of storage.k8s.io: StorageClass, VolumeAttachment, CSIDriver, CSINode, VolumeAttributesClass. */
final class StorageTableConvertors {
  private StorageTableConvertors() {
  }

  static final TableConvertor STORAGE_CLASS = new RowConvertor(
      List.of(name(),
          str("Provisioner", Docs.STORAGE_CLASS_PROVISIONER),
          str("ReclaimPolicy", Docs.STORAGE_CLASS_RECLAIM_POLICY),
          str("VolumeBindingMode", Docs.STORAGE_CLASS_VOLUME_BINDING_MODE),
          str("AllowVolumeExpansion", Docs.STORAGE_CLASS_ALLOW_VOLUME_EXPANSION),
          age()),
      (o, now) -> {
        Map<String, String> annotations = Nodes.stringMap(o, "metadata", "annotations");
        String name = Nodes.name(o);
        if ("true".equals(annotations.get("storageclass.kubernetes.io/is-default-class"))
            || "true".equals(annotations.get("storageclass.beta.kubernetes.io/is-default-class"))) {
          name += " (default)";
        }
        String reclaimPolicy = strOrNull(o, "reclaimPolicy");
        String bindingMode = strOrNull(o, "volumeBindingMode");
        return row(name,
            str(o, "provisioner"),
            reclaimPolicy == null ? "Delete" : reclaimPolicy,
            bindingMode == null ? "Immediate" : bindingMode,
            Nodes.bool(o, "allowVolumeExpansion"),
            Nodes.age(o, now));
      });

  static final TableConvertor VOLUME_ATTRIBUTES_CLASS = new RowConvertor(
      List.of(name(), str("DriverName", Docs.VOLUME_ATTRIBUTES_CLASS_DRIVER_NAME), age()),
      (o, now) -> {
        String name = Nodes.name(o);
        if ("true".equals(Nodes.stringMap(o, "metadata", "annotations")
            .get("volumeattributesclass.alpha.kubernetes.io/is-default-class"))) {
          name += " (default)";
        }
        return row(name, str(o, "driverName"), Nodes.age(o, now));
      });

  static final TableConvertor VOLUME_ATTACHMENT = new RowConvertor(
      List.of(name(),
          new TableColumn("Attacher", "string", "name", Docs.VOLUME_ATTACHMENT_SPEC_ATTACHER, 0),
          str("PV", Docs.VOLUME_ATTACHMENT_SOURCE_PV_NAME),
          str("Node", Docs.VOLUME_ATTACHMENT_SPEC_NODE_NAME),
          bool("Attached", Docs.VOLUME_ATTACHMENT_STATUS_ATTACHED),
          age()),
      (o, now) -> row(Nodes.name(o), str(o, "spec", "attacher"),
          str(o, "spec", "source", "persistentVolumeName"), str(o, "spec", "nodeName"),
          Nodes.bool(o, "status", "attached"), Nodes.age(o, now)));

  static final TableConvertor CSI_NODE = new RowConvertor(
      List.of(name(),
          integer("Drivers", "Drivers indicates the number of CSI drivers registered on the node"),
          age()),
      (o, now) -> row(Nodes.name(o), (long) Nodes.size(o, "spec", "drivers"), Nodes.age(o, now)));

  static final TableConvertor CSI_DRIVER = new RowConvertor(
      List.of(name(),
          bool("AttachRequired", Docs.CSI_DRIVER_SPEC_ATTACH_REQUIRED),
          bool("PodInfoOnMount", Docs.CSI_DRIVER_SPEC_POD_INFO_ON_MOUNT),
          bool("StorageCapacity", Docs.CSI_DRIVER_SPEC_STORAGE_CAPACITY),
          str("TokenRequests", Docs.CSI_DRIVER_SPEC_TOKEN_REQUESTS),
          bool("RequiresRepublish", Docs.CSI_DRIVER_SPEC_REQUIRES_REPUBLISH),
          str("Modes", Docs.CSI_DRIVER_SPEC_VOLUME_LIFECYCLE_MODES),
          age()),
      (o, now) -> {
        JsonNode spec = at(o, "spec");
        Boolean attachRequired = Nodes.boolOrNull(spec, "attachRequired");
        List<String> modes = new ArrayList<>();
        for (JsonNode m : arr(spec, "volumeLifecycleModes")) {
          modes.add(Nodes.text(m));
        }
        if (at(spec, "volumeLifecycleModes") == null) {
          modes.add("Persistent"); // the v1 default
        }
        String tokenRequests = "<unset>";
        if (at(spec, "tokenRequests") != null) {
          List<String> audiences = new ArrayList<>();
          for (JsonNode t : arr(spec, "tokenRequests")) {
            audiences.add(str(t, "audience"));
          }
          tokenRequests = String.join(",", audiences);
        }
        return row(Nodes.name(o),
            attachRequired == null || attachRequired,
            Nodes.bool(spec, "podInfoOnMount"),
            Nodes.bool(spec, "storageCapacity"),
            tokenRequests,
            Nodes.bool(spec, "requiresRepublish"),
            modes.isEmpty() ? "<none>" : String.join(",", modes),
            Nodes.age(o, now));
      });
}
