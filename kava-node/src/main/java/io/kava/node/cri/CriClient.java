package io.kava.node.cri;

import io.kava.node.cri.v1.*;
import io.kava.node.grpc.GrpcChannel;
import io.kava.node.grpc.GrpcException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A CRI v1 client (RuntimeService and ImageService): unary gRPC calls on a unix socket ({@link GrpcChannel}). Every call has a deadline: {@link #timeout} for ordinary calls (the kubelet's
 * runtime-request-timeout is 2 minutes), {@link #pullTimeout} for image pulls, and the command's own timeout plus a
 * margin for ExecSync. Failures come back as {@link CriException} carrying the gRPC code. Thread-safe; one connection
 * is shared by all callers; the calls block.
 */
public final class CriClient implements AutoCloseable {
  /** How long an ordinary call may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
  /** How long an image pull may take. */
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(10);

  private static final String RUNTIME = "runtime.v1.RuntimeService";
  private static final String IMAGES = "runtime.v1.ImageService";

  private final String endpoint;
  private final GrpcChannel channel;
  private final Duration timeout;
  private final Duration pullTimeout;

  private CriClient(String endpoint, Duration timeout, Duration pullTimeout) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.pullTimeout = pullTimeout;
    this.channel = GrpcChannel.unixSocket(socketPath(endpoint));
  }

  /** Connects (lazily) to {@code unix:///path} or a plain socket path. */
  public static CriClient connect(String endpoint) { return connect(endpoint, DEFAULT_TIMEOUT, DEFAULT_PULL_TIMEOUT); }

  public static CriClient connect(String endpoint, Duration timeout, Duration pullTimeout) {
    return new CriClient(endpoint, timeout, pullTimeout);
  }

  public static String socketPath(String endpoint) {
    if (endpoint.startsWith("unix://")) return endpoint.substring("unix://".length());
    if (endpoint.contains("://")) throw new IllegalArgumentException("only unix:// CRI endpoints are supported: " + endpoint);
    return endpoint;
  }

  public String endpoint() { return endpoint; }

  private <R extends com.google.protobuf.Message> R call(String service, String method, com.google.protobuf.Message req,
      com.google.protobuf.Parser<R> parser, Duration deadline) {
    try {
      return channel.call(service, method, req, parser, deadline);
    } catch (GrpcException e) {
      throw new CriException(method, e.code(), e.description(), e);
    }
  }

  private <R extends com.google.protobuf.Message> R rt(String method, com.google.protobuf.Message req, com.google.protobuf.Parser<R> parser) {
    return call(RUNTIME, method, req, parser, timeout);
  }

  private <R extends com.google.protobuf.Message> R img(String method, com.google.protobuf.Message req, com.google.protobuf.Parser<R> parser) {
    return call(IMAGES, method, req, parser, timeout);
  }

  // ------------------------------------------------------------------------------------------------ runtime

  public VersionResponse version() { return rt("Version", VersionRequest.newBuilder().setVersion("v1").build(), VersionResponse.parser()); }

  public StatusResponse status() { return rt("Status", StatusRequest.getDefaultInstance(), StatusResponse.parser()); }

  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    return rt("RunPodSandbox", RunPodSandboxRequest.newBuilder().setConfig(config).setRuntimeHandler(runtimeHandler == null ? "" : runtimeHandler)
        .build(), RunPodSandboxResponse.parser()).getPodSandboxId();
  }

  public void stopPodSandbox(String id) {
    rt("StopPodSandbox", StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build(), StopPodSandboxResponse.parser());
  }

  public void removePodSandbox(String id) {
    rt("RemovePodSandbox", RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build(), RemovePodSandboxResponse.parser());
  }

  public PodSandboxStatus podSandboxStatus(String id) {
    return rt("PodSandboxStatus", PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build(), PodSandboxStatusResponse.parser()).getStatus();
  }

  public List<PodSandbox> listPodSandbox(Map<String, String> labels) {
    PodSandboxFilter f = PodSandboxFilter.newBuilder().putAllLabelSelector(labels).build();
    return rt("ListPodSandbox", ListPodSandboxRequest.newBuilder().setFilter(f).build(), ListPodSandboxResponse.parser()).getItemsList();
  }

  public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    return rt("CreateContainer", CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId).setConfig(config).setSandboxConfig(sandboxConfig)
        .build(), CreateContainerResponse.parser()).getContainerId();
  }

  public void startContainer(String id) {
    rt("StartContainer", StartContainerRequest.newBuilder().setContainerId(id).build(), StartContainerResponse.parser());
  }

  /** Stops with SIGTERM (or the image's stop signal), then SIGKILL after {@code timeoutSeconds}. */
  public void stopContainer(String id, long timeoutSeconds) {
    Duration deadline = timeout.plusSeconds(Math.max(0, timeoutSeconds));
    call(RUNTIME, "StopContainer", StopContainerRequest.newBuilder().setContainerId(id).setTimeout(timeoutSeconds).build(),
        StopContainerResponse.parser(), deadline);
  }

  public void removeContainer(String id) {
    rt("RemoveContainer", RemoveContainerRequest.newBuilder().setContainerId(id).build(), RemoveContainerResponse.parser());
  }

  public List<Container> listContainers(ContainerFilter filter) {
    return rt("ListContainers", ListContainersRequest.newBuilder().setFilter(filter).build(), ListContainersResponse.parser()).getContainersList();
  }

  public ContainerStatus containerStatus(String id) {
    return rt("ContainerStatus", ContainerStatusRequest.newBuilder().setContainerId(id).build(), ContainerStatusResponse.parser()).getStatus();
  }

  /** Runs {@code cmd} in the container and waits; {@code timeoutSeconds} 0 means no limit on the command itself. */
  public ExecSyncResponse execSync(String id, List<String> cmd, long timeoutSeconds) {
    Duration deadline = timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds).plusSeconds(5) : timeout;
    return call(RUNTIME, "ExecSync", ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(cmd).setTimeout(timeoutSeconds).build(),
        ExecSyncResponse.parser(), deadline);
  }

  /** A single-use streaming URL (WebSocket v4.channel.k8s.io or SPDY) for an exec session. */
  public String exec(ExecRequest request) { return rt("Exec", request, ExecResponse.parser()).getUrl(); }

  public String attach(AttachRequest request) { return rt("Attach", request, AttachResponse.parser()).getUrl(); }

  public String portForward(String sandboxId, List<Integer> ports) {
    return rt("PortForward", PortForwardRequest.newBuilder().setPodSandboxId(sandboxId).addAllPort(ports).build(), PortForwardResponse.parser())
        .getUrl();
  }

  // ------------------------------------------------------------------------------------------------- images

  public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandbox) {
    PullImageRequest.Builder b = PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image));
    if (auth != null) b.setAuth(auth);
    if (sandbox != null) b.setSandboxConfig(sandbox);
    return call(IMAGES, "PullImage", b.build(), PullImageResponse.parser(), pullTimeout).getImageRef();
  }

  /** The image, or null when the runtime does not have it. */
  public Image imageStatus(String image) {
    ImageStatusResponse r = img("ImageStatus", ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build(),
        ImageStatusResponse.parser());
    return r.hasImage() && !r.getImage().getId().isEmpty() ? r.getImage() : null;
  }

  public List<Image> listImages() { return img("ListImages", ListImagesRequest.getDefaultInstance(), ListImagesResponse.parser()).getImagesList(); }

  public void removeImage(String image) {
    img("RemoveImage", RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build(), RemoveImageResponse.parser());
  }

  @Override
  public void close() { channel.close(); }
}
