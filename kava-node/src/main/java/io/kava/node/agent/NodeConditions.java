package io.kava.node.agent;

/**
 * The node's health as the kubelet reports it in its four conditions. Thresholds are the kubelet's default hard
 * eviction thresholds: memory.available &lt; 100Mi, nodefs.available &lt; 10%; PIDs above 90% of pid_max.
 *
 * @param runtimeProblem why the container runtime is not ready, or null when it is
 */
public record NodeConditions(boolean memoryPressure, boolean diskPressure, boolean pidPressure, String runtimeProblem) {
  public static final long MEMORY_AVAILABLE_MIN = 100L * 1024 * 1024;
  public static final double DISK_FREE_MIN = 0.10;

  public boolean ready() { return runtimeProblem == null; }

  static NodeConditions evaluate(long memAvailable, double diskFree, long pids, long pidMax, String runtimeProblem) {
    return new NodeConditions(memAvailable >= 0 && memAvailable < MEMORY_AVAILABLE_MIN, diskFree < DISK_FREE_MIN,
        pidMax > 0 && pids > pidMax * 9 / 10, runtimeProblem);
  }
}
