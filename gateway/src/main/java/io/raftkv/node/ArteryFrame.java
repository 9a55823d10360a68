package io.raftkv.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.serialization.KryoCodec;
import io.raftkv.raft.MessageSizes;
import io.raftkv.raft.RaftSettings;
import java.util.Comparator;
import java.util.List;

/**
 * The Artery frame the node's messages need, derived from the limits that bound them, and the
 * refusal of limits no frame can carry (docs/ARCHITECTURE.md, "Large messages between nodes").
 *
 * <p>Artery serializes each message into one buffer of {@value #FRAME_SIZE} and drops a message
 * that does not fit (an OversizedPayloadException in the log, and a request that times out). So the
 * frame must hold the largest message any configured limit allows: a write a follower forwards (a
 * cas carries two values), an AppendEntries, a snapshot chunk, an answer with a value or a scan
 * page. The frame is that message's bound ({@link MessageSizes}) plus {@link #MARGIN_BYTES}.
 *
 * @param messages each payload-carrying message, its bound in bytes and the settings that decide it
 * @param frameBytes the frame: the largest bound plus {@link #MARGIN_BYTES}
 */
public record ArteryFrame(List<Message> messages, long frameBytes) {
  public static final String FRAME_SIZE = "pekko.remote.artery.advanced.maximum-frame-size";
  public static final String LARGE_FRAME_SIZE = "pekko.remote.artery.advanced.maximum-large-frame-size";
  public static final String LARGE_DESTINATIONS = "pekko.remote.artery.large-message-destinations";

  /**
   * Room in a frame beside the largest message's serialized bound: Artery's envelope header (28
   * bytes, then the sender's and recipient's paths and the manifest as literals, a few hundred
   * bytes each) and slack for the bounds' own assumptions. 64 KiB is 1.6% of the shipped frame.
   */
  public static final long MARGIN_BYTES = 64 * 1024;

  /**
   * The largest frame the node can use: its serializer writes at most this much per message
   * ({@link KryoCodec#DEFAULT_MAX_BUFFER_BYTES}), and a frame holds exactly one message. Artery would
   * accept frames up to 2 GiB, each one a direct buffer of that size.
   */
  public static final long FRAME_BYTES_CEILING = KryoCodec.DEFAULT_MAX_BUFFER_BYTES;

  /**
   * One kind of message and its bound.
   *
   * @param what the message, for people
   * @param settings the setting (or settings) whose values decide the bound, named in a refusal
   * @param bytes the largest serialized size of the message
   */
  public record Message(String what, String settings, long bytes) {}

  /** The bounds of the node's messages under {@code raft} and {@code limits}, and the frame they need. */
  public static ArteryFrame derive(RaftSettings raft, KvLimits limits) {
    long command = limits.commandBytesMax();
    boolean oneEntryPassesAppendBound = LogEntry.HEADER_BYTES_MAX + command > raft.appendBytesMax();
    List<Message> messages = List.of(
        new Message("a write a follower forwards to the leader (a cas of the longest key, an expected and a new value)",
            "raftkv.kv.value-bytes-max (with raftkv.kv.key-bytes-max)", MessageSizes.proposeBytesMax(command)),
        new Message(oneEntryPassesAppendBound ? "an AppendEntries of one such write (an entry larger than append-bytes-max goes alone)"
            : "an AppendEntries", oneEntryPassesAppendBound ? "raftkv.kv.value-bytes-max (with raftkv.kv.key-bytes-max)"
            : "raftkv.raft.append-bytes-max", MessageSizes.appendEntriesBytesMax(raft.appendBytesMax(), command)),
        new Message("an InstallSnapshot chunk", "raftkv.raft.snapshot-chunk-bytes", MessageSizes.installSnapshotBytesMax(raft.snapshotChunkBytes())),
        new Message("an answer carrying a value (a read, a cas mismatch)", "raftkv.kv.value-bytes-max",
            MessageSizes.replyBytesMax(limits.resultBytesMax())),
        new Message("a scan's answer", "raftkv.kv.scan-bytes-max", MessageSizes.replyBytesMax(limits.scanResultBytesMax())));
    for (Message m : messages) {
      if (m.bytes() + MARGIN_BYTES > FRAME_BYTES_CEILING) {
        throw new IllegalArgumentException(m.settings() + ": " + m.what() + " would take up to " + m.bytes() + " bytes; with the "
            + MARGIN_BYTES + "-byte margin that passes the " + FRAME_BYTES_CEILING + " bytes (64 MiB) one message between nodes may take"
            + " (the node's serializer and Artery frame hold no more): lower it");
      }
    }
    long largest = messages.stream().mapToLong(Message::bytes).max().orElseThrow();
    return new ArteryFrame(messages, largest + MARGIN_BYTES);
  }

  /** The message that decides the frame. */
  public Message largest() {
    return messages.stream().max(Comparator.comparingLong(Message::bytes)).orElseThrow();
  }

  /**
   * Checks what the user set of Artery's frame settings in {@code given} (the node's configuration
   * files, without defaults) against this frame, and returns the settings to put below them: the
   * derived frame sizes, which a user's larger value overrides.
   *
   * @throws IllegalArgumentException naming the setting when a user's frame is too small
   */
  public Config settingsUnder(Config given) {
    Config reference = ConfigFactory.defaultReference();
    Config user = given.withFallback(reference.withoutPath(FRAME_SIZE).withoutPath(LARGE_FRAME_SIZE)).resolve();
    if (user.hasPath(FRAME_SIZE)) requireCarries(user, FRAME_SIZE);
    boolean largeStreamUsed = !user.getStringList(LARGE_DESTINATIONS).isEmpty();
    if (largeStreamUsed && user.hasPath(LARGE_FRAME_SIZE)) requireCarries(user, LARGE_FRAME_SIZE);
    return ConfigFactory.empty()
        .withValue(FRAME_SIZE, ConfigValueFactory.fromAnyRef(frameBytes))
        .withValue(LARGE_FRAME_SIZE, ConfigValueFactory.fromAnyRef(frameBytes));
  }

  private void requireCarries(Config user, String key) {
    long set = user.getBytes(key);
    if (set < frameBytes) {
      Message m = largest();
      throw new IllegalArgumentException(key + ": " + set + " bytes (set in " + user.getValue(key).origin().description()
          + ") cannot carry the node's largest message, " + m.what() + ", up to " + m.bytes() + " bytes under " + m.settings()
          + " allow: it needs at least " + frameBytes + " bytes (with a " + MARGIN_BYTES + "-byte margin for Artery's header)."
          + " Leave it unset (the node derives it) or raise it, or lower " + m.settings());
    }
  }
}
