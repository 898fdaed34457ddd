package io.kava.cli;

import io.kava.apiserver.Version;
import picocli.CommandLine;

final class KavaVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = KavaVersion.class.getPackage().getImplementationVersion();
    return new String[] {"kava " + (v == null ? "dev" : v) + " (Kubernetes API " + Version.GIT_VERSION + ")"};
  }
}
