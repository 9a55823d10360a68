package io.raftkv.node;

import io.raftkv.persistence.raftlog.Member;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Why a node stopped itself: a part it cannot run without (the durable log, the Raft node) stopped,
 * so the process ends with {@link #exitCode()} instead of 0, and leaves {@link #reason()} in
 * {@value #FILE_NAME} in its data directory for {@code raftkv up} and {@code raftkv status} to show.
 * The file is removed when the node starts again.
 *
 * @param exitCode {@link #LOG_FAILED}, {@link #NODE_FAILED}, {@link #REMOVED} or {@link #REFUSED}
 * @param reason   one line: which part stopped, and the failure's own message when there was one
 */
public record FatalStop(int exitCode, String reason) {
  /** The durable log ({@code /user/raft-log}: the journal or the snapshot store) stopped. */
  public static final int LOG_FAILED = 3;
  /** Another part the node needs stopped: the Raft node ({@code /user/raft}). */
  public static final int NODE_FAILED = 4;
  /** The node was removed from the cluster: a committed configuration no longer holds it. */
  public static final int REMOVED = 6;
  /** A member refused the node's data directory: the configuration knows the node's id under another (it was wiped or replaced). */
  public static final int REFUSED = 7;
  /** The file, in the node's data directory, that says why its last run stopped itself. */
  public static final String FILE_NAME = "STOPPED";

  /** What the guardian saw: {@code part} ({@code raft-log} or {@code raft}) stopped, failing with {@code cause} (null: it just stopped). */
  static FatalStop of(String part, Throwable cause) {
    boolean log = part.equals(RaftkvNode.RAFT_LOG);
    String what = log ? "the durable log (/user/raft-log) failed" : "the Raft node (/user/" + part + ") failed";
    return new FatalStop(log ? LOG_FAILED : NODE_FAILED, what + (cause == null ? " (it stopped without an error)" : ": " + describe(cause)));
  }

  /** The node learned it was removed from the cluster by the configuration at {@code configurationIndex}. */
  static FatalStop removed(long configurationIndex) {
    return new FatalStop(REMOVED, "removed from the cluster by the configuration at log index " + configurationIndex
        + ": it serves no more; to bring this machine back, empty its data directory and join again (raftkv node --join)");
  }

  /** Node {@code nodeId}'s data directory {@code incarnation} was refused by {@code refuserId}, whose configuration knows it as {@code known}. */
  static FatalStop refused(int nodeId, int refuserId, long incarnation, long known) {
    return new FatalStop(REFUSED, "node " + refuserId + " refused this data directory (incarnation "
        + Member.hex(incarnation) + "): the cluster knows member " + nodeId + " by another one ("
        + Member.hex(known) + "), so this directory was wiped or replaced. Remove member " + nodeId
        + " (raftkv member remove " + nodeId + ") and add it again (raftkv node --join ...) with this directory");
  }

  /**
   * The causes' messages, outermost first, each only if the ones before do not already hold it:
   * Pekko wraps a journal's own error in exceptions whose messages repeat it.
   */
  static String describe(Throwable cause) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = cause; t != null && s.length() < 2_000; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().strip();
      if (s.length() > 0 && (message.isEmpty() || s.indexOf(message) >= 0)) continue;
      if (s.length() > 0) s.append("; caused by ");
      s.append(t.getClass().getSimpleName()).append(message.isEmpty() ? "" : ": " + message);
    }
    return s.toString().replace('\n', ' ');
  }

  /** The line the file holds: who, how and when, and why. */
  public String line(int nodeId, Instant when) {
    return "node " + nodeId + " stopped itself (exit " + exitCode + ") at " + when + ": " + reason;
  }

  /** Writes {@link #line} into {@code dataDir}/{@value #FILE_NAME}. */
  public Path write(Path dataDir, int nodeId, Instant when) throws IOException {
    return Files.writeString(file(dataDir), line(nodeId, when) + "\n", StandardCharsets.UTF_8);
  }

  /** The line of {@code dataDir}/{@value #FILE_NAME}, if the node's last run stopped itself. */
  public static Optional<String> read(Path dataDir) {
    try {
      Path file = file(dataDir);
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
    } catch (IOException e) {
      return Optional.of("(" + file(dataDir) + " cannot be read: " + e.getMessage() + ")");
    }
  }

  /** Removes the file: a run that starts is not the one that stopped. */
  public static void clear(Path dataDir) throws IOException {
    Files.deleteIfExists(file(dataDir));
  }

  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }
}
