package io.kava.scheduler.plugins;

import io.kava.scheduler.framework.BindPlugin;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.Handle;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Status;

/** Binds through the API: POST /api/v1/namespaces/{ns}/pods/{name}/binding. */
public final class DefaultBinder implements BindPlugin {
  public static final String NAME = "DefaultBinder";
  private final Handle handle;

  public DefaultBinder(Handle handle) { this.handle = handle; }

  @Override public String name() { return NAME; }

  @Override
  public Status bind(CycleState state, PodInfo pod, String nodeName) {
    try {
      handle.pods().bind(pod, nodeName);
      return Status.SUCCESS;
    } catch (Exception e) {
      return Status.error(e);
    }
  }
}
