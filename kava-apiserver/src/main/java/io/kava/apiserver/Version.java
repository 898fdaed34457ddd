package io.kava.apiserver;

import io.kava.api.json.Json;
import tools.jackson.databind.node.ObjectNode;

/** The Kubernetes version kava serves (its API level) and kava's own version. */
public final class Version {
  public static final String KUBERNETES_MAJOR = "1";
  public static final String KUBERNETES_MINOR = "33";
  public static final String GIT_VERSION = "v1.33.0+kava";

  private Version() {}

  static ObjectNode document() {
    ObjectNode v = Json.object();
    v.put("major", KUBERNETES_MAJOR);
    v.put("minor", KUBERNETES_MINOR);
    v.put("emulationMajor", KUBERNETES_MAJOR);
    v.put("emulationMinor", KUBERNETES_MINOR);
    v.put("minCompatibilityMajor", KUBERNETES_MAJOR);
    v.put("minCompatibilityMinor", "32");
    v.put("gitVersion", GIT_VERSION);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "javac");
    v.put("platform", System.getProperty("os.name").toLowerCase() + "/" + arch());
    return v;
  }

  private static String arch() {
    String a = System.getProperty("os.arch");
    return a.equals("x86_64") || a.equals("amd64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
  }
}
