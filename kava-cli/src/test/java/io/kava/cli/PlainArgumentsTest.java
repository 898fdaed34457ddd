package io.kava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class PlainArgumentsTest {
  /** Each case is one command line, its arguments separated by a space. */
  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "--data-dir /tmp/kava --port 6555",
      "--port=0 --store=MEMORY",
      "--store memory --runtime none",
      "--runtime Sim --sim-nodes 3 --sim-node-cpu 4 --sim-node-memory 8Gi --sim-node-pods 20 --sim-node-pod-cidr 10.0.0.0/8",
      "--tls-san a,b --tls-san c",
      "--tls-san=kava.example.com",
      "--pod-max-pids -1",
      "--pod-max-pids 100 --bind-address 0.0.0.0 --advertise-address 10.0.0.1",
      "--service-node-port-range 30000-30100 --service-cidr 10.0.0.0/16 --node-name n1 --runtime CONTAINERD",
      "--data-dir=relative/dir --node-port 0 --node-ip 10.1.2.3 --pod-cidr 10.9.0.0/24",
      "--container-runtime-endpoint unix:///run/containerd/containerd.sock",
  })
  void plainArgumentsSetTheSameFieldsAsPicocli(String line) throws Exception {
    List<String> args = line.isEmpty() ? List.of() : List.of(line.split(" "));
    ServerCommand byPicocli = new ServerCommand();
    new CommandLine(byPicocli).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(String[]::new));
    ServerCommand plain = new ServerCommand();

    assertThat(PlainArguments.apply(plain, args)).as("accepted").isTrue();
    assertThat(options(plain)).isEqualTo(options(byPicocli));
  }

  /** What picocli alone handles: help and version, errors (with its messages), forms beyond --name value. */
  @ParameterizedTest
  @ValueSource(strings = {
      "--help", "-h", "--version", "-V", "--bogus x", "extra", "--port 1 --port 2", "--port", "--port abc",
      "--port 99999999999", "--store nosuch", "--data-dir --port", "--port 0x10", "--", "--port=",
  })
  void everythingElseIsLeftToPicocli(String line) {
    assertThat(PlainArguments.apply(new ServerCommand(), List.of(line.split(" ")))).isFalse();
  }

  private static List<String> options(ServerCommand c) throws IllegalAccessException {
    List<String> out = new ArrayList<>();
    for (Field f : ServerCommand.class.getDeclaredFields()) {
      if (f.getAnnotation(CommandLine.Option.class) != null) out.add(f.getName() + "=" + f.get(c));
    }
    return out;
  }
}
