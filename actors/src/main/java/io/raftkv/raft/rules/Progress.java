package io.raftkv.raft.rules;

/**
 * The leader's view of one follower's log, as in etcd-io/raft's {@code tracker.Progress}.
 *
 * <p>States: {@code PROBE} sends one append at a time until the follower's log position is found;
 * {@code REPLICATE} streams appends optimistically, up to {@code inflightMax} unacknowledged;
 * {@code SNAPSHOT} sends the snapshot in chunks because the entries it needs were compacted,
 * several in flight at once; the follower answers each with the next byte it needs, so a lost
 * chunk shows as an answer that does not advance, and sending resumes from there.
 * Invariants: {@code matchIndex < nextIndex}; {@code snapshotAcked <= snapshotOffset};
 * {@code 1 <= resendBackoff <= RESEND_BACKOFF_MAX}.
 *
 * <p>The resend timeout of data (appends, snapshot chunks) backs off, as TCP's does: each timeout
 * doubles it (up to {@link #RESEND_BACKOFF_MAX} times resend-ticks) and each answer that comes back
 * within a quarter of it halves it; the heartbeat probing a silent follower keeps resend-ticks. A
 * fixed timeout shorter than the time the data in flight takes to cross the link (four snapshot
 * chunks of 512 KiB over a slow or busy TLS connection) would take every chunk for lost, probe,
 * and start over: the snapshot never arrived, while the link was busy with resends. Answers that do
 * not advance rewind only within the current round ({@link #snapshotProgress}).
 */
public final class Progress {
  public enum State { PROBE, REPLICATE, SNAPSHOT }

  private final int inflightMax;
  private State state = State.PROBE;
  private long matchIndex; // highest index known to be durably replicated on the follower
  private long nextIndex; // next index to send
  private int inflight; // appends sent and not yet answered (REPLICATE)
  private boolean recentActive; // answered since the last check-quorum round
  private int ticksSinceSend; // for resending in PROBE when an append or its answer was lost
  private long snapshotIndex; // the snapshot being sent (SNAPSHOT)
  private long snapshotOffset; // next byte of it to send
  private long snapshotAcked; // bytes of it the follower is known to hold
  private int snapshotChunksInflight; // chunks of the current round sent and not yet answered
  private long snapshotRound; // the current sending of the snapshot: raised at each start and rewind, carried by its chunks
  private boolean silent; // an append or chunk went unanswered: only a heartbeat goes to it until it answers
  private int resendBackoff = 1; // the resend timeout in multiples of resend-ticks, see the class comment
  private int resendTicks = 1; // resend-ticks, as the last tick gave it

  /** The most the resend timeout backs off to, in multiples of resend-ticks. */
  public static final int RESEND_BACKOFF_MAX = 64;

  public Progress(long nextIndex, int inflightMax) {
    if (inflightMax < 1) throw new IllegalArgumentException("inflightMax must be >= 1");
    this.nextIndex = nextIndex;
    this.inflightMax = inflightMax;
  }

  public State state() { return state; }
  public long matchIndex() { return matchIndex; }
  public long nextIndex() { return nextIndex; }
  public int inflight() { return inflight; }
  public long snapshotIndex() { return snapshotIndex; }
  public long snapshotOffset() { return snapshotOffset; }
  public int snapshotChunksInflight() { return snapshotChunksInflight; }
  /** The bytes of the snapshot the follower is known to hold. */
  public long snapshotAcked() { return snapshotAcked; }
  /** The round the chunks sent now belong to; an answer to an older round may advance the transfer, never rewind it. */
  public long snapshotRound() { return snapshotRound; }
  /** The resend timeout now, in multiples of resend-ticks. */
  public int resendBackoff() { return resendBackoff; }
  /**
   * Whether the follower has answered nothing since an append or chunk to it was taken as lost. A
   * leader then sends it a heartbeat, not entries: data resent every resend timeout to a follower
   * that is down would pile up in the transport's queue to it (up to megabytes a message).
   */
  public boolean silent() { return silent; }

  /** Whether another append may be sent now. */
  public boolean canSend() {
    return switch (state) {
      case PROBE -> inflight == 0;
      case REPLICATE -> inflight < inflightMax;
      case SNAPSHOT -> false;
    };
  }

  /** An append covering entries up to {@code lastSent} went out. */
  public void sent(long lastSent) {
    inflight++;
    ticksSinceSend = 0;
    if (state == State.REPLICATE) nextIndex = Math.max(nextIndex, lastSent + 1);
  }

  /**
   * The follower stores the leader's log through {@code index}. Returns whether this was news.
   * A late or duplicated answer for an older index changes nothing.
   */
  public boolean acknowledged(long index) {
    recentActive = true;
    silent = false;
    answeredAppend();
    if (index <= matchIndex) return false;
    answeredQuickly();
    matchIndex = index;
    nextIndex = Math.max(nextIndex, index + 1);
    if (state == State.PROBE) {
      state = State.REPLICATE;
      inflight = 0;
    }
    return true;
  }

