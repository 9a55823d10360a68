package io.raftkv.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes the files of the TLS material whole or not at all: to a temporary file beside the target,
 * synced, then moved over it, so a crash never leaves half a key or certificate behind. The temporary
 * file is created owner-only (rw-------), so a secret (a private key, a token) is never readable by
 * others, not even between its creation and a later chmod; a public file (a certificate, tokens.conf)
 * is widened to rw-r--r-- before it is moved into place. POSIX file systems only, as the nodes are.
 */
public final class SecretFiles {
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private SecretFiles() {}

  /** Writes {@code content} to {@code file} readable by its owner only, creating the parent directories. */
  public static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    write(file, content, OWNER_ONLY);
  }

  /** Writes {@code content} to {@code file} readable by all (rw-r--r--), creating the parent directories. */
  public static void writePublic(Path file, byte[] content) throws IOException {
    write(file, content, PUBLIC);
  }

  /** Whether group or others may read {@code file}, which should be a secret's. */
  public static boolean readableByOthers(Path file) throws IOException {
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
    return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
  }

  private static void write(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) channel.write(buffer);
        channel.force(true);
      }
      Files.setPosixFilePermissions(temp, permissions); // explicit: the umask applied at creation may have narrowed them
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
