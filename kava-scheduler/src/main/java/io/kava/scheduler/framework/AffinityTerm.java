package io.kava.scheduler.framework;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.kava.api.selector.LabelRequirement;
import io.kava.api.selector.LabelSelector;
import io.kava.api.selector.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled pod (anti-)affinity term of some pod: which pods it selects (label selector, in which namespaces) and
 * over which topology (a node label key). A term with no namespaces and no namespace selector means the owning
 * pod's own namespace; an empty namespace selector means every namespace.
 *
 * @param namespaceSelector null when the term has none
 */
public record AffinityTerm(Set<String> namespaces, LabelSelector namespaceSelector, LabelSelector selector, String topologyKey) {

  /** The term of {@code owner} (whose namespace and labels fill in defaults and matchLabelKeys). */
  public static AffinityTerm of(PodAffinityTerm t, String ownerNamespace, Map<String, String> ownerLabels) {
    LabelSelector nsSel = t.getNamespaceSelector() == null ? null : Selectors.of(t.getNamespaceSelector());
    Set<String> ns = t.getNamespaces() == null ? Set.of() : Set.copyOf(t.getNamespaces());
    if (ns.isEmpty() && nsSel == null) ns = Set.of(ownerNamespace);
    LabelSelector sel = Selectors.of(t.getLabelSelector());
    // matchLabelKeys / mismatchLabelKeys: the owner's own values become part of the selector.
    if (t.getLabelSelector() != null && !sel.matchesNothing()) {
      List<LabelRequirement> extra = new ArrayList<>();
      if (t.getMatchLabelKeys() != null) for (String k : t.getMatchLabelKeys()) {
        String v = ownerLabels.get(k);
        if (v != null) extra.add(new LabelRequirement(k, Operator.IN, List.of(v)));
      }
      if (t.getMismatchLabelKeys() != null) for (String k : t.getMismatchLabelKeys()) {
        String v = ownerLabels.get(k);
        if (v != null) extra.add(new LabelRequirement(k, Operator.NOT_IN, List.of(v)));
      }
      if (!extra.isEmpty()) sel = sel.add(extra.toArray(LabelRequirement[]::new));
    }
    return new AffinityTerm(ns, nsSel, sel, t.getTopologyKey() == null ? "" : t.getTopologyKey());
  }

  /** Whether this term selects {@code pod}, whose namespace carries {@code podNamespaceLabels}. */
  public boolean matches(PodInfo pod, Map<String, String> podNamespaceLabels) {
    boolean nsOk = namespaces.contains(pod.namespace())
        || (namespaceSelector != null && namespaceSelector.matches(podNamespaceLabels == null ? Map.of() : podNamespaceLabels));
    return nsOk && selector.matches(pod.labels());
  }

  /** The same term with its namespace selector resolved into names (done once per cycle for the incoming pod). */
  public AffinityTerm withNamespaces(Set<String> resolved) {
    if (namespaceSelector == null) return this;
    java.util.HashSet<String> all = new java.util.HashSet<>(namespaces);
    all.addAll(resolved);
    return new AffinityTerm(Set.copyOf(all), null, selector, topologyKey);
  }
}
