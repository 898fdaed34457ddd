package io.kava.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where sqlite-jdbc loads its native library from. Left alone, it copies the 1 MB library out of its jar into the
 * temp dir under a fresh name at every start and deletes it at exit, so every killed process (kill -9, a crash) leaves
 * one behind for good. Here it is copied once next to the store, under the driver's version, and loaded from there by
 * the driver's own {@code org.sqlite.lib.path} / {@code org.sqlite.lib.name} properties.
 */
final class SqliteNativeLibrary {
  private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);

  private SqliteNativeLibrary() {}

  /**
   * Points the driver at a copy of its library under {@code dir} (made if missing) unless its properties are set
   * already: the first store of a JVM decides, as the library loads once per JVM. Falls back to the driver's own
   * extraction when the library or the directory is not usable.
   */
  static synchronized void useCopyUnder(Path dir) {
    if (System.getProperty("org.sqlite.lib.path") != null) return;
    String name = LibraryLoaderUtil.getNativeLibName();
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    Path target = dir.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion()).resolve(name);
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      if (in == null) return; // no bundled library for this platform: the driver says what to do
      if (!Files.isRegularFile(target)) copy(in, target);
    } catch (IOException | RuntimeException e) {
      log.debug("cannot keep sqlite's native library in {}; the driver extracts it to the temp dir", target, e);
      return;
    }
    System.setProperty("org.sqlite.lib.path", target.getParent().toString());
    System.setProperty("org.sqlite.lib.name", name);
  }

  /** Writes the library beside its final name and moves it there, so a reader never sees half of it. */
  private static void copy(InputStream in, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
    try {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