  /**
   * The follower rejected an append at {@code rejectedPrevIndex}; {@code hintNext} is where the
   * conflict hints say to resume. Returns false for a stale rejection: the follower has since
   * acknowledged {@code rejectedPrevIndex} or later, so it does hold that entry now.
   */
  public boolean rejected(long rejectedPrevIndex, long hintNext) {
    recentActive = true;
    silent = false;
    answeredAppend();
    if (rejectedPrevIndex <= matchIndex) return false;
    state = State.PROBE;
    inflight = 0;
    nextIndex = Math.max(matchIndex + 1, Math.min(hintNext, rejectedPrevIndex));
    return true;
  }

  /**
   * An append was answered: one fewer in flight. Not while sending a snapshot: the answer is a late
   * one to an append sent before it, and {@code inflight} then says whether chunks are in flight,
   * which only their answers or the resend timer may clear; cleared by a late answer while the
   * chunks were lost, nothing would ever be sent to the follower again.
   */
  private void answeredAppend() {
    if (state != State.SNAPSHOT) inflight = Math.max(0, inflight - 1);
  }

  /** Starts sending snapshot {@code index} from byte 0. */
  public void startSnapshot(long index) {
    state = State.SNAPSHOT;
    snapshotIndex = index;
    snapshotOffset = 0;
    snapshotAcked = 0;
    snapshotChunksInflight = 0;
    snapshotRound++;
    inflight = 0;
    ticksSinceSend = 0;
  }

  /** A chunk of {@code bytes} went out at {@link #snapshotOffset()}. */
  public void snapshotChunkSent(int bytes) {
    snapshotOffset += bytes;
    snapshotChunksInflight++;
    inflight = 1;
    ticksSinceSend = 0;
  }

  /**
   * The follower holds the snapshot's bytes before {@code offset} and asks for the next, answering a
   * chunk of {@code round}. An answer of the current round that does not advance means a chunk before
   * it was lost: sending resumes there, in a new round. An answer of an older round that does not
   * advance is about a chunk sent before that rewind, or a duplicate of one: taken for a loss, each
   * would send the chunks again, whose answers would rewind once more, a storm that never ended on a
   * link slow enough to keep chunks in flight (docs/ARCHITECTURE.md, "Sending").
   */
  public void snapshotProgress(long offset, long round) {
    recentActive = true;
    silent = false;
    boolean current = round == snapshotRound;
    if (current) snapshotChunksInflight = Math.max(0, snapshotChunksInflight - 1);
    if (offset > snapshotAcked) {
      answeredQuickly();
      snapshotAcked = offset;
      snapshotOffset = Math.max(snapshotOffset, offset);
      ticksSinceSend = 0;
    } else if (current) {
      snapshotOffset = offset;
      snapshotAcked = offset;
      snapshotChunksInflight = 0;
      snapshotRound++;
    }
    inflight = snapshotChunksInflight > 0 ? 1 : 0;
  }

  /** The follower installed snapshot {@code index}: resume with entries after it. */
  public void snapshotInstalled(long index) {
    recentActive = true;
    silent = false;
    state = State.PROBE;
    inflight = 0;
    matchIndex = Math.max(matchIndex, index);
    nextIndex = matchIndex + 1;
  }

  /**
   * Counts a tick; returns true when an append or a chunk has gone unanswered for {@code resendTicks}:
   * then it is taken as lost and the follower is probed again from its match index.
   */
  public boolean tickAndCheckLost(int resendTicks) {
    this.resendTicks = resendTicks;
    ticksSinceSend++;
    // A silent follower is sent only a heartbeat, which crosses any link at once: its timeout does not back off, so that a
    // follower coming back after a partition is heard from within resend-ticks.
    if (inflight > 0 && ticksSinceSend >= (silent ? resendTicks : (long) resendTicks * resendBackoff)) {
      if (!silent) resendBackoff = Math.min(RESEND_BACKOFF_MAX, resendBackoff * 2);
      inflight = 0;
      ticksSinceSend = 0;
      silent = true;
      if (state == State.REPLICATE || state == State.SNAPSHOT) {
        // Probe it again; a snapshot resumes where the follower's answer to its first chunk says.
        state = State.PROBE;
        nextIndex = matchIndex + 1;
        snapshotChunksInflight = 0;
      }
      return true;
    }
    return false;
  }

  /** An answer that advanced came within a quarter of the resend timeout: the timeout may shrink again. */
  private void answeredQuickly() {
    if (resendBackoff > 1 && 4L * ticksSinceSend < (long) resendTicks * resendBackoff) resendBackoff /= 2;
  }

  /** A heartbeat went to a {@link #silent} follower in place of entries; it is resent after the resend timeout. */
  public void probedSilently() {
    inflight = 1;
    ticksSinceSend = 0;
  }

  /**
   * The follower answered something that is not about the log (a heartbeat). Returns true when it
   * was {@link #silent}: it is there, and may be sent entries again.
   */
  public boolean heardFrom() {
    recentActive = true;
    if (!silent) return false;
    silent = false;
    inflight = 0;
    return true;
  }

  /** Reads and clears the activity flag (check-quorum, §6.2 of the dissertation). */
  public boolean takeRecentActive() {
    boolean was = recentActive;
    recentActive = false;
    return was;
  }

  @Override
  public String toString() {
    return state + "{match=" + matchIndex + ", next=" + nextIndex + ", inflight=" + inflight + "}";
  }
}
