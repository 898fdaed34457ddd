package io.kava.apiserver.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A record of files already checked: the SHA-256 of their names and contents, kept next to them. The PKI's checks on
 * every start (each key matches its certificate, each leaf is signed by the CA) are ECDSA signatures and
 * verifications, and the first of them on a fresh JVM builds the curve's tables, some 200 ms of the start-up's critical
 * path; files that are byte for byte what was verified last time need none of it. Any change to any file (a key
 * replaced by hand, a certificate re-issued) changes the digest, and then everything is checked again.
 */
final class VerifiedFiles {
  private final Path record;
  private final List<Path> files;

  VerifiedFiles(Path record, List<Path> files) {
    this.record = record;
    this.files = List.copyOf(files);
  }

  /** Whether every file exists and the record names exactly their current contents. */
  boolean unchanged() {
    try {
      String recorded = Files.readString(record, StandardCharsets.US_ASCII).strip();
      String now = digest();
      return now != null && now.equals(recorded);
    } catch (IOException e) { // none recorded yet, or unreadable: check everything
      return false;
    }
  }

  /** Records the files' current contents as verified; a missing file records nothing. */
  void recordVerified() throws IOException {
    String d = digest();
    if (d != null) Pki.writeAtomically(record, d + "\n", false);
  }

  /** The digest of the files' names and contents, or null when one is missing. */
  private String digest() throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    for (Path f : files) {
      byte[] content;
      try {
        content = Files.readAllBytes(f);
      } catch (NoSuchFileException e) {
        return null;
      }
      byte[] name = f.getFileName().toString().getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(8).putInt(name.length).putInt(content.length).array());
      sha.update(name);
      sha.update(content);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
