package io.raftkv.persistence.kv;

import io.raftkv.persistence.statemachine.SnapshotWriter;
import io.raftkv.persistence.statemachine.StateMachine;
import io.raftkv.persistence.statemachine.StateMachineCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The replicated key-value map: applies committed {@link KvCommand}s, answers reads, and takes
 * and restores snapshots of itself.
 *
 * <h2>Threads</h2>
 *
 * {@link #apply}, {@link #snapshot}, {@link #pinSnapshot}, {@link #releaseSnapshot},
 * {@link #restore} and {@link #sessions} are called by the owning Raft node only. {@link #get},
 * {@link #scan}, {@link #changesFrom}, {@link #lastAppliedIndex}, {@link #size}, {@link #stateBytes} and
 * {@link #quotaAlarm} may be called from any thread at any time (ReadIndex reads skip the log): the keys live in a
 * {@code ConcurrentSkipListMap} whose versions and arrays are never changed once stored, and
 * every value handed out is a copy. The {@link SnapshotWriter} of a pinned snapshot runs on a
 * thread of its own while the owner goes on applying ({@link KvStore} says how).
 *
 * <h2>Revisions and history (etcd's model, with the log index as revision)</h2>
 *
 * The revision of a write is the log index that applied it; every key carries the revision that
 * created it, the one that last wrote it, and its version (writes since creation). A
 * {@link KvCommand.Txn} writes all its keys at its one revision. History is kept back to the
 * compacted revision: reads at a revision at or above it are answered, below it
 * {@link KvResult.Compacted}; {@link #changesFrom} lists the changes above it for watches. The
 * machine compacts by itself to stay within its {@link HistoryPolicy}, oldest revision first, and
 * on {@link KvCommand.Compact}. History is part of the snapshot.
 *
 * <h2>Exactly-once writes: client sessions (Raft dissertation §6.3)</h2>
 *
 * <ol>
 *   <li>A client opens a session with {@link KvCommand.RegisterSession}; the log index at which
 *       it is applied becomes its client id ({@link KvResult.SessionRegistered}). Ids are thus
 *       unique, chosen alike on every replica, and never reused.
 *   <li>Each write carries a {@link RequestId} (client id, sequence). Per session the machine
 *       keeps the highest sequence applied and that write's result. A write with a higher
 *       sequence is applied (gaps are allowed); one with the same sequence is a retry and gets
 *       the kept result without being applied again; one with a lower sequence gets
 *       {@link KvResult.StaleRequest} and is not applied. As only the last result is kept, a
 *       client has at most one write in flight per session, or it may see StaleRequest for a
 *       retry of an older one (whose outcome is then unknown).
 *   <li><b>Expiry, counted in log indexes, not time</b>, so every replica drops the same
 *       sessions at the same entry: each session records {@code lastUsedIndex}, the index of the
 *       last entry that named it (its registration, or any write under it, including retries and
 *       stale ones). Before the entry at index {@code i} is applied, every session with {@code i
 *       - lastUsedIndex > sessionExpiryEntries} is dropped. Reads do not use sessions and do not
 *       keep them alive.
 *   <li><b>Capacity</b>: when a registration finds {@code sessionsMax} sessions kept, the least
 *       recently used one is evicted first: the smallest {@code lastUsedIndex}, ties (only
 *       possible in a hand-made snapshot) broken by the smaller client id.
 *   <li><b>What a client sees after losing its session</b>: a write naming an unknown client id
 *       gets {@link KvResult.SessionExpired} and is not applied. Because ids come only from
 *       registrations, an unknown id always means expired, evicted or invented, never "new";
 *       so an old sequence can never be taken for a fresh one. The client registers a new
 *       session; a write of its that was in flight has an unknown outcome.
 *   <li>A write with {@link RequestId#UNTRACKED} bypasses sessions and is applied every time.
 * </ol>
 *
 * Sessions are part of the snapshot, so a restored replica deduplicates and expires exactly as
 * the others. The {@link SessionPolicy} and {@link KvLimits} shape the answers, so all nodes of
 * a cluster must be configured alike.
 *
 * <h2>Limits</h2>
 *
 * Commands are checked against {@link KvLimits} when applied too (the entrance should have
 * refused them already), and an append is refused when the value it would make exceeds
 * {@code valueBytesMax}; a refused command changes nothing and answers
 * {@link KvResult.LimitExceeded}, which is also the kept result of a refused tracked write.
 *
 * <h2>The space quota (etcd's NOSPACE alarm, decided at apply)</h2>
 *
 * The state's size, {@link #stateBytes()}, is over every live key the bytes of its UTF-8 form
 * plus the bytes of its value (no per-entry overhead: a count that depends only on the applied
 * commands, so every replica has the same one; {@link KvStore} keeps it, and counts it again on
 * restore). While it is over {@link #quotaBytes()} ({@link #quotaAlarm()}), a write that would
 * grow it (a put of a new key or of a larger value, an append of at least one byte or to a missing
 * key, a cas that matched and would do either) is refused with {@link KvResult.QuotaExceeded} and
 * changes nothing; deletes, and writes that shrink the state or keep its size, are applied, and
 * reads go on. So the state passes the quota by one write at most (a key and a value at their
 * bounds). The refusal is decided by the applied commands alone, the same on every replica; it is
 * the kept result of a refused tracked write, like {@link KvResult.LimitExceeded}, and the quota,
 * like the limits, must be the same on every node.
 */
public final class KvStateMachine implements StateMachine {

  /** No quota: a state of any size takes writes. */
  public static final long QUOTA_BYTES_NONE = Long.MAX_VALUE;

  private final KvLimits limits;
  private final SessionPolicy sessionPolicy;
  private final HistoryPolicy historyPolicy;
  private final LeasePolicy leasePolicy;
  private final Leases leases = new Leases();
  private final long quotaBytes;
  private final KvStore store = new KvStore();
  private final Runnable onChange;
  private final ClientSessions sessions;
  private volatile long lastAppliedIndex;

  /** A machine without a space quota ({@link #QUOTA_BYTES_NONE}). */
  public KvStateMachine(KvLimits limits, SessionPolicy sessionPolicy) {
    this(limits, sessionPolicy, QUOTA_BYTES_NONE);
  }

  /**
   * @param quotaBytes the space quota: over it, writes that would grow the state are refused; at
   *     least {@link KvLimits#valueBytesMax()}
   * @throws IllegalArgumentException for a quota below one value
   */
  public KvStateMachine(KvLimits limits, SessionPolicy sessionPolicy, long quotaBytes) {
    this(limits, sessionPolicy, HistoryPolicy.DEFAULT, quotaBytes);
  }

  /**
   * @param quotaBytes the space quota: over it, writes that would grow the state are refused; at
   *     least {@link KvLimits#valueBytesMax()}
   * @throws IllegalArgumentException for a quota below one value
   */
  public KvStateMachine(
      KvLimits limits, SessionPolicy sessionPolicy, HistoryPolicy historyPolicy, long quotaBytes) {
    this(limits, sessionPolicy, historyPolicy, quotaBytes, () -> {});
  }

  /**
   * @param onChange called on the owner's thread after each apply that changed a key, and after
   *     each restore, once the changes are readable ({@link #changesFrom}): what wakes watches. It
   *     must be quick and must not call back into the machine's owner-only methods.
   */
  public KvStateMachine(KvLimits limits, SessionPolicy sessionPolicy, HistoryPolicy historyPolicy, long quotaBytes,
      Runnable onChange) {
    this(limits, sessionPolicy, historyPolicy, LeasePolicy.DEFAULT, quotaBytes, onChange);
  }

  /** Every setting given. */
  public KvStateMachine(KvLimits limits, SessionPolicy sessionPolicy, HistoryPolicy historyPolicy, LeasePolicy leasePolicy,
      long quotaBytes, Runnable onChange) {
    this.leasePolicy = Objects.requireNonNull(leasePolicy, "leasePolicy");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.sessionPolicy = Objects.requireNonNull(sessionPolicy, "sessionPolicy");
    this.historyPolicy = Objects.requireNonNull(historyPolicy, "historyPolicy");
    if (quotaBytes < limits.valueBytesMax()) {
      throw new IllegalArgumentException("quotaBytes must be at least " + KvLimits.VALUE_BYTES_MAX + " ("
          + limits.valueBytesMax() + " bytes), got " + quotaBytes);
    }
    this.quotaBytes = quotaBytes;
    this.sessions = new ClientSessions(sessionPolicy);
  }

  /**
   * Applies {@code command}, a {@link KvCommand}, committed at {@code index}.
   *
   * @throws IllegalArgumentException if {@code index} does not exceed the last applied index
   *     (applying an entry twice would defeat exactly-once), or the command is not a KvCommand
   */
  @Override
  public KvResult apply(long index, StateMachineCommand command) {
    Objects.requireNonNull(command, "command");
    if (!(command instanceof KvCommand kvCommand)) {
      throw new IllegalArgumentException("not a KvCommand: " + command.getClass().getName());
    }
    if (index <= lastAppliedIndex) {
      throw new IllegalArgumentException(
          "index " + index + " must exceed the last applied index " + lastAppliedIndex);
    }
    sessions.expireBefore(index);
    KvResult result = applyAt(index, kvCommand);
    boolean changed = store.publish();
    while (historyPolicy.exceededBy(store.historyRevisions(), store.historyBytes())) {
      store.compact(store.oldestChangedRevision());
    }
    lastAppliedIndex = index;
    if (changed) {
      onChange.run();
    }
    return result;
  }

  /** Answers a {@link KvCommand.Read} (get or scan) without going through the log. */
  @Override
  public KvResult query(StateMachineCommand query) {
    if (!(query instanceof KvCommand.Read read)) {
      throw new IllegalArgumentException("not a KvCommand.Read: " + query.getClass().getName());
    }
    return read(read);
  }

  private KvResult applyAt(long index, KvCommand command) {
    if (command instanceof KvCommand.RegisterSession) {
      return new KvResult.SessionRegistered(sessions.register(index).clientId());
    }
    if (command instanceof KvCommand.Read read) {
      return read(read);
    }
    if (command instanceof KvCommand.Compact compact) {
      return compact(compact.revision(), index);
    }
    if (command instanceof KvCommand.LeaseCommand lease) {
      return lease(lease, index);
    }
    KvCommand.Write write = (KvCommand.Write) command;
    RequestId requestId = write.requestId();
    if (!requestId.tracked()) {
      return write(write, index);
    }
    ClientSession session = sessions.find(requestId.clientId());
    if (session == null) {
      return new KvResult.SessionExpired(requestId.clientId());
    }
    if (requestId.sequence() <= session.lastSequence()) {
      sessions.update(session, session.usedAt(index));
      return requestId.sequence() == session.lastSequence()
          ? session.lastResult()
          : new KvResult.StaleRequest(
              requestId.clientId(), requestId.sequence(), session.lastSequence());
    }
    KvResult result = write(write, index);
    sessions.update(session, session.applied(requestId.sequence(), result, index));
    return result;
  }

  private KvResult read(KvCommand.Read read) {
    Optional<KvResult.LimitExceeded> refused = limits.validate(read);
    if (refused.isPresent()) {
      return refused.get();
    }
    long revision = read.revision() == KvCommand.NEWEST ? Long.MAX_VALUE : read.revision();
    try {
      if (read instanceof KvCommand.Get get) {
        return found(revision == Long.MAX_VALUE
            ? store.current(get.key()) : store.at(get.key(), revision));
      }
      String startAfter = read instanceof KvCommand.ScanAfter page ? page.startAfter() : null;
      String prefix = read instanceof KvCommand.ScanAfter page
          ? page.prefix() : ((KvCommand.Scan) read).prefix();
      int limitEntries = read instanceof KvCommand.ScanAfter page
          ? page.limitEntries() : ((KvCommand.Scan) read).limitEntries();
      return store.scan(prefix, startAfter, limitEntries, limits.scanBytesMax(), revision);
    } catch (CompactedException e) {
      return new KvResult.Compacted(read.revision(), e.compactedRevision());
    }
  }

  private static KvResult found(KvStore.Version version) {
    return version == null
        ? KvResult.NOT_FOUND
        : new KvResult.Value(version.value(), version.revisions());
  }

  /** Compacts history to {@code revision}, named by the entry at {@code index}. */
  private KvResult compact(long revision, long index) {
    long compacted = store.compactedRevision();
    if (revision <= compacted) {
      return new KvResult.Compacted(revision, compacted);
    }
    if (revision >= index) {
      return new KvResult.FutureRevision(revision, index - 1);
    }
    store.compact(revision);
    return KvResult.OK;
  }

  /** Every check comes before the first change, so a refused write leaves the map as it was. */
  private KvResult write(KvCommand.Write write, long index) {
    Optional<KvResult.LimitExceeded> refused = limits.validate(write);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (write instanceof KvCommand.Put put) {
      Optional<KvResult> leaseRefused = attachable(put.key(), put.lease(), 0);
      if (leaseRefused.isPresent()) {
        return leaseRefused.get();
      }
      return replace(put.key(), peek(put.key()), put.rawValue(), index, put.lease());
    }
    if (write instanceof KvCommand.Append append) {
      return append(append.key(), append.rawValue(), index);
    }
    if (write instanceof KvCommand.Delete delete) {
      return deleteAttached(delete.key(), index) ? KvResult.OK : KvResult.NOT_FOUND;
    }
    if (write instanceof KvCommand.Txn txn) {
      return txn(txn, index);
    }
    if (write instanceof KvCommand.LeaseGrant grant) {
      if (leases.count() >= leasePolicy.leasesMax()) {
        return new KvResult.LimitExceeded(LeasePolicy.LEASES_MAX, leases.count() + 1L, leasePolicy.leasesMax());
      }
      leases.grant(index, grant.ttlSeconds());
      return new KvResult.LeaseGranted(index, grant.ttlSeconds());
    }
    KvCommand.CompareAndSet cas = (KvCommand.CompareAndSet) write;
    byte[] current = peek(cas.key());
    // Arrays.equals treats two nulls as equal and null unlike any array, so a missing key never
    // matches an expected empty value.
    if (!java.util.Arrays.equals(current, cas.rawExpected())) {
      return new KvResult.CasMismatch(current);
    }
    return replace(cas.key(), current, cas.rawValue(), index, leaseOf(cas.key()));
  }

  /**
   * Why {@code key} cannot be attached to {@code lease} now, with {@code alsoAttached} more keys
   * about to be attached to it, or empty when it can (or {@code lease} is 0).
   */
  private Optional<KvResult> attachable(String key, long lease, int alsoAttached) {
    if (lease == 0) {
      return Optional.empty();
    }
    if (leases.get(lease) == null) {
      return Optional.of(new KvResult.LeaseNotFound(lease));
    }
    long attached = leases.keyCount(lease) + (long) alsoAttached + (leaseOf(key) == lease ? 0 : 1);
    return attached > leasePolicy.keysPerLeaseMax()
        ? Optional.of(new KvResult.LimitExceeded(LeasePolicy.KEYS_PER_LEASE_MAX, attached, leasePolicy.keysPerLeaseMax()))
        : Optional.empty();
  }

  /** The lease {@code key} is attached to, or 0. */
  private long leaseOf(String key) {
    KvStore.Version current = store.current(key);
    return current == null ? 0 : current.lease();
  }

  /** Stores {@code value} as {@code key}'s, attached to {@code lease} (0: none) and to no other. */
  private void putAttached(String key, byte[] value, long index, long lease) {
    KvStore.Version replaced = store.put(key, value, index, lease);
    if (replaced != null && replaced.lease() != lease) {
      leases.detach(key, replaced.lease());
    }
    leases.attach(key, lease);
  }

  /** Deletes {@code key} and detaches it from its lease; whether it was present. */
  private boolean deleteAttached(String key, long index) {
    KvStore.Version deleted = store.delete(key, index);
    if (deleted == null) {
      return false;
    }
    leases.detach(key, deleted.lease());
    return true;
  }

  /** A keep-alive, a revoke, or the leader's expiry of a lease, at {@code index}. */
  private KvResult lease(KvCommand.LeaseCommand command, long index) {
    KvLease lease = leases.get(command.id());
    if (lease == null) {
      return new KvResult.LeaseNotFound(command.id());
    }
    if (command instanceof KvCommand.LeaseKeepAlive) {
      leases.keepAlive(lease.id(), index);
      return new KvResult.LeaseGranted(lease.id(), lease.ttlSeconds());
    }
    if (command instanceof KvCommand.LeaseExpire expire && expire.refreshIndex() != lease.refreshIndex()) {
      return new KvResult.LeaseGranted(lease.id(), lease.ttlSeconds()); // kept alive since the leader decided
    }
    for (String key : leases.remove(lease.id())) {
      store.delete(key, index);
    }
    return KvResult.OK;
  }

  /**
   * Applies the branch the comparisons choose. Its reads come first (they see the state the
   * comparisons saw), then every check, then the writes: a refused transaction changes nothing.
   */
  private KvResult txn(KvCommand.Txn txn, long index) {
    boolean succeeded = true;
    for (TxnCompare compare : txn.compares()) {
      KvStore.Version current = store.current(compare.key());
      if (!compare.holdsFor(current == null ? null : current.value(),
          current == null ? null : current.revisions())) {
        succeeded = false;
        break;
      }
    }
    List<TxnOp> ops = succeeded ? txn.success() : txn.failure();
    List<KvResult> results = new ArrayList<>(ops.size());
    long answerBytes = 0;
    long growth = 0;
    for (TxnOp op : ops) {
      byte[] current = peek(op.key());
      if (op instanceof TxnOp.Get) {
        KvResult read = found(store.current(op.key()));
        if (current != null) {
          answerBytes += KvEntry.sizeBytes(op.key(), current.length);
          if (answerBytes > limits.txnAnswerBytesMax()) {
            return new KvResult.LimitExceeded(KvLimits.TXN_ANSWER_BYTES_MAX, answerBytes, limits.txnAnswerBytesMax());
          }
        }
        results.add(read);
      } else if (op instanceof TxnOp.Put put) {
        growth += current == null
            ? (long) Keys.utf8Length(put.key(), "key") + put.rawValue().length
            : (long) put.rawValue().length - current.length;
        results.add(KvResult.OK);
      } else {
        if (current != null) {
          growth -= Keys.utf8Length(op.key(), "key") + (long) current.length;
        }
        results.add(current == null ? KvResult.NOT_FOUND : KvResult.OK);
      }
    }
    java.util.Map<Long, Integer> attaching = new java.util.HashMap<>();
    for (TxnOp op : ops) {
      if (op instanceof TxnOp.Put put && put.lease() != 0) {
        Optional<KvResult> refused = attachable(put.key(), put.lease(), attaching.getOrDefault(put.lease(), 0));
        if (refused.isPresent()) {
          return refused.get();
        }
        if (leaseOf(put.key()) != put.lease()) {
          attaching.merge(put.lease(), 1, Integer::sum);
        }
      }
    }
    long bytes = store.liveBytes();
    if (growth > 0 && bytes > quotaBytes) {
      return new KvResult.QuotaExceeded(bytes, quotaBytes);
    }
    for (TxnOp op : ops) {
      if (op instanceof TxnOp.Put put) {
        putAttached(put.key(), put.rawValue(), index, put.lease());
      } else if (op instanceof TxnOp.Delete delete) {
        deleteAttached(delete.key(), index);
      }
    }
    return new KvResult.TxnResult(succeeded, results);
  }

  /** The newest array of {@code key}, or null; not a copy, so only compared or handed on. */
  private byte[] peek(String key) {
    KvStore.Version version = store.current(key);
    return version == null ? null : version.value();
  }

  /**
   * Stores {@code value} (handed over) as {@code key}'s, whose stored array is {@code current}
   * (null: missing), unless the quota refuses what it would add to {@link #stateBytes()}.
   */
  private KvResult replace(String key, byte[] current, byte[] value, long index, long lease) {
    long growth = current == null
        ? (long) Keys.utf8Length(key, "key") + value.length
        : (long) value.length - current.length;
    long bytes = store.liveBytes();
    if (growth > 0 && bytes > quotaBytes) {
      return new KvResult.QuotaExceeded(bytes, quotaBytes);
    }
    putAttached(key, value, index, lease);
    return KvResult.OK;
  }

  /** Stores a new array: readers may hold the old one, which must not change under them. */
  private KvResult append(String key, byte[] suffix, long index) {
    byte[] current = peek(key);
    int currentBytes = current == null ? 0 : current.length;
    Optional<KvResult.LimitExceeded> refused =
        limits.checkValueBytes((long) currentBytes + suffix.length);
    if (refused.isPresent()) {
      return refused.get();
    }
    byte[] appended = new byte[currentBytes + suffix.length];
    if (current != null) {
      System.arraycopy(current, 0, appended, 0, currentBytes);
    }
    System.arraycopy(suffix, 0, appended, currentBytes, suffix.length);
    return replace(key, current, appended, index, leaseOf(key));
  }

  /** The value of {@code key}: {@link KvResult.Value} or {@link KvResult#NOT_FOUND}. Any thread. */
  public KvResult get(String key) {
    return found(store.current(Objects.requireNonNull(key, "key")));
  }

  /**
   * The value {@code key} had at {@code revision}: {@link KvResult.Value},
   * {@link KvResult#NOT_FOUND} or {@link KvResult.Compacted}. A revision after the last applied
   * one reads the newest value. Any thread.
   */
  public KvResult get(String key, long revision) {
    return read(new KvCommand.Get(key, revision));
  }

  /**
   * The changes of at most {@code revisionsMax} revisions from {@code fromRevision} on, in
   * revision order and, within a revision, in key order; each revision's changes all together.
   * Any thread.
   *
   * @throws IllegalArgumentException if {@code fromRevision} is below 1 or {@code revisionsMax}
   *     below 1
   * @return the changes, or empty when {@code fromRevision - 1} is below the compacted revision
   *     ({@link #compactedRevision()} tells how far history goes back)
   */
  public Optional<List<List<KvEvent>>> changesFrom(long fromRevision, int revisionsMax) {
    if (fromRevision < 1 || revisionsMax < 1) {
      throw new IllegalArgumentException("fromRevision and revisionsMax must be >= 1, got "
          + fromRevision + " and " + revisionsMax);
    }
    List<List<KvStore.Change>> changes;
    try {
      changes = store.changesFrom(fromRevision, revisionsMax);
    } catch (CompactedException e) {
      return Optional.empty();
    }
    List<List<KvEvent>> events = new ArrayList<>(changes.size());
    for (List<KvStore.Change> revision : changes) {
      List<KvEvent> list = new ArrayList<>(revision.size());
      for (KvStore.Change change : revision) {
        list.add(KvEvent.of(change.key(), change.version()));
      }
      events.add(list);
    }
    return Optional.of(events);
  }

  /** Every lease alive, by id: what the leader checks for expiry. Any thread. */
  public List<KvLease> leases() {
    return leases.all();
  }

  public LeasePolicy leasePolicy() {
    return leasePolicy;
  }

  /** Reads and watches below this revision are refused. Any thread. */
  public long compactedRevision() {
    return store.compactedRevision();
  }

  /** Revisions with changes kept in history above the compacted revision. Any thread. */
  public int historyRevisions() {
    return store.historyRevisions();
  }

  /** Bytes of the changes kept in history (UTF-8 keys plus values). Any thread. */
  public long historyBytes() {
    return store.historyBytes();
  }

  /**
   * At most {@code limitEntries} entries whose key starts with {@code prefix} ("" = all), in key
   * order ({@link String#compareTo}), and within {@link KvLimits#scanBytesMax()} bytes: a scan
   * cut short by either bound says it was truncated, and always holds at least one entry, so that
   * paging with {@link #scan(String, String, int)} goes on. Any thread. The caller checks
   * {@code limitEntries} against {@link KvLimits#scanEntriesMax()} first ({@link KvLimits#validate}).
   *
   * @throws IllegalArgumentException if {@code limitEntries} is below 1
   */
  public KvResult.ScanResult scan(String prefix, int limitEntries) {
    return store.scan(Objects.requireNonNull(prefix, "prefix"), null, limitEntries, limits.scanBytesMax(),
        Long.MAX_VALUE);
  }

  /** The page of {@link #scan(String, int)} that follows key {@code startAfter}. Any thread. */
  public KvResult.ScanResult scan(String prefix, String startAfter, int limitEntries) {
    return store.scan(Objects.requireNonNull(prefix, "prefix"), Objects.requireNonNull(startAfter, "startAfter"), limitEntries,
        limits.scanBytesMax(), Long.MAX_VALUE);
  }

  /** The index of the last entry applied (or of the restored snapshot); 0 at first. Any thread. */
  public long lastAppliedIndex() {
    return lastAppliedIndex;
  }

  /** The number of keys. Any thread. */
  public int size() {
    return store.liveKeys();
  }

  /** UTF-8 key bytes plus value bytes of every key. Any thread. */
  @Override
  public long stateBytes() {
    return store.liveBytes();
  }

  /** The space quota ({@link #QUOTA_BYTES_NONE}: none). */
  public long quotaBytes() {
    return quotaBytes;
  }

  /** Whether the state is over its quota, so that writes growing it are refused. Any thread. */
  public boolean quotaAlarm() {
    return store.liveBytes() > quotaBytes;
  }

  /** The client sessions kept, by client id. Owning node only. */
  public List<ClientSession> sessions() {
    return sessions.all();
  }

  public KvLimits limits() {
    return limits;
  }

  public SessionPolicy sessionPolicy() {
    return sessionPolicy;
  }

  public HistoryPolicy historyPolicy() {
    return historyPolicy;
  }

  /**
   * The whole state, sessions and last applied index included, in {@link KvSnapshotFormat}'s
   * current version, as one array; works during a pin too (it writes the newest state).
   */
  @Override
  public byte[] snapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      KvSnapshotFormat.write(
          bytes, lastAppliedIndex, store.compactedRevision(), sessions.all(), leases.all(), store.currentHistories());
    } catch (IOException e) {
      throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Pins the state as of {@link #lastAppliedIndex()}: the keys through {@link KvStore}'s
   * versions, the sessions (few) as a copy taken now.
   *
   * @throws IllegalStateException if a snapshot is pinned already
   */
  @Override
  public SnapshotWriter pinSnapshot() {
    KvStore.Pin pin = store.pin(lastAppliedIndex);
    return new KvSnapshotWriter(pin, sessions.all(), leases.all());
  }

  @Override
  public void releaseSnapshot() {
    store.release();
  }

  /**
   * Replaces the whole state by {@code snapshot} (either format version). The snapshot is
   * decoded and checked in full before anything changes, so a refused one leaves the machine as
   * it was.
   *
   * @throws InvalidSnapshotException for null, an unknown format version, a checksum mismatch or
   *     content breaking the format
   */
  @Override
  public void restore(byte[] snapshot) {
    if (snapshot == null) {
      throw new InvalidSnapshotException("snapshot is null");
    }
    try {
      restore(new ByteArrayInputStream(snapshot));
    } catch (IOException e) {
      throw new UncheckedIOException("a ByteArrayInputStream does not fail", e);
    }
  }

  /**
   * Replaces the whole state by the snapshot read from {@code in}, to its end: what a
   * {@link #pinSnapshot} writer wrote, or an array of format version 1. Decoded and checked in
   * full before anything changes, so a refused one leaves the machine as it was. A pin held
   * stays held; its writer keeps writing the state it pinned.
   *
   * @throws InvalidSnapshotException for an unknown format version, a checksum or count
   *     mismatch, a truncated stream or content breaking the format
   * @throws IOException if reading {@code in} fails
   */
  @Override
  public void restore(InputStream in) throws IOException {
    KvSnapshotFormat.Contents contents = KvSnapshotFormat.read(in);
    store.replaceAll(contents.entries());
    leases.replaceAll(contents.leases(), contents.entries().keyLeases()); // the format checked they agree
    sessions.replaceAll(contents.sessions());
    lastAppliedIndex = contents.lastAppliedIndex();
    onChange.run();
  }

  /** The store itself: for tests of its version bookkeeping. */
  KvStore store() {
    return store;
  }
}
