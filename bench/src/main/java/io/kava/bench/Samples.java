package io.kava.bench;

import java.util.Arrays;

/**
 * A growable array of latency samples in nanoseconds, with nearest-rank percentiles. Not thread-safe: each
 * load slot or watcher records into its own instance and the phase merges them once it is over.
 */
public final class Samples {
  private long[] values;
  private int size;
  private boolean sorted = true;

  public Samples() { this(1024); }

  public Samples(int capacity) { values = new long[Math.max(16, capacity)]; }

  public void add(long nanos) {
    if (size == values.length) values = Arrays.copyOf(values, values.length * 2);
    if (size > 0 && nanos < values[size - 1]) sorted = false;
    values[size++] = nanos;
  }

  public void addAll(Samples other) {
    for (int i = 0; i < other.size; i++) add(other.values[i]);
  }

  public int size() { return size; }

  /**
   * The nearest-rank percentile: the smallest sample such that at least {@code p} percent of the samples are less
   * than or equal to it. {@code p} is in (0, 100]; p=0 gives the minimum. NaN when there are no samples.
   */
  public double percentile(double p) {
    if (p < 0 || p > 100 || Double.isNaN(p)) throw new IllegalArgumentException("percentile out of range: " + p);
    if (size == 0) return Double.NaN;
    sort();
    if (p == 0) return values[0];
    int rank = (int) Math.ceil(p / 100.0 * size);
    return values[Math.min(size, Math.max(1, rank)) - 1];
  }

  public double max() { return size == 0 ? Double.NaN : percentile(100); }

  public double mean() {
    if (size == 0) return Double.NaN;
    double sum = 0;
    for (int i = 0; i < size; i++) sum += values[i];
    return sum / size;
  }

  /** Percentile in milliseconds. */
  public double percentileMillis(double p) { return percentile(p) / 1e6; }

  private void sort() {
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
  }

  /** Merges several recorders into a new one. */
  public static Samples merge(Iterable<Samples> parts) {
    int n = 0;
    for (Samples s : parts) n += s.size;
    Samples all = new Samples(n);
    for (Samples s : parts) all.addAll(s);
    return all;
  }
}
