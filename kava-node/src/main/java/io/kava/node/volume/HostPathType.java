package io.kava.node.volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The hostPath {@code type} checks of the kubelet's hostPath plugin, with its error messages. An empty or
 * absent type checks nothing. {@code DirectoryOrCreate} makes the directory (and parents, mode 0755);
 * {@code FileOrCreate} makes an empty file (mode 0644) whose parent must exist.
 */
public final class HostPathType {
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFCHR = 0020000;

  private HostPathType() {}

  /** Checks (and for the *OrCreate types, creates) {@code path}; throws a {@link VolumeException} on mismatch. */
  public static void check(Path path, String type) {
    if (type == null || type.isEmpty()) return;
    String p = path.toString();
    try {
      switch (type) {
        case "DirectoryOrCreate" -> {
          if (!Files.exists(path)) {
            makeDir(path);
            return;
          }
          requireDir(path, p);
        }
        case "Directory" -> requireDir(path, p);
        case "FileOrCreate" -> {
          if (!Files.exists(path)) {
            makeFile(path);
            return;
          }
          requireFile(path, p);
        }
        case "File" -> requireFile(path, p);
        case "Socket" -> {
          if (fileType(path) != S_IFSOCK) throw failed(p + " is not a socket file");
        }
        case "CharDevice" -> {
          if (fileType(path) != S_IFCHR) throw failed(p + " is not a character device");
        }
        case "BlockDevice" -> {
          if (fileType(path) != S_IFBLK) throw failed(p + " is not a block device");
        }
        default -> throw new VolumeException(type + " is an invalid volume type");
      }
    } catch (IOException e) {
      throw new VolumeException("hostPath type check failed: " + p + ": " + e.getMessage(), e);
    }
  }

  private static void requireDir(Path path, String p) {
    if (!Files.isDirectory(path)) throw failed(p + " is not a directory");
  }

  private static void requireFile(Path path, String p) {
    // upstream's IsFile: exists and is not a directory (character devices and sockets pass)
    if (!Files.exists(path) || Files.isDirectory(path)) throw failed(p + " is not a file");
  }

  private static int fileType(Path path) throws IOException {
    try {
      return ((Integer) Files.getAttribute(path, "unix:mode")) & S_IFMT;
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  private static void makeDir(Path path) throws IOException {
    Files.createDirectories(path);
    Files.setPosixFilePermissions(path, AtomicWriter.perms(0755));
  }

  private static void makeFile(Path path) throws IOException {
    try {
      Files.createFile(path);
      Files.setPosixFilePermissions(path, AtomicWriter.perms(0644));
    } catch (FileAlreadyExistsException ignored) {
      // created meanwhile: fine, as O_CREATE without O_EXCL
    } catch (NoSuchFileException e) {
      throw new IOException("open " + path + ": no such file or directory", e);
    }
  }

  private static VolumeException failed(String what) {
    return new VolumeException("hostPath type check failed: " + what);
  }
}
