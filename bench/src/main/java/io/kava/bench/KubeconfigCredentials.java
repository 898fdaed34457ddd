package io.kava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin credentials of a kubeconfig with inline data (as kava writes it): server URL, CA, client certificate and
 * key, each base64 PEM. Reads the first occurrence of each field, which is enough for a one-user kubeconfig.
 */
public record KubeconfigCredentials(String server, String caPem, String certPem, String keyPem) {
  public static KubeconfigCredentials read(Path kubeconfig) throws IOException {
    String text = Files.readString(kubeconfig, StandardCharsets.UTF_8);
    return new KubeconfigCredentials(field(text, "server", false), field(text, "certificate-authority-data", true),
        field(text, "client-certificate-data", true), field(text, "client-key-data", true));
  }

  private static String field(String text, String name, boolean base64) {
    Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ":\\s*\"?([^\"\\s]+)\"?\\s*$").matcher(text);
    if (!m.find()) throw new IllegalArgumentException("kubeconfig has no " + name);
    String v = m.group(1);
    return base64 ? new String(Base64.getMimeDecoder().decode(v), StandardCharsets.US_ASCII) : v;
  }
}
