package dev.mediaflow.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An exclusive lock on a data directory ({@code <dir>/up.lock}, holding the owner's pid), held
 * until this JVM ends. Two stacks on one directory would corrupt each other: the second would
 * even kill the first one's broker as a leftover of a crash (its pid file). The operating
 * system releases the lock when the process dies, however it dies, so a crash leaves no stale lock.
 */
final class DataDirLock {
  static final String FILE = "up.lock";
  /** Held here for the JVM's life: an unreachable channel would be closed by its cleaner, freeing the lock. */
  private static final List<FileChannel> HELD = new CopyOnWriteArrayList<>();

  private DataDirLock() {}

  /**
   * Takes the lock for the life of this JVM, creating the directory if it is missing.
   *
   * @return empty if taken; else a message naming the directory and the pid that holds it
   */
  static Optional<String> acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        return Optional.of("data directory " + dataDir + " is in use by another running mediaflow (pid "
            + holder(file) + "); stop it first, or use another data directory");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
      HELD.add(channel); // never released nor closed: the lock lasts as long as this JVM
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock data directory " + dataDir, e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException alreadyOurs) {
      return null; // this JVM holds it already
    }
  }

  private static String holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.UTF_8).trim();
      return pid.isEmpty() ? "unknown" : pid;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
