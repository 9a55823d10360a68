package io.raftkv.persistence.kv;

import io.raftkv.persistence.statemachine.StateMachineCommand;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A command of the key-value state machine, carried by a Raft log entry.
 *
 * <p>Constructors refuse what no state could make sense of (null or malformed keys, a scan limit
 * below 1, a bad {@link RequestId}); configured size limits are checked by {@link KvLimits}.
 * Records holding a value copy it on the way in and out, so a command never changes once built.
 */
public sealed interface KvCommand extends StateMachineCommand
    permits KvCommand.RegisterSession, KvCommand.Write, KvCommand.Read, KvCommand.Compact, KvCommand.LeaseCommand {

  /** A read's revision that asks for the newest state. */
  long NEWEST = 0;

  /**
   * Opens a client session. The log index at which it is applied becomes the client id, so ids
   * are unique and every replica picks the same one (Raft dissertation §6.3).
   */
  record RegisterSession() implements KvCommand {}

  /** A command that changes the map; exactly-once when its {@link #requestId()} is tracked. */
  sealed interface Write extends KvCommand permits Put, Append, Delete, CompareAndSet, Txn, LeaseGrant {
    RequestId requestId();
  }

  /**
   * A read, through the log or not; it needs no session, as reading twice changes nothing. It
   * reads the newest state ({@link #NEWEST}) or the state at a past revision, still kept.
   */
  sealed interface Read extends KvCommand permits Get, Scan, ScanAfter {
    /** The revision to read at, or {@link #NEWEST}. */
    long revision();
  }

  /**
   * Drops history older than {@code revision}: reads and watches before it are refused from then
   * on. Needs no session (compacting twice is refused the second time, harmlessly). Answer:
   * {@link KvResult.Ok}, {@link KvResult.Compacted} when history is compacted at or beyond it
   * already, or {@link KvResult.FutureRevision} beyond the last applied index.
   */
  record Compact(long revision) implements KvCommand {
    public Compact {
      if (revision < 1) {
        throw new IllegalArgumentException("revision must be >= 1, got " + revision);
      }
    }
  }

  /** The shortest lease TTL: below it, a lease could run out while a new leader is elected. */
  long LEASE_TTL_SECONDS_MIN = 2;
  /** The longest lease TTL: 30 days. */
  long LEASE_TTL_SECONDS_MAX = 30L * 24 * 3600;

  /**
   * Grants a lease of {@code ttlSeconds}; its id is the index of the entry that applies it.
   * Answer: {@link KvResult.LeaseGranted}, or {@link KvResult.LimitExceeded} over
   * {@link LeasePolicy#leasesMax()}.
   */
  record LeaseGrant(RequestId requestId, long ttlSeconds) implements Write {
    public LeaseGrant {
      Objects.requireNonNull(requestId, "requestId");
      if (ttlSeconds < LEASE_TTL_SECONDS_MIN || ttlSeconds > LEASE_TTL_SECONDS_MAX) {
        throw new IllegalArgumentException("a lease's TTL must be between " + LEASE_TTL_SECONDS_MIN + " s and "
            + LEASE_TTL_SECONDS_MAX + " s (30 days), got " + ttlSeconds + " s");
      }
    }
  }

  /**
   * What keeps a lease alive or ends it. Untracked: applying one twice does what applying it once
   * does (a second keep-alive moves the lease's refresh on, which is what a retry asks).
   */
  sealed interface LeaseCommand extends KvCommand permits LeaseKeepAlive, LeaseRevoke, LeaseExpire {
    long id();
  }

  /** Keeps lease {@code id} alive: its TTL counts again from this entry. Answer: LeaseGranted, or LeaseNotFound. */
  record LeaseKeepAlive(long id) implements LeaseCommand {}

  /**
   * Ends lease {@code id} now and deletes every key attached to it, all at this entry's revision.
   * Answer: {@link KvResult.Ok}, or {@link KvResult.LeaseNotFound}.
   */
  record LeaseRevoke(long id) implements LeaseCommand {}

  /**
   * The leader's decision that lease {@code id} ran out: revokes it if it was not kept alive since
   * the entry at {@code refreshIndex}, the last refresh the leader counted from; otherwise a
   * keep-alive came first and the lease lives on (answer: LeaseGranted).
   */
  record LeaseExpire(long id, long refreshIndex) implements LeaseCommand {}

  /**
   * If every one of {@code compares} holds, applies {@code success}, else {@code failure}: all in
   * one log entry, so at one revision, and atomically. Answer: {@link KvResult.TxnResult}, with
   * one answer per operation of the branch taken.
   */
  record Txn(RequestId requestId, List<TxnCompare> compares, List<TxnOp> success, List<TxnOp> failure)
      implements Write {
    public Txn {
      Objects.requireNonNull(requestId, "requestId");
      compares = List.copyOf(compares);
      success = requireWritesOnce(List.copyOf(success), "success");
      failure = requireWritesOnce(List.copyOf(failure), "failure");
    }

    private static List<TxnOp> requireWritesOnce(List<TxnOp> ops, String branch) {
      Set<String> written = new HashSet<>();
      for (TxnOp op : ops) {
        if (!(op instanceof TxnOp.Get) && !written.add(op.key())) {
          throw new IllegalArgumentException(
              "the " + branch + " branch writes key '" + op.key() + "' twice");
        }
      }
      return ops;
    }

    /** Kryo's worst case for this command: the sum of its parts. */
    @Override
    public int sizeBytes() {
      long bytes = SerializedSize.WRITE_HEADER_MAX + 3 * (SerializedSize.CLASS_MAX + SerializedSize.NUMBER_MAX);
      for (TxnCompare compare : compares) {
        bytes += compare.sizeBytes();
      }
      for (TxnOp op : success) {
        bytes += op.sizeBytes();
      }
      for (TxnOp op : failure) {
        bytes += op.sizeBytes();
      }
      return SerializedSize.capped(bytes);
    }
  }

  /** Sets {@code key} to {@code value}. Answer: {@link KvResult.Ok}. */
  record Put(RequestId requestId, String key, byte[] value, long lease) implements Write {
    public Put {
      Objects.requireNonNull(requestId, "requestId");
      Keys.requireKey(key);
      value = Bytes.copy(Objects.requireNonNull(value, "value"));
      if (lease < 0) {
        throw new IllegalArgumentException("lease must be >= 0 (0: none), got " + lease);
      }
    }

    /** A put attached to no lease. */
    public Put(RequestId requestId, String key, byte[] value) {
      this(requestId, key, value, 0);
    }

    @Override
    public byte[] value() {
      return Bytes.copy(value);
    }

    /** The value itself, not a copy: for this package, which never changes it. */
    byte[] rawValue() {
      return value;
    }

    /** Kryo's worst case for this command, so that big values bound an AppendEntries by their size. */
    @Override
    public int sizeBytes() {
      return SerializedSize.capped(
          SerializedSize.WRITE_HEADER_MAX + SerializedSize.string(key) + SerializedSize.bytes(value.length)
              + SerializedSize.NUMBER_MAX);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Put p
          && requestId.equals(p.requestId)
          && key.equals(p.key)
          && Arrays.equals(value, p.value)
          && lease == p.lease;
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, key, Arrays.hashCode(value), lease);
    }

    @Override
    public String toString() {
      return "Put[" + requestId + ", key=" + key + ", value=" + Bytes.describe(value) + (lease == 0 ? "" : ", lease=" + lease) + "]";
    }
  }

  /**
   * Appends {@code value} to the value of {@code key}; a missing key counts as empty, so the
   * result is {@code value}. Answer: {@link KvResult.Ok}.
   */
  record Append(RequestId requestId, String key, byte[] value) implements Write {
    public Append {
      Objects.requireNonNull(requestId, "requestId");
      Keys.requireKey(key);
      value = Bytes.copy(Objects.requireNonNull(value, "value"));
    }

    @Override
    public byte[] value() {
      return Bytes.copy(value);
    }

    /** The value itself, not a copy: for this package, which never changes it. */
    byte[] rawValue() {
      return value;
    }

    /** Kryo's worst case for this command, so that big values bound an AppendEntries by their size. */
    @Override
    public int sizeBytes() {
      return SerializedSize.capped(
          SerializedSize.WRITE_HEADER_MAX + SerializedSize.string(key) + SerializedSize.bytes(value.length));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Append a
          && requestId.equals(a.requestId)
          && key.equals(a.key)
          && Arrays.equals(value, a.value);
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, key, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
      return "Append[" + requestId + ", key=" + key + ", value=" + Bytes.describe(value) + "]";
    }
  }

  /** Removes {@code key}. Answer: {@link KvResult.Ok}, or {@link KvResult.NotFound}. */
  record Delete(RequestId requestId, String key) implements Write {
    public Delete {
      Objects.requireNonNull(requestId, "requestId");
      Keys.requireKey(key);
    }

    /** Kryo's worst case for this command: a key may take kilobytes. */
    @Override
    public int sizeBytes() {
      return SerializedSize.capped(SerializedSize.WRITE_HEADER_MAX + SerializedSize.string(key));
    }
  }

  /**
   * Sets {@code key} to {@code value} if its current value equals {@code expected}; a null
   * {@code expected} means "only if the key is missing". Answer: {@link KvResult.Ok}, or
   * {@link KvResult.CasMismatch} with the current value (nothing changed).
   */
  record CompareAndSet(RequestId requestId, String key, byte[] expected, byte[] value)
      implements Write {
    public CompareAndSet {
      Objects.requireNonNull(requestId, "requestId");
      Keys.requireKey(key);
      expected = Bytes.copy(expected);
      value = Bytes.copy(Objects.requireNonNull(value, "value"));
    }

    /** The value required for the swap, or null when the key must be missing. */
    @Override
    public byte[] expected() {
      return Bytes.copy(expected);
    }

    /** The expected value itself (or null), not a copy: for this package, which never alters it. */
    byte[] rawExpected() {
      return expected;
    }

    @Override
    public byte[] value() {
      return Bytes.copy(value);
    }

    /** The value itself, not a copy: for this package, which never changes it. */
    byte[] rawValue() {
      return value;
    }

    /** Kryo's worst case for this command: a cas carries up to two values. */
    @Override
    public int sizeBytes() {
      return SerializedSize.capped(SerializedSize.WRITE_HEADER_MAX + SerializedSize.string(key)
          + SerializedSize.bytes(expected == null ? 0 : expected.length) + SerializedSize.bytes(value.length));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CompareAndSet c
          && requestId.equals(c.requestId)
          && key.equals(c.key)
          && Arrays.equals(expected, c.expected)
          && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
      return Objects.hash(requestId, key, Arrays.hashCode(expected), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
      return "CompareAndSet["
          + requestId
          + ", key="
          + key
          + ", expected="
          + Bytes.describe(expected)
          + ", value="
          + Bytes.describe(value)
          + "]";
    }
  }

  /** Reads {@code key}. Answer: {@link KvResult.Value}, or {@link KvResult.NotFound}. */
  record Get(String key, long revision) implements Read {
    public Get {
      Keys.requireKey(key);
      requireRevision(revision);
    }

    /** Reads the newest value. */
    public Get(String key) {
      this(key, NEWEST);
    }

    /** Kryo's worst case for this command. */
    @Override
    public int sizeBytes() {
      return SerializedSize.capped(
          SerializedSize.CLASS_MAX + SerializedSize.string(key) + SerializedSize.NUMBER_MAX);
    }
  }

  /**
   * Reads, in key order, at most {@code limitEntries} entries whose key starts with
   * {@code prefix} (the empty prefix matches all), and no more than the node's scan byte budget
   * ({@link KvLimits#scanBytesMax()}) beyond the first. Answer: {@link KvResult.ScanResult}.
   */
  record Scan(String prefix, int limitEntries, long revision) implements Read {
    public Scan {
      Keys.requirePrefix(prefix);
      if (limitEntries < 1) {
        throw new IllegalArgumentException("limitEntries must be >= 1, got " + limitEntries);
      }
      requireRevision(revision);
    }

    /** Scans the newest state. */
    public Scan(String prefix, int limitEntries) {
      this(prefix, limitEntries, NEWEST);
    }

    /** Kryo's worst case for this command. */
    @Override
    public int sizeBytes() {
      return SerializedSize.capped(
          SerializedSize.CLASS_MAX + SerializedSize.string(prefix) + 2 * SerializedSize.NUMBER_MAX);
    }
  }

  /**
   * The next page of a scan: like {@link Scan}, but only keys after {@code startAfter} (the last
   * key of the page before), so that a scan cut short by its entry or byte bound can be continued.
   * Answer: {@link KvResult.ScanResult}.
   */
  record ScanAfter(String prefix, String startAfter, int limitEntries, long revision) implements Read {
    public ScanAfter {
      Keys.requirePrefix(prefix);
      Keys.requireKey(startAfter);
      if (limitEntries < 1) {
        throw new IllegalArgumentException("limitEntries must be >= 1, got " + limitEntries);
      }
      requireRevision(revision);
    }

    /** The next page of a scan of the newest state. */
    public ScanAfter(String prefix, String startAfter, int limitEntries) {
      this(prefix, startAfter, limitEntries, NEWEST);
    }

    /** Kryo's worst case for this command. */
    @Override
    public int sizeBytes() {
      return SerializedSize.capped(SerializedSize.CLASS_MAX + SerializedSize.string(prefix)
          + SerializedSize.string(startAfter) + 2 * SerializedSize.NUMBER_MAX);
    }
  }

  private static void requireRevision(long revision) {
    if (revision < 0) {
      throw new IllegalArgumentException("revision must be >= 0 (0: the newest), got " + revision);
    }
  }
}
