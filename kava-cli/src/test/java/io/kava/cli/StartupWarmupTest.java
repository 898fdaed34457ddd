package io.kava.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class StartupWarmupTest {
  @Test
  void theInMemoryHandshakeCompletesWithAClientCertificateAndOneRecordEachWay() {
    // handshake() throws when the engines stop making progress, so a broken loop cannot pass silently
    assertDoesNotThrow(StartupWarmup::handshake);
  }

  @Test
  void theJsonWarmUpReadsAndWritesADocument() {
    assertDoesNotThrow(StartupWarmup::json);
  }
}
