package io.kava.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.kava.api.selector.LabelRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiled node selector terms (required node affinity): the node matches if any term matches; a term matches if
 * all its label expressions and field expressions hold. A term with no expressions, or with an invalid one,
 * matches nothing. The only field is {@code metadata.name}.
 */
public final class NodeSelectorTerms {
  /** One term: label requirements ANDed, plus In/NotIn on metadata.name; {@code valid == false} matches nothing. */
  public record Term(List<LabelRequirement> labels, List<LabelRequirement> fields, boolean valid) {
    boolean matches(Map<String, String> nodeLabels, String nodeName) {
      if (!valid || (labels.isEmpty() && fields.isEmpty())) return false;
      for (LabelRequirement r : labels) if (!r.matches(nodeLabels)) return false;
      if (!fields.isEmpty()) {
        Map<String, String> f = Map.of("metadata.name", nodeName == null ? "" : nodeName);
        for (LabelRequirement r : fields) if (!r.matches(f)) return false;
      }
      return true;
    }
  }

  private final List<Term> terms;

  private NodeSelectorTerms(List<Term> terms) { this.terms = terms; }

  public static NodeSelectorTerms compile(List<NodeSelectorTerm> terms) {
    List<Term> out = new ArrayList<>();
    if (terms != null) for (NodeSelectorTerm t : terms) out.add(compile(t));
    return new NodeSelectorTerms(List.copyOf(out));
  }

  public static Term compile(NodeSelectorTerm t) {
    List<LabelRequirement> labels = new ArrayList<>();
    List<LabelRequirement> fields = new ArrayList<>();
    boolean valid = true;
    if (t != null && t.getMatchExpressions() != null) {
      for (NodeSelectorRequirement r : t.getMatchExpressions()) {
        LabelRequirement lr = Selectors.nodeRequirement(r);
        if (lr == null) valid = false;
        else labels.add(lr);
      }
    }
    if (t != null && t.getMatchFields() != null) {
      for (NodeSelectorRequirement r : t.getMatchFields()) {
        LabelRequirement lr = Selectors.nodeRequirement(r);
        boolean supported = "metadata.name".equals(r.getKey()) && ("In".equals(r.getOperator()) || "NotIn".equals(r.getOperator()));
        if (lr == null || !supported) valid = false;
        else fields.add(lr);
      }
    }
    return new Term(List.copyOf(labels), List.copyOf(fields), valid);
  }

  public List<Term> terms() { return terms; }

  /** Whether one compiled term matches {@code node}. */
  public static boolean termMatches(Term t, NodeInfo node) {
    return t.matches(node.labels(), node.name());
  }

  public boolean matches(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    String name = node.getMetadata().getName();
    for (Term t : terms) if (t.matches(labels == null ? Map.of() : labels, name)) return true;
    return false;
  }

  /**
   * The node names these terms are limited to, when every term names nodes with a metadata.name In field
   * requirement (how DaemonSet pods pin themselves); null when any node could match.
   */
  public Set<String> nodeNames() {
    java.util.HashSet<String> names = new java.util.HashSet<>();
    for (Term t : terms) {
      Set<String> termNames = null;
      for (LabelRequirement f : t.fields()) {
        if (f.operator() != io.kava.api.selector.Operator.IN) continue;
        Set<String> vals = Set.copyOf(f.values());
        if (termNames == null) termNames = new java.util.HashSet<>(vals);
        else termNames.retainAll(vals);
      }
      if (termNames == null) return null;
      names.addAll(termNames);
    }
    return names;
  }
}
