package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.raftlog.RaftLogEvent.EntriesAppended;
import io.raftkv.persistence.raftlog.RaftLogEvent.LogTruncated;
import io.raftkv.persistence.raftlog.RaftLogEvent.SnapshotTaken;
import io.raftkv.persistence.raftlog.RaftLogEvent.TermAdvanced;
import io.raftkv.persistence.raftlog.RaftLogEvent.VoteCast;
import java.util.List;

/**
 * What the format-version-1 fixture in {@code src/test/resources/raftlog-v1} holds: the batches
 * {@link RaftLogV1FixtureWriter} persisted, one journal sequence number per event. Never change
 * these: the committed fixture was written from them, and {@link RaftLogFormatV1Test} reads it.
 *
 * <p>With a Pekko snapshot every {@value #EVENTS_PER_PEKKO_SNAPSHOT} events (keeping 2), the
 * snapshot at 15 deleted events 1..5 (Pekko then deletes snapshots before 5 only, keeping the one
 * at 5): the journal holds events 6..18, the snapshot store the snapshots at 5, 10 and 15, and
 * recovery reads the snapshot at 15 plus events 16..18.
 */
final class RaftLogV1Fixture {
  static final int NODE_ID = 1;
  static final int EVENTS_PER_PEKKO_SNAPSHOT = 5;
  static final String RESOURCE = "/raftlog-v1";

  static final byte[] RAFT_SNAPSHOT_AT_3 = {0, 1, 2, -1, -128, 127};
  static final byte[] RAFT_SNAPSHOT_AT_8 = {
    0, 0, 0, 0, 0, 0, 0, 5, 0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF
  };

  static LogEntry noop(long index, long term) {
    return new LogEntry(index, term, Noop.INSTANCE);
  }

  static LogEntry write(long index, long term, String key, long value) {
    return new LogEntry(index, term, new TestWrite(key, value));
  }

  /** The persisted batches, in order; sequence numbers in the comments. */
  static final List<List<RaftLogEvent>> BATCHES =
      List.of(
          List.of(new TermAdvanced(1)), // 1
          List.of(new VoteCast(1, 1)), // 2
          List.of(new EntriesAppended(List.of(noop(1, 1), write(2, 1, "a", 1)))), // 3
          List.of(new EntriesAppended(List.of(write(3, 1, "b", 2), write(4, 1, "c", 3)))), // 4
          List.of(new TermAdvanced(2)), // 5: Pekko snapshot
          List.of(new LogTruncated(4)), // 6
          List.of(new EntriesAppended(List.of(noop(4, 2), write(5, 2, "d", 4)))), // 7
          List.of(new SnapshotTaken(3, 1, RAFT_SNAPSHOT_AT_3)), // 8
          List.of(new TermAdvanced(3)), // 9
          List.of(new VoteCast(3, 2)), // 10: Pekko snapshot
          List.of(new EntriesAppended(List.of(noop(6, 3), write(7, 3, "e", 5)))), // 11
          List.of(new EntriesAppended(List.of(write(8, 3, "f", 6)))), // 12
          List.of(new TermAdvanced(4), new VoteCast(4, 3)), // 13, 14: one batch
          List.of(new EntriesAppended(List.of(noop(9, 4), write(10, 4, "g", 7)))), // 15: Pekko snapshot
          List.of(new LogTruncated(10)), // 16
          List.of(new SnapshotTaken(8, 3, RAFT_SNAPSHOT_AT_8)), // 17
          List.of(new EntriesAppended(List.of(write(10, 4, "h", 8), write(11, 4, "i", -9))))); // 18

  static final long LAST_SEQUENCE_NR = 18;
  static final long FIRST_KEPT_SEQUENCE_NR = 6;
  static final List<Long> PEKKO_SNAPSHOTS = List.of(5L, 10L, 15L);

  private RaftLogV1Fixture() {}

  /** Every event, in journal order (sequence number = position + 1). */
  static List<RaftLogEvent> events() {
    return BATCHES.stream().flatMap(List::stream).toList();
  }
}
