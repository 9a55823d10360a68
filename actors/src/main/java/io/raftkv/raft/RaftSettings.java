package io.raftkv.raft;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * A node's Raft settings, validated when the node starts: a bound that makes no sense is refused
 * with a message naming its configuration key (under {@code raftkv.raft}).
 *
 * @param nodeId this node's id (>= 1)
 * @param voters the voters of the bootstrap configuration, ascending; a node that joins a running
 *     cluster is not among them (it learns the configuration from the leader)
 * @param tickInterval wall time of one tick (only the production timer uses it)
 * @param electionTicksMin lower bound of the randomized election timeout
 * @param electionTicksMax upper bound of the randomized election timeout
 * @param heartbeatTicks a leader's heartbeat period
 * @param resendTicks an unanswered append or snapshot chunk is taken as lost after this
 * @param appendEntriesMax entries per AppendEntries
 * @param appendBytesMax estimated command bytes per AppendEntries
 * @param inflightAppendsMax unanswered AppendEntries per follower while streaming (pipelining)
 * @param snapshotEntriesMax entries applied since the last snapshot that start a new one, whatever their bytes
 * @param snapshotChunkBytes bytes per InstallSnapshot chunk
 * @param snapshotBytesMax the largest snapshot a follower accepts
 * @param proposalsPendingMax proposals a leader holds uncommitted before it refuses more
 * @param readsPendingMax linearizable reads a leader holds unconfirmed before it refuses more
 * @param heldMessagesMax messages waiting for the log's durability acknowledgement
 * @param preVote run the pre-vote phase (§9.6) before an election
 * @param checkQuorum a leader that hears from no majority within an election timeout steps down
 * @param snapshotLogBytesMin bytes of entries applied since the last snapshot that start a new one
 *     when the state is smaller than this
 * @param snapshotLogBytesMax ... at most this many bytes, however large the state: bounds the log
 *     kept in memory, at the cost of writing the state more often than once per its size
 * @param snapshotChunksInflightMax InstallSnapshot chunks sent to one follower and not yet answered
 * @param proposalsPendingBytesMax bytes (commands' sizeBytes) of proposals a leader holds uncommitted
 *     before it refuses more (one is always taken)
 * @param membership when a leader promotes a learner on its own
 * @param incarnation the random id of this node's data directory, created with it: every message
 *     the node sends carries it, and the cluster refuses a wiped or replaced directory under an old
 *     member's id; 0 when the node has none (tests that play its peers by hand), and then it sends
 *     its messages bare
 * @param staleFollowerReadsForTests BROKEN ON PURPOSE, never set outside tests: followers answer
 *     linearizable reads from their own state, which can be stale. The fault campaign turns it on
 *     to show that it finds the violation. Not readable from configuration.
 */
public record RaftSettings(
    int nodeId,
    List<Integer> voters,
    Duration tickInterval,
    int electionTicksMin,
    int electionTicksMax,
    int heartbeatTicks,
    int resendTicks,
    int appendEntriesMax,
    long appendBytesMax,
    int inflightAppendsMax,
    int snapshotEntriesMax,
    int snapshotChunkBytes,
    long snapshotBytesMax,
    int proposalsPendingMax,
    int readsPendingMax,
    int heldMessagesMax,
    boolean preVote,
    boolean checkQuorum,
    boolean staleFollowerReadsForTests,
    long snapshotLogBytesMin,
    long snapshotLogBytesMax,
    int snapshotChunksInflightMax,
    long proposalsPendingBytesMax,
    MembershipSettings membership,
    long incarnation) {

  /** Snapshot-by-bytes defaults, matching actors/reference.conf. */
  public static final long SNAPSHOT_LOG_BYTES_MIN_DEFAULT = 64L << 20;
  public static final long SNAPSHOT_LOG_BYTES_MAX_DEFAULT = 512L << 20;
  public static final int SNAPSHOT_CHUNKS_INFLIGHT_MAX_DEFAULT = 4;
  public static final long PROPOSALS_PENDING_BYTES_MAX_DEFAULT = 256L << 20;

  /** The settings with the snapshot-by-bytes defaults. */
  public RaftSettings(int nodeId, List<Integer> voters, Duration tickInterval, int electionTicksMin, int electionTicksMax,
      int heartbeatTicks, int resendTicks, int appendEntriesMax, long appendBytesMax, int inflightAppendsMax,
      int snapshotEntriesMax, int snapshotChunkBytes, long snapshotBytesMax, int proposalsPendingMax, int readsPendingMax,
      int heldMessagesMax, boolean preVote, boolean checkQuorum, boolean staleFollowerReadsForTests) {
    this(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks, appendEntriesMax,
        appendBytesMax, inflightAppendsMax, snapshotEntriesMax, snapshotChunkBytes, snapshotBytesMax, proposalsPendingMax,
        readsPendingMax, heldMessagesMax, preVote, checkQuorum, staleFollowerReadsForTests, SNAPSHOT_LOG_BYTES_MIN_DEFAULT,
        SNAPSHOT_LOG_BYTES_MAX_DEFAULT, SNAPSHOT_CHUNKS_INFLIGHT_MAX_DEFAULT, PROPOSALS_PENDING_BYTES_MAX_DEFAULT, MembershipSettings.DEFAULTS, 0);
  }

  public RaftSettings {
    voters = List.copyOf(new TreeSet<>(voters));
    require(nodeId >= 1, "node-id", "must be >= 1, was " + nodeId);
    require(voters.stream().allMatch(v -> v >= 1), "voters", "ids must be >= 1: " + voters);
    require(!tickInterval.isNegative() && !tickInterval.isZero(), "tick-interval", "must be positive");
    require(heartbeatTicks >= 1, "heartbeat-ticks", "must be >= 1");
    require(electionTicksMin > heartbeatTicks * 2, "election-ticks-min",
        "must exceed twice heartbeat-ticks (" + heartbeatTicks + ") or a single lost heartbeat starts an election, was " + electionTicksMin);
    require(electionTicksMax >= electionTicksMin, "election-ticks-max", "must be >= election-ticks-min");
    require(resendTicks >= 1 && resendTicks < electionTicksMin, "resend-ticks", "must be in [1, election-ticks-min)");
    require(appendEntriesMax >= 1, "append-entries-max", "must be >= 1");
    require(appendBytesMax >= 1, "append-bytes-max", "must be >= 1");
    require(inflightAppendsMax >= 1, "inflight-appends-max", "must be >= 1");
    require(snapshotEntriesMax >= 1, "snapshot-entries-max", "must be >= 1");
    require(snapshotChunkBytes >= 1, "snapshot-chunk-bytes", "must be >= 1");
    require(snapshotBytesMax >= snapshotChunkBytes, "snapshot-bytes-max", "must be >= snapshot-chunk-bytes");
    require(proposalsPendingMax >= 1, "proposals-pending-max", "must be >= 1");
    require(readsPendingMax >= 1, "reads-pending-max", "must be >= 1");
    require(heldMessagesMax >= 16, "held-messages-max", "must be >= 16");
    require(snapshotLogBytesMin >= 1, "snapshot-log-bytes-min", "must be >= 1");
    require(snapshotLogBytesMax >= snapshotLogBytesMin, "snapshot-log-bytes-max", "must be >= snapshot-log-bytes-min");
    require(snapshotChunksInflightMax >= 1, "snapshot-chunks-inflight-max", "must be >= 1");
    require(proposalsPendingBytesMax >= 1, "proposals-pending-bytes-max", "must be >= 1");
    java.util.Objects.requireNonNull(membership, "membership");
  }

  private static void require(boolean ok, String key, String problem) {
    if (!ok) throw new IllegalArgumentException("raftkv.raft." + key + ": " + problem);
  }

  /** Reads the {@code raftkv.raft} section (see actors/reference.conf for every key and its meaning). */
  public static RaftSettings fromConfig(Config raft, int nodeId, List<Integer> voters) {
    return new RaftSettings(
        nodeId,
        voters,
        raft.getDuration("tick-interval"),
        raft.getInt("election-ticks-min"),
        raft.getInt("election-ticks-max"),
        raft.getInt("heartbeat-ticks"),
        raft.getInt("resend-ticks"),
        raft.getInt("append-entries-max"),
        raft.getBytes("append-bytes-max"),
        raft.getInt("inflight-appends-max"),
        raft.getInt("snapshot-entries-max"),
        intBytes(raft, "snapshot-chunk-bytes"),
        raft.getBytes("snapshot-bytes-max"),
        raft.getInt("proposals-pending-max"),
        raft.getInt("reads-pending-max"),
        raft.getInt("held-messages-max"),
        raft.getBoolean("pre-vote"),
        raft.getBoolean("check-quorum"),
        false,
        raft.getBytes("snapshot-log-bytes-min"),
        raft.getBytes("snapshot-log-bytes-max"),
        raft.getInt("snapshot-chunks-inflight-max"),
        raft.getBytes("proposals-pending-bytes-max"),
        MembershipSettings.fromConfig(raft, raft.getDuration("tick-interval")),
        0);
  }

  /** A size that must fit an int: refused past 2 GiB rather than wrapped round to another value. */
  private static int intBytes(Config raft, String key) {
    long bytes = raft.getBytes(key);
    require(bytes <= Integer.MAX_VALUE, key, "must be at most " + Integer.MAX_VALUE + " bytes, was " + bytes);
    return (int) bytes;
  }

  /** Defaults matching actors/reference.conf, for tests and the simulator. */
  public static RaftSettings defaults(int nodeId, List<Integer> voters) {
    return new RaftSettings(nodeId, voters, Duration.ofMillis(10), 40, 80, 10, 10, 512, 1 << 20, 16, 1_000_000, 512 * 1024,
        1L << 32, 10_000, 10_000, 100_000, true, true, false);
  }

  public RaftSettings withSnapshots(int entriesMax, int chunkBytes) {
    return new RaftSettings(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, entriesMax, chunkBytes, snapshotBytesMax, proposalsPendingMax,
        readsPendingMax, heldMessagesMax, preVote, checkQuorum, staleFollowerReadsForTests, snapshotLogBytesMin, snapshotLogBytesMax,
        snapshotChunksInflightMax, proposalsPendingBytesMax, membership, incarnation);
  }

  public RaftSettings withAppendBytesMax(long bytesMax) {
    return new RaftSettings(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks,
        appendEntriesMax, bytesMax, inflightAppendsMax, snapshotEntriesMax, snapshotChunkBytes, snapshotBytesMax,
        proposalsPendingMax, readsPendingMax, heldMessagesMax, preVote, checkQuorum, staleFollowerReadsForTests, snapshotLogBytesMin,
        snapshotLogBytesMax, snapshotChunksInflightMax, proposalsPendingBytesMax, membership, incarnation);
  }

  public RaftSettings withPreVoteAndCheckQuorum(boolean preVoteOn, boolean checkQuorumOn) {
    return new RaftSettings(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, snapshotEntriesMax, snapshotChunkBytes, snapshotBytesMax,
        proposalsPendingMax, readsPendingMax, heldMessagesMax, preVoteOn, checkQuorumOn, staleFollowerReadsForTests,
        snapshotLogBytesMin, snapshotLogBytesMax, snapshotChunksInflightMax, proposalsPendingBytesMax, membership, incarnation);
  }

  /** The deliberately broken rule (see {@code staleFollowerReadsForTests}); for tests only. */
  public RaftSettings withStaleFollowerReadsForTests() {
    return new RaftSettings(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, snapshotEntriesMax, snapshotChunkBytes, snapshotBytesMax,
        proposalsPendingMax, readsPendingMax, heldMessagesMax, preVote, checkQuorum, true, snapshotLogBytesMin, snapshotLogBytesMax,
        snapshotChunksInflightMax, proposalsPendingBytesMax, membership, incarnation);
  }

  /** These settings with snapshots started by bytes of log between {@code minBytes} and {@code maxBytes}. */
  public RaftSettings withSnapshotLogBytes(long minBytes, long maxBytes) {
    return new RaftSettings(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, snapshotEntriesMax, snapshotChunkBytes, snapshotBytesMax,
        proposalsPendingMax, readsPendingMax, heldMessagesMax, preVote, checkQuorum, staleFollowerReadsForTests, minBytes, maxBytes,
        snapshotChunksInflightMax, proposalsPendingBytesMax, membership, incarnation);
  }

  /** These settings with a leader holding at most {@code count} / {@code bytes} of uncommitted proposals. */
  public RaftSettings withProposalsPending(int count, long bytes) {
    return new RaftSettings(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, snapshotEntriesMax, snapshotChunkBytes, snapshotBytesMax,
        count, readsPendingMax, heldMessagesMax, preVote, checkQuorum, staleFollowerReadsForTests, snapshotLogBytesMin,
        snapshotLogBytesMax, snapshotChunksInflightMax, bytes, membership, incarnation);
  }

  /** These settings with learners promoted by {@code m}. */
  public RaftSettings withMembership(MembershipSettings m) {
    return new RaftSettings(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, snapshotEntriesMax, snapshotChunkBytes, snapshotBytesMax,
        proposalsPendingMax, readsPendingMax, heldMessagesMax, preVote, checkQuorum, staleFollowerReadsForTests, snapshotLogBytesMin,
        snapshotLogBytesMax, snapshotChunksInflightMax, proposalsPendingBytesMax, m, incarnation);
  }

  /** These settings for a node whose data directory is {@code id} (see {@code incarnation}). */
  public RaftSettings withIncarnation(long id) {
    return new RaftSettings(nodeId, voters, tickInterval, electionTicksMin, electionTicksMax, heartbeatTicks, resendTicks,
        appendEntriesMax, appendBytesMax, inflightAppendsMax, snapshotEntriesMax, snapshotChunkBytes, snapshotBytesMax,
        proposalsPendingMax, readsPendingMax, heldMessagesMax, preVote, checkQuorum, staleFollowerReadsForTests, snapshotLogBytesMin,
        snapshotLogBytesMax, snapshotChunksInflightMax, proposalsPendingBytesMax, membership, id);
  }

  public int quorum() {
    return voters.size() / 2 + 1;
  }
}
