package io.kava.node.volume;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a volume's files so that a reader sees either the old or the new set, never a mix, with the
 * kubelet's atomic writer layout:
 *
 * <pre>
 * TARGET/..2026_11_26_12_00_00.123456789/key     the payload, in a timestamped directory
 * TARGET/..data -> ..2026_11_26_12_00_00.123456789  swapped by rename(2) of ..data_tmp
 * TARGET/key -> ..data/key                         one symlink per top-level payload entry
 * </pre>
 *
 * A write whose payload has the same paths and bytes as what {@code ..data} holds changes nothing (modes are
 * not compared, as upstream: they come from the pod spec, which cannot change, and ownership may widen them).
 * Not thread-safe: one writer per target directory.
 */
public final class AtomicWriter {
  static final String DATA_DIR = "..data";
  static final String DATA_DIR_TMP = "..data_tmp";
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.").withZone(ZoneOffset.UTC);
  private static final int MAX_PATH = 4096;
  private static final int MAX_SEGMENT = 255;

  private final Path target;
  private final Clock clock;
  private final PermissionsHook setPerms;

  public AtomicWriter(Path target, Clock clock) {
    this(target, clock, dir -> { });
  }

  /** @param setPerms runs on the new timestamped directory before it becomes visible (fsGroup ownership) */
  public AtomicWriter(Path target, Clock clock, PermissionsHook setPerms) {
    this.target = target;
    this.clock = clock;
    this.setPerms = setPerms;
  }

  /** Adjusts ownership and permissions of a freshly written payload directory. */
  @FunctionalInterface
  public interface PermissionsHook {
    void apply(Path payloadDir) throws IOException;
  }

  /**
   * Makes the target hold exactly {@code payload} (relative path to file).
   *
   * @return whether anything was written
   * @throws IllegalArgumentException for a path that is absolute, contains {@code ..} or starts with {@code ..}
   */
  public boolean write(Map<String, FileProjection> payload) throws IOException {
    Map<String, FileProjection> clean = new TreeMap<>();
    for (var e : payload.entrySet()) clean.put(validatePath(e.getKey()), e.getValue());

    Path dataLink = target.resolve(DATA_DIR);
    Path oldTs = null;
    if (Files.isSymbolicLink(dataLink)) {
      Path t = target.resolve(Files.readSymbolicLink(dataLink));
      if (Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) oldTs = t;
    }
    Set<String> wantedTop = new LinkedHashSet<>();
    for (String p : clean.keySet()) wantedTop.add(p.split("/", 2)[0]);

    boolean changed = oldTs == null || !sameContent(oldTs, clean);
    if (changed) {
      Path newTs = newTimestampDir();
      for (var e : clean.entrySet()) {
        Path file = newTs.resolve(e.getKey());
        Path parent = file.getParent();
        if (!parent.equals(newTs)) {
          Files.createDirectories(parent);
          for (Path d = parent; !d.equals(newTs); d = d.getParent()) Files.setPosixFilePermissions(d, perms(0755));
        }
        Files.write(file, e.getValue().data());
        Files.setPosixFilePermissions(file, perms(e.getValue().mode()));
      }
      setPerms.apply(newTs);
      Path tmp = target.resolve(DATA_DIR_TMP);
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, newTs.getFileName());
      Files.move(tmp, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    for (String top : wantedTop) {
      Path visible = target.resolve(top);
      if (!Files.exists(visible, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createSymbolicLink(visible, Path.of(DATA_DIR, top));
        } catch (FileAlreadyExistsException ignored) {
          // a concurrent reader cannot create entries here; an existing link already points into ..data
        }
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith("..") || wantedTop.contains(name)) continue;
        // only links into ..data are ours; anything else in the target was put there by someone else
        if (Files.isSymbolicLink(entry) && Files.readSymbolicLink(entry).startsWith(DATA_DIR)) Files.delete(entry);
      }
    }
    if (changed && oldTs != null) deleteTree(oldTs);
    return changed;
  }

  /** The payload currently visible through {@code ..data}, or an empty map before the first write. */
  public Map<String, FileProjection> read() throws IOException {
    Path dataLink = target.resolve(DATA_DIR);
    if (!Files.isSymbolicLink(dataLink)) return Map.of();
    Path ts = target.resolve(Files.readSymbolicLink(dataLink));
    Map<String, FileProjection> out = new TreeMap<>();
    if (!Files.isDirectory(ts)) return out;
    try (var walk = Files.walk(ts)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) continue;
        out.put(ts.relativize(f).toString(), new FileProjection(Files.readAllBytes(f), mode(f)));
      }
    }
    return out;
  }

  private boolean sameContent(Path ts, Map<String, FileProjection> payload) throws IOException {
    Map<String, FileProjection> current;
    try {
      current = new HashMap<>();
      try (var walk = Files.walk(ts)) {
        for (Path f : (Iterable<Path>) walk::iterator) {
          if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) continue;
          String rel = ts.relativize(f).toString();
          FileProjection want = payload.get(rel);
          // cheap checks first: size and mode before reading the bytes
          if (want == null || Files.size(f) != want.data().length) return false;
          current.put(rel, new FileProjection(Files.readAllBytes(f), want.mode()));
        }
      }
    } catch (NoSuchFileException e) {
      return false;
    }
    if (!current.keySet().equals(payload.keySet())) return false;
    for (var e : payload.entrySet()) {
      if (!Arrays.equals(current.get(e.getKey()).data(), e.getValue().data())) return false;
    }
    return true;
  }

  private Path newTimestampDir() throws IOException {
    String prefix = TS.format(clock.instant());
    for (int i = 0; ; i++) {
      Path dir = target.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
      try {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, perms(0755));
        return dir;
      } catch (FileAlreadyExistsException e) {
        if (i > 100) throw e;
      }
    }
  }

  /** Upstream's validatePath: relative, no {@code ..} element, not starting with {@code ..}, bounded lengths. */
  static String validatePath(String path) {
    if (path.isEmpty()) throw new IllegalArgumentException("invalid path: must not be empty: " + path);
    if (path.length() > MAX_PATH) throw new IllegalArgumentException("invalid path: must be less than or equal to " + MAX_PATH + " characters");
    if (path.startsWith("/")) throw new IllegalArgumentException("invalid path: must be relative path: " + path);
    if (path.startsWith("..")) throw new IllegalArgumentException("invalid path: must not start with '..': " + path);
    for (String seg : path.split("/")) {
      if (seg.length() > MAX_SEGMENT) throw new IllegalArgumentException("invalid path: segments must be less than or equal to " + MAX_SEGMENT + " characters");
      if (seg.equals("..")) throw new IllegalArgumentException("invalid path: must not contain '..': " + path);
    }
    String clean = Path.of(path).normalize().toString();
    if (clean.isEmpty() || clean.equals(".")) throw new IllegalArgumentException("invalid path: must not be empty: " + path);
    return clean;
  }

  static int mode(Path f) throws IOException {
    int m = 0;
    for (PosixFilePermission p : Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)) m |= 1 << (8 - p.ordinal());
    return m;
  }

  static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, highest bit first
    for (int i = 0; i < 9; i++) if ((mode & (1 << (8 - i))) != 0) s.add(all[i]);
    return s;
  }

  /** Deletes a tree without following symbolic links out of it. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
