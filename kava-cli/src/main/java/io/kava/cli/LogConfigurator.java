package io.kava.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * kava's logging set-up, in code: a line per event on stderr, {@code KAVA_LOG_LEVEL} (default INFO) for kava and WARN
 * for the libraries. Logback finds it as a service before it looks for an XML file; reading an XML configuration
 * (Joran) loads and runs a few hundred classes on the start-up critical path, this does not.
 *
 * <p>An explicit configuration still wins: {@code -Dlogback.configurationFile=...} or a {@code logback-test.xml} on
 * the class path (tests) is left to logback's own configurators.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null || hasResource("logback-test.xml")) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    for (String quiet : new String[] {"io.netty", "io.vertx", "io.fabric8"}) context.getLogger(quiet).setLevel(Level.WARN);
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(rootLevel(System.getProperty("KAVA_LOG_LEVEL", System.getenv("KAVA_LOG_LEVEL"))));
    root.addAppender(stderr);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The root level for {@code KAVA_LOG_LEVEL} (unset or unknown: INFO). */
  static Level rootLevel(String env) {
    return env == null || env.isBlank() ? Level.INFO : Level.toLevel(env.trim(), Level.INFO);
  }

  private static boolean hasResource(String name) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) cl = LogConfigurator.class.getClassLoader();
    return cl.getResource(name) != null;
  }
}
