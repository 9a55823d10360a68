package io.raftkv.node;

import io.raftkv.persistence.raftlog.Member;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a data directory is: the node id it belongs to, its incarnation (a random id made when the
 * directory was, so that the cluster can tell a wiped or replaced directory from the one it added
 * under that id), the cluster it belongs to once it has seen the cluster's id committed, and the
 * configuration index that removed it, if one did. Kept in {@value #FILE_NAME} in the data
 * directory, written whole to a temporary file and renamed over the old one, so a crash leaves
 * the old file or the new one.
 *
 * @param nodeId the node id the directory belongs to
 * @param incarnation never 0
 * @param clusterId the cluster's id, or 0 before the node saw it committed
 * @param removedAt the index of the configuration that removed this node, or 0
 */
public record NodeIdentity(Path dataDir, int nodeId, long incarnation, long clusterId, long removedAt) {
  public static final String FILE_NAME = "identity";

  /**
   * The identity of {@code dataDir}, made (with a new incarnation) when the directory has none: a
   * new directory, or one an older build made. Refuses, with a message saying what to do, a
   * directory of another node id, and one whose node was removed from its cluster.
   */
  public static NodeIdentity loadOrCreate(Path dataDir, int nodeId) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        long incarnation;
        do incarnation = new SecureRandom().nextLong(); while (incarnation == 0);
        NodeIdentity made = new NodeIdentity(dataDir, nodeId, incarnation, 0, 0);
        made.write();
        return made;
      }
      NodeIdentity found = parse(dataDir, Files.readString(file, StandardCharsets.UTF_8));
      if (found.nodeId != nodeId) {
        throw new IllegalArgumentException("data directory " + dataDir + " belongs to node " + found.nodeId + ", not node " + nodeId
            + " (its " + FILE_NAME + " file says so): give node " + nodeId + " its own data directory");
      }
      if (found.removedAt != 0) {
        throw new IllegalArgumentException("node " + nodeId + " was removed from cluster " + Member.hex(found.clusterId)
            + " by the configuration at log index " + found.removedAt + "; its data directory " + dataDir
            + " is of no further use. To add this machine again, empty the directory and start it with --join");
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("data directory " + dataDir + ": cannot read or write " + file + ": " + e.getMessage(), e);
    }
  }

  private static NodeIdentity parse(Path dataDir, String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException(dataDir.resolve(FILE_NAME) + ": not a 'key = value' line: " + line);
      fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    try {
      int nodeId = Integer.parseInt(required(dataDir, fields, "node-id"));
      long incarnation = Long.parseUnsignedLong(required(dataDir, fields, "incarnation"), 16);
      long clusterId = fields.containsKey("cluster-id") ? Long.parseUnsignedLong(fields.get("cluster-id"), 16) : 0;
      long removedAt = fields.containsKey("removed-at") ? Long.parseLong(fields.get("removed-at")) : 0;
      if (incarnation == 0) throw new IllegalArgumentException(dataDir.resolve(FILE_NAME) + ": incarnation 0 is not one");
      return new NodeIdentity(dataDir, nodeId, incarnation, clusterId, removedAt);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(dataDir.resolve(FILE_NAME) + ": not a number: " + e.getMessage(), e);
    }
  }

  private static String required(Path dataDir, Map<String, String> fields, String key) {
    String v = fields.get(key);
    if (v == null) throw new IllegalArgumentException(dataDir.resolve(FILE_NAME) + ": no " + key + " (the file was edited or damaged)");
    return v;
  }

  /** This identity, of the cluster {@code id}, written down. */
  public NodeIdentity withClusterId(long id) {
    NodeIdentity next = new NodeIdentity(dataDir, nodeId, incarnation, id, removedAt);
    next.writeUnchecked();
    return next;
  }

  /** This identity, removed from its cluster by the configuration at {@code index}, written down. */
  public NodeIdentity removed(long index) {
    NodeIdentity next = new NodeIdentity(dataDir, nodeId, incarnation, clusterId, index);
    next.writeUnchecked();
    return next;
  }

  private void writeUnchecked() {
    try {
      write();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
    }
  }

  private void write() throws IOException {
    StringBuilder text = new StringBuilder("# Who this data directory is; written by raftkv. Do not edit, copy or move it to another node.\n")
        .append("node-id = ").append(nodeId).append('\n')
        .append("incarnation = ").append(Member.hex(incarnation)).append('\n');
    if (clusterId != 0) text.append("cluster-id = ").append(Member.hex(clusterId)).append('\n');
    if (removedAt != 0) text.append("removed-at = ").append(removedAt).append('\n');
    Path file = dataDir.resolve(FILE_NAME);
    Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(StandardCharsets.UTF_8.encode(text.toString()));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
