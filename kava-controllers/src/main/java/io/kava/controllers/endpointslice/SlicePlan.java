package io.kava.controllers.endpointslice;

import io.kava.controllers.endpointslice.SliceModel.Ep;
import io.kava.controllers.endpointslice.SliceModel.Existing;
import io.kava.controllers.endpointslice.SliceModel.Group;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to write so that the slices of one Service and address type hold the desired endpoints (upstream's
 * reconcileByAddressType, with its aims): endpoints stay in the slice that has them, a slice is rewritten only when
 * its content or labels change, new endpoints fill slices being rewritten anyway before others, slices left empty
 * are reused for new endpoints before new slices are created, and no slice holds more than {@code maxPerSlice}.
 * A Service with no endpoints of the type keeps one empty placeholder slice, as upstream does, so that consumers can
 * tell "no endpoints" from "not synced".
 *
 * @param creates new slices (group and endpoints)
 * @param updates existing slices to rewrite with these endpoints (and the desired labels)
 * @param deletes names of slices to delete
 */
record SlicePlan(List<NewSlice> creates, List<Update> updates, List<String> deletes) {
  record NewSlice(Group group, List<Ep> endpoints) {}

  record Update(Existing slice, Group group, List<Ep> endpoints) {
    Update {
      endpoints = List.copyOf(endpoints);
    }
  }

  /** An existing slice while the plan is being made: what it will hold, and whether that differs from now. */
  private static final class Draft {
    final Existing slice;
    final Group group;
    final List<Ep> endpoints;
    boolean changed;

    Draft(Existing slice, Group group, List<Ep> endpoints, boolean changed) {
      this.slice = slice;
      this.group = group;
      this.endpoints = endpoints;
      this.changed = changed;
    }

    boolean holds(String key) { return endpoints.stream().anyMatch(k -> k.key().equals(key)); }
  }

  boolean isEmpty() { return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty(); }

  static SlicePlan compute(String addressType, Map<Group, Map<String, Ep>> desired, List<Existing> existing,
                           Map<String, String> labels, String ownerUid, int maxPerSlice) {
    List<NewSlice> creates = new ArrayList<>();
    List<Draft> drafts = new ArrayList<>();
    List<String> deletes = new ArrayList<>();
    List<Existing> recyclable = new ArrayList<>(); // slices with nothing left to hold, reusable for any group

    List<Existing> sorted = new ArrayList<>(existing);
    sorted.sort(Comparator.comparing(Existing::name));
    Map<Group, List<Existing>> byGroup = new LinkedHashMap<>();
    for (Existing e : sorted) byGroup.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e);

    boolean anyDesired = desired.values().stream().anyMatch(m -> !m.isEmpty());
    Existing placeholder = null;
    for (Map.Entry<Group, List<Existing>> e : byGroup.entrySet()) {
      Map<String, Ep> want = desired.getOrDefault(e.getKey(), Map.of());
      for (Existing slice : e.getValue()) {
        if (!anyDesired && placeholder == null && slice.ports().isEmpty() && slice.endpoints().isEmpty()) {
          placeholder = slice;
          continue;
        }
        if (want.isEmpty()) {
          recyclable.add(slice);
          continue;
        }
        // Keep what this slice holds that is still wanted, in its current version.
        List<Ep> kept = new ArrayList<>();
        boolean changed = false;
        for (Ep have : slice.endpoints()) {
          Ep w = want.get(have.key());
          if (w == null || kept.size() >= maxPerSlice || kept.stream().anyMatch(k -> k.key().equals(have.key()))) {
            changed = true;
            continue;
          }
          if (!w.equals(have)) changed = true;
          kept.add(w);
        }
        if (kept.isEmpty()) {
          recyclable.add(slice);
          continue;
        }
        drafts.add(new Draft(slice, e.getKey(), kept, changed || !ownedAndLabelled(slice, labels, ownerUid)));
      }
    }
    // Desired endpoints that no kept slice holds yet, per group.
    Map<Group, List<Ep>> unplaced = new LinkedHashMap<>();
    for (Map.Entry<Group, Map<String, Ep>> e : desired.entrySet()) {
      List<Ep> left = new ArrayList<>();
      for (Ep ep : e.getValue().values()) {
        boolean placed = false;
        for (Draft d : drafts) {
          if (d.group.equals(e.getKey()) && d.holds(ep.key())) {
            placed = true;
            break;
          }
        }
        if (!placed) left.add(ep);
      }
      if (!left.isEmpty()) unplaced.put(e.getKey(), left);
    }
    List<Update> finalUpdates = new ArrayList<>();
    for (Map.Entry<Group, List<Ep>> e : unplaced.entrySet()) {
      List<Ep> left = new ArrayList<>(e.getValue());
      // Fill slices of the group that are rewritten anyway first, then ones with room.
      List<Draft> same = new ArrayList<>();
      for (Draft d : drafts) if (d.group.equals(e.getKey())) same.add(d);
      same.sort(Comparator.comparing((Draft d) -> !d.changed).thenComparing(d -> d.slice.name()));
      for (Draft d : same) {
        while (!left.isEmpty() && d.endpoints.size() < maxPerSlice) {
          d.endpoints.add(left.removeFirst());
          d.changed = true;
        }
      }
      while (!left.isEmpty()) {
        List<Ep> batch = new ArrayList<>(left.subList(0, Math.min(maxPerSlice, left.size())));
        left.subList(0, batch.size()).clear();
        if (!recyclable.isEmpty()) finalUpdates.add(new Update(recyclable.removeFirst(), e.getKey(), batch));
        else creates.add(new NewSlice(e.getKey(), batch));
      }
    }
    for (Draft d : drafts) if (d.changed) finalUpdates.add(new Update(d.slice, d.group, d.endpoints));
    for (Existing r : recyclable) deletes.add(r.name());
    if (!anyDesired) {
      Group empty = new Group(addressType, List.of());
      if (placeholder == null) {
        if (!deletes.isEmpty()) {
          // Turn a slice that would be deleted into the placeholder rather than delete and create.
          String name = deletes.removeFirst();
          Existing slice = existing.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
          finalUpdates.add(new Update(slice, empty, List.of()));
        } else {
          creates.add(new NewSlice(empty, List.of()));
        }
      } else if (!ownedAndLabelled(placeholder, labels, ownerUid)) {
        finalUpdates.add(new Update(placeholder, empty, List.of()));
      }
    } else if (placeholder != null) {
      deletes.add(placeholder.name());
    }
    return new SlicePlan(List.copyOf(creates), List.copyOf(finalUpdates), List.copyOf(deletes));
  }

  private static boolean ownedAndLabelled(Existing slice, Map<String, String> labels, String ownerUid) {
    return slice.labels().equals(labels) && ownerUid.equals(slice.ownerUid());
  }
}
