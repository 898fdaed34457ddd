package io.kava.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteNativeLibraryTest {
  @TempDir Path dir;

  @Test
  void theDriverLoadsItsLibraryFromOneCopyBesideAStoreNotAFreshOneInTheTempDir() throws Exception {
    try (SqliteStore store = new SqliteStore(dir.resolve("db/state.db"))) {
      // Whichever store of this JVM came first chose the copy (an earlier test's may be deleted by now).
      List<String> mapped;
      try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
        mapped = maps.filter(l -> l.contains("sqlitejdbc")).toList();
      }
      assertThat(mapped).isNotEmpty().allMatch(l -> l.contains("/native/sqlite-jdbc-"), "mapped from a kava store's native/ dir");
    }
    Path copy = dir.resolve("db/native");
    if (Files.isDirectory(copy)) { // this store was the JVM's first: its copy is the one in use
      try (Stream<Path> files = Files.walk(copy)) {
        assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList())
            .containsExactly(System.getProperty("org.sqlite.lib.name"));
      }
    }
  }
}
