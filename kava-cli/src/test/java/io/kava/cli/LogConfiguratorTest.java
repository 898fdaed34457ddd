package io.kava.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {
  @Test
  void configuresStderrWithQuietLibraries() {
    LoggerContext context = new LoggerContext();
    LogConfigurator c = new LogConfigurator();
    c.setContext(context);
    assertThat(c.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class, a -> {
      assertThat(a.getTarget()).isEqualTo("System.err");
      assertThat(a.isStarted()).isTrue();
    });
    assertThat(context.getLogger("io.netty.handler").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.fabric8").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.kava.cli.KavaServer").getEffectiveLevel()).isEqualTo(root.getLevel());
  }

  @Test
  void rootLevelFromTheEnvironmentDefaultsToInfo() {
    assertThat(LogConfigurator.rootLevel(null)).isEqualTo(Level.INFO);
    assertThat(LogConfigurator.rootLevel("")).isEqualTo(Level.INFO);
    assertThat(LogConfigurator.rootLevel("debug")).isEqualTo(Level.DEBUG);
    assertThat(LogConfigurator.rootLevel("WARN ")).isEqualTo(Level.WARN);
    assertThat(LogConfigurator.rootLevel("chatty")).isEqualTo(Level.INFO);
  }
}
