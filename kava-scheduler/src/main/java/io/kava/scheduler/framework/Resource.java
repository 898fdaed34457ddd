package io.kava.scheduler.framework;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An amount of node resources in the units the scheduler compares: millicores of cpu, bytes of memory and
 * ephemeral storage, a number of pods, and any other (extended) resource as an integer count. Mutable: a NodeInfo
 * adds and subtracts pods' requests in place. Not thread-safe.
 */
public final class Resource {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";

  public long milliCpu;
  public long memory;
  public long ephemeralStorage;
  /** Only meaningful for allocatable: how many pods the node takes. */
  public long allowedPods;
  /** Extended resources (e.g. nvidia.com/gpu, hugepages-2Mi), by name; null until one is set. */
  private Map<String, Long> scalar;

  public Resource() {}

  public Resource(long milliCpu, long memory) {
    this.milliCpu = milliCpu;
    this.memory = memory;
  }

  public Resource copy() {
    Resource r = new Resource(milliCpu, memory);
    r.ephemeralStorage = ephemeralStorage;
    r.allowedPods = allowedPods;
    if (scalar != null) r.scalar = new HashMap<>(scalar);
    return r;
  }

  public Map<String, Long> scalar() { return scalar == null ? Map.of() : scalar; }

  /** Whether any extended resource is set (to a value other than none). */
  public boolean hasScalar() { return scalar != null && !scalar.isEmpty(); }

  public long scalar(String name) { return scalar == null ? 0 : scalar.getOrDefault(name, 0L); }

  public void setScalar(String name, long value) {
    if (scalar == null) scalar = new HashMap<>(4);
    scalar.put(name, value);
  }

  public void add(Resource r) {
    milliCpu += r.milliCpu;
    memory += r.memory;
    ephemeralStorage += r.ephemeralStorage;
    if (r.scalar != null) r.scalar.forEach((k, v) -> setScalar(k, scalar(k) + v));
  }

  public void subtract(Resource r) {
    milliCpu -= r.milliCpu;
    memory -= r.memory;
    ephemeralStorage -= r.ephemeralStorage;
    if (r.scalar != null) r.scalar.forEach((k, v) -> setScalar(k, scalar(k) - v));
  }

  /** Per resource, the larger of this and {@code r} (what an init container needs while it runs alone). */
  public void setMax(Resource r) {
    milliCpu = Math.max(milliCpu, r.milliCpu);
    memory = Math.max(memory, r.memory);
    ephemeralStorage = Math.max(ephemeralStorage, r.ephemeralStorage);
    if (r.scalar != null) r.scalar.forEach((k, v) -> setScalar(k, Math.max(scalar(k), v)));
  }

  /** The amount of one resource by its API name. */
  public long get(String name) {
    return switch (name) {
      case CPU -> milliCpu;
      case MEMORY -> memory;
      case EPHEMERAL_STORAGE -> ephemeralStorage;
      case PODS -> allowedPods;
      default -> scalar(name);
    };
  }

  public boolean isZero() {
    if (milliCpu != 0 || memory != 0 || ephemeralStorage != 0) return false;
    if (scalar != null) for (long v : scalar.values()) if (v != 0) return false;
    return true;
  }

  @Override
  public String toString() {
    Map<String, Long> m = new TreeMap<>(scalar());
    return "{cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral-storage=" + ephemeralStorage + ", pods=" + allowedPods
        + (m.isEmpty() ? "" : ", " + m) + "}";
  }
}
