package io.raftkv.kv;

import io.raftkv.persistence.kv.KvResult;
import java.time.Duration;

/** How a key-value request through {@link KvApi} ended, from the caller's side. */
public sealed interface KvResponse {

  /**
   * The state machine answered (a write applied exactly once, or a read); {@code revision} is the
   * revision the answer reflects: the log index that applied a write, or the node's last applied
   * index when it read.
   */
  record Done(KvResult result, long revision) implements KvResponse {}

  /** The node asked does not lead; try {@code leaderHint} (0: unknown, try another node). Nothing happened. */
  record NotLeader(int leaderHint) implements KvResponse {}

  /** Refused before it reached the log: a key or value over its limit, or a malformed request. Nothing happened. */
  record Invalid(String reason) implements KvResponse {}

  /** The leader is overloaded or recovering. Nothing happened; retry after a pause. */
  record Busy(String reason) implements KvResponse {}

  /**
   * The outcome is unknown: leadership changed before the write committed, or the deadline ran
   * out. A retry with the same request id applies at most once.
   */
  record Unknown(String reason) implements KvResponse {}

  /** No answer within the deadline (the outcome of a write is unknown). */
  record Timeout(Duration deadline) implements KvResponse {}
}
