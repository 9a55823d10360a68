package io.raftkv.persistence.kv;

import io.raftkv.persistence.statemachine.StateMachineResult;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link KvCommand} produced, as the client is told. Records holding a value copy it on
 * the way in and out. HTTP mapping (docs/API.md): Ok 204, Value 200, NotFound 404, CasMismatch
 * 409, ScanResult 200, TxnResult 200, LimitExceeded 413 (400 for a scan limit), QuotaExceeded 507,
 * Compacted 410, FutureRevision 400; SessionExpired and StaleRequest
 * are answers to the client library, which decides (see {@link KvStateMachine} for their rules).
 */
public sealed interface KvResult extends StateMachineResult
    permits KvResult.Ok,
        KvResult.Value,
        KvResult.NotFound,
        KvResult.CasMismatch,
        KvResult.ScanResult,
        KvResult.SessionRegistered,
        KvResult.SessionExpired,
        KvResult.StaleRequest,
        KvResult.LimitExceeded,
        KvResult.QuotaExceeded,
        KvResult.TxnResult,
        KvResult.Compacted,
        KvResult.FutureRevision,
        KvResult.LeaseGranted,
        KvResult.LeaseNotFound {

  Ok OK = new Ok();
  NotFound NOT_FOUND = new NotFound();

  /** The write was applied (put, append, delete of a present key, successful cas). */
  record Ok() implements KvResult {}

  /** The key is present with this value, written where {@code revisions} says. */
  record Value(byte[] value, KeyRevisions revisions) implements KvResult {
    public Value {
      value = Bytes.copy(Objects.requireNonNull(value, "value"));
      Objects.requireNonNull(revisions, "revisions");
    }

    @Override
    public byte[] value() {
      return Bytes.copy(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Value v && Arrays.equals(value, v.value) && revisions.equals(v.revisions);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(value) + revisions.hashCode();
    }

    @Override
    public String toString() {
      return "Value[" + Bytes.describe(value) + ", " + revisions + "]";
    }
  }

  /** The key is missing: a get found nothing, or a delete had nothing to delete. */
  record NotFound() implements KvResult {}

  /**
   * A compare-and-set found another value and changed nothing; {@code current} is that value,
   * or null when the key is missing.
   */
  record CasMismatch(byte[] current) implements KvResult {
    public CasMismatch {
      current = Bytes.copy(current);
    }

    /** The value found, or null when the key is missing. */
    @Override
    public byte[] current() {
      return Bytes.copy(current);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CasMismatch c && Arrays.equals(current, c.current);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(current);
    }

    @Override
    public String toString() {
      return "CasMismatch[current=" + Bytes.describe(current) + "]";
    }
  }

  /**
   * The entries of a scan in key order; {@code truncated} says that more keys matched the prefix
   * than the limit let through (the next page starts after the last key returned).
   */
  record ScanResult(List<KvEntry> entries, boolean truncated) implements KvResult {
    public ScanResult {
      entries = List.copyOf(entries);
    }
  }

  /** A session was opened; the client sends {@code clientId} with each of its writes. */
  record SessionRegistered(long clientId) implements KvResult {}

  /**
   * The write named a session that is not (or no longer) kept: it expired, was evicted or never
   * existed. The write was not applied now; if it was a retry, an earlier attempt may have been,
   * so its outcome is unknown. The client registers a new session to go on.
   */
  record SessionExpired(long clientId) implements KvResult {}

  /**
   * The write's sequence is older than the last one applied in its session, whose result is no
   * longer kept: the write was not applied now, and whether an earlier copy of it was is unknown.
   */
  record StaleRequest(long clientId, long sequence, long lastSequence) implements KvResult {}

  /**
   * A key, value or scan limit is over its configured bound; nothing was changed. {@code limit}
   * names the {@link KvLimits} setting, {@code actual} is the size found and {@code max} the bound,
   * both in the unit the setting's name ends with.
   */
  record LimitExceeded(String limit, long actual, long max) implements KvResult {
    public LimitExceeded {
      Objects.requireNonNull(limit, "limit");
    }

    /** A sentence for the client, e.g. "value is 2048 bytes, over valueBytesMax = 1024". */
    public String message() {
      return switch (limit) {
        case KvLimits.KEY_BYTES_MAX -> "key is " + actual + " bytes, over " + limit + " = " + max;
        case KvLimits.VALUE_BYTES_MAX ->
            "value is " + actual + " bytes, over " + limit + " = " + max;
        case KvLimits.SCAN_ENTRIES_MAX ->
            "scan limit is " + actual + " entries, over " + limit + " = " + max;
        case KvLimits.TXN_OPS_MAX ->
            "transaction has a list of " + actual + " comparisons or operations, over " + limit + " = " + max;
        case KvLimits.TXN_BYTES_MAX ->
            "transaction is " + actual + " bytes, over " + limit + " = " + max;
        case KvLimits.TXN_ANSWER_BYTES_MAX ->
            "transaction's reads return " + actual + " bytes, over " + limit + " = " + max;
        default -> limit + " exceeded: " + actual + " > " + max;
      };
    }
  }

  /**
   * The state was over its space quota ({@link KvStateMachine#quotaBytes()}) and the write would have
   * grown it; nothing was changed. Deletes, and writes that shrink the state or keep its size, are
   * still applied, and once the state is back at or under the quota growing writes are too.
   *
   * @param stateBytes the state's size when the write was refused ({@link KvStateMachine#stateBytes()})
   * @param quotaBytes the quota
   */
  record QuotaExceeded(long stateBytes, long quotaBytes) implements KvResult {
    /** A sentence for the client, e.g. "state is 2048 bytes, over quotaBytes = 1024". */
    public String message() {
      return "state is " + stateBytes + " bytes, over quotaBytes = " + quotaBytes;
    }
  }

  /**
   * A transaction's outcome: whether its comparisons held (so the success branch was applied) and
   * one answer per operation of the branch applied, in order.
   */
  record TxnResult(boolean succeeded, List<KvResult> results) implements KvResult {
    public TxnResult {
      results = List.copyOf(results);
    }
  }

  /**
   * A read (or watch) asked for revision {@code revision}, below {@code compactedRevision}: that
   * history is no longer kept. A compaction to a revision at or below the compacted one is
   * answered so too. Nothing was read or changed.
   */
  record Compacted(long revision, long compactedRevision) implements KvResult {
    /** A sentence for the client. */
    public String message() {
      return "revision " + revision + " is compacted: history is kept from revision "
          + compactedRevision;
    }
  }

  /**
   * A read or a compaction named a revision after the last one applied ({@code currentRevision}).
   * Nothing was read or changed.
   */
  record FutureRevision(long revision, long currentRevision) implements KvResult {
    /** A sentence for the client. */
    public String message() {
      return "revision " + revision + " is in the future: the current revision is " + currentRevision;
    }
  }

  /** Lease {@code id} is alive, with this TTL counted from now: the answer to a grant and a keep-alive. */
  record LeaseGranted(long id, long ttlSeconds) implements KvResult {}

  /** Lease {@code id} does not exist (it expired, was revoked, or never was). Nothing was changed. */
  record LeaseNotFound(long id) implements KvResult {}
}
