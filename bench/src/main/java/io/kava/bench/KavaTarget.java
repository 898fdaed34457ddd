package io.kava.bench;

import io.kava.cli.KavaServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

/** A whole kava (store + API server) in this JVM, reached over HTTPS with the admin client certificate. */
final class KavaTarget implements Target {
  private final String name;
  private final KavaServer server;
  private final Endpoint endpoint;
  private final KavaServer.StoreKind store;

  KavaTarget(String name, KavaServer.StoreKind store, Path dataDir) {
    this.name = name;
    this.store = store;
    // a bearer token for wrk, which cannot present a client certificate (kava reads DATA_DIR/tokens.csv at start)
    String token = "kava-bench-" + java.util.UUID.randomUUID();
    try {
      java.nio.file.Files.createDirectories(dataDir);
      java.nio.file.Files.writeString(dataDir.resolve("tokens.csv"), token + ",kava-bench,kava-bench,\"system:masters\"\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.server = new KavaServer(KavaServer.Options.defaults(dataDir).withPort(0).withStore(store)).start();
    try {
      KubeconfigCredentials creds = KubeconfigCredentials.read(server.kubeconfig());
      URI url = URI.create(creds.server());
      PemKeyCertOptions keyCert = new PemKeyCertOptions().addCertValue(Buffer.buffer(creds.certPem())).addKeyValue(Buffer.buffer(creds.keyPem()));
      PemTrustOptions trust = new PemTrustOptions().addCertValue(Buffer.buffer(creds.caPem()));
      endpoint = new Endpoint(url.getHost(), server.port(), true, keyCert, trust, true, false, token);
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  @Override public String name() { return name; }

  @Override public Endpoint endpoint() { return endpoint; }

  @Override public String description() {
    return "kava in this JVM (KavaServer, store " + store.name().toLowerCase() + "), HTTPS + admin client certificate, "
        + endpoint.describe();
  }

  @Override public void close() { server.close(); }
}
