package io.kava.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerScriptTest {
  static Pod pod(String restartPolicy, Map<String, String> annotations, List<String> command, List<String> args) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withAnnotations(annotations).endMetadata()
        .withNewSpec().withRestartPolicy(restartPolicy).addNewContainer().withName("c").withImage("busybox")
        .withCommand(command).withArgs(args).endContainer().endSpec().build();
  }

  static ContainerScript.Exit exit(List<String> argv) { return ContainerScript.run(argv); }

  @Test
  void recognisedShortCommands() {
    assertThat(exit(List.of("true"))).isEqualTo(new ContainerScript.Exit(0, 0));
    assertThat(exit(List.of("/bin/false"))).isEqualTo(new ContainerScript.Exit(1, 0));
    assertThat(exit(List.of("echo", "hello"))).isEqualTo(new ContainerScript.Exit(0, 0));
    assertThat(exit(List.of("sleep", "5"))).isEqualTo(new ContainerScript.Exit(0, 5000));
    assertThat(exit(List.of("sleep", "2m"))).isEqualTo(new ContainerScript.Exit(0, 120_000));
    assertThat(exit(List.of("sh", "-c", "echo hi; sleep 2 && exit 3"))).isEqualTo(new ContainerScript.Exit(3, 2000));
    assertThat(exit(List.of("/bin/sh", "-c", "date\nsleep 1"))).isEqualTo(new ContainerScript.Exit(0, 1000));
  }

  @Test
  void anythingElseRunsUntilDeleted() {
    assertThat(exit(List.of())).isNull();
    assertThat(exit(List.of("nginx", "-g", "daemon off;"))).isNull();
    assertThat(exit(List.of("sleep", "infinity"))).isNull();
    assertThat(exit(List.of("sh", "-c", "while true; do sleep 1; done"))).isNull();
  }

  @Test
  void restartPolicyAlwaysNeverFinishes() {
    assertThat(ContainerScript.plan(pod("Always", Map.of(), List.of("true"), List.of()))).isNull();
    assertThat(ContainerScript.plan(pod(null, Map.of("kava.io/sim-exit-code", "0"), List.of(), List.of()))).isNull();
  }

  @Test
  void theAnnotationWinsOverTheCommand() {
    var plan = ContainerScript.plan(pod("Never", Map.of("kava.io/sim-exit-code", "2", "kava.io/sim-duration", "1500ms"),
        List.of("nginx"), List.of()));
    assertThat(plan).containsExactly(Map.entry("c", new ContainerScript.Exit(2, 1500)));
    assertThat(ContainerScript.plan(pod("OnFailure", Map.of(), List.of(), List.of("sleep", "3"))))
        .containsExactly(Map.entry("c", new ContainerScript.Exit(0, 3000)));
  }
}
