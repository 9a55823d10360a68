package io.raftkv.persistence.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simplest thing that behaves as {@link KvStateMachine} should, written independently of it:
 * a TreeMap, every change ever made in one list (history is never dropped here; compaction only
 * moves the revision below which reads are refused), sessions expired by scanning them all at
 * every entry, and sizes summed over everything whenever they are asked. Slow, obviously right.
 * Command validation is {@link KvLimits#validate}'s, tested on its own.
 */
final class KvReferenceModel {

  /** A key's value and revisions; value null: deleted at {@code mod}. */
  record Change(String key, byte[] value, long create, long mod, long version, long lease) {
    KeyRevisions revisions() {
      return new KeyRevisions(create, mod, version);
    }
  }

  private final KvLimits limits;
  private final long quotaBytes;
  private final SessionPolicy policy;
  private final HistoryPolicy historyPolicy;
  private final TreeMap<String, Change> map = new TreeMap<>();
  private final List<Change> history = new ArrayList<>();
  private final Map<String, List<Change>> historyByKey = new HashMap<>();
  private long compacted;
  /** history.get(i) for i >= keptFrom is above the compacted revision; with their counts. */
  private int keptFrom;
  private long keptRevisions;
  private long keptBytes;
  private final Map<Long, ClientSession> sessions = new HashMap<>();
  private final LeasePolicy leasePolicy;
  /** Lease id to {ttlSeconds, refreshIndex}. */
  private final TreeMap<Long, long[]> leases = new TreeMap<>();

  KvReferenceModel(KvLimits limits, SessionPolicy policy) {
    this(limits, policy, KvStateMachine.QUOTA_BYTES_NONE);
  }

  KvReferenceModel(KvLimits limits, SessionPolicy policy, long quotaBytes) {
    this(limits, policy, HistoryPolicy.DEFAULT, quotaBytes);
  }

  KvReferenceModel(KvLimits limits, SessionPolicy policy, HistoryPolicy historyPolicy, long quotaBytes) {
    this(limits, policy, historyPolicy, LeasePolicy.DEFAULT, quotaBytes);
  }

  KvReferenceModel(KvLimits limits, SessionPolicy policy, HistoryPolicy historyPolicy, LeasePolicy leasePolicy, long quotaBytes) {
    this.leasePolicy = leasePolicy;
    this.limits = limits;
    this.quotaBytes = quotaBytes;
    this.policy = policy;
    this.historyPolicy = historyPolicy;
  }

  KvResult apply(long index, KvCommand command) {
    KvResult result = applyAt(index, command);
    // Automatic compaction: the oldest revision with changes, while history is over its policy.
    while (keptRevisions > historyPolicy.revisionsMax() || keptBytes > historyPolicy.bytesMax()) {
      compactTo(history.get(keptFrom).mod());
    }
    return result;
  }

  private void compactTo(long revision) {
    compacted = revision;
    while (keptFrom < history.size() && history.get(keptFrom).mod() <= revision) {
      Change dropped = history.get(keptFrom++);
      keptBytes -= bytes(dropped);
      if (keptFrom == history.size() || history.get(keptFrom).mod() != dropped.mod()) {
        keptRevisions--;
      }
    }
  }

  private void record(Change change) {
    if (history.size() == keptFrom || history.get(history.size() - 1).mod() != change.mod()) {
      keptRevisions++;
    }
    history.add(change);
    historyByKey.computeIfAbsent(change.key(), k -> new ArrayList<>()).add(change);
    keptBytes += bytes(change);
  }

  private static long bytes(Change change) {
    return utf8(change.key()) + (change.value() == null ? 0 : change.value().length);
  }

  private static int utf8(String key) {
    return key.getBytes(StandardCharsets.UTF_8).length;
  }

  private KvResult applyAt(long index, KvCommand command) {
    sessions.values().removeIf(s -> index - s.lastUsedIndex() > policy.sessionExpiryEntries());
    if (command instanceof KvCommand.RegisterSession) {
      while (sessions.size() >= policy.sessionsMax()) {
        ClientSession oldest =
            sessions.values().stream()
                .min(
                    Comparator.comparingLong(ClientSession::lastUsedIndex)
                        .thenComparingLong(ClientSession::clientId))
                .orElseThrow();
        sessions.remove(oldest.clientId());
      }
      sessions.put(index, new ClientSession(index, 0, null, index));
      return new KvResult.SessionRegistered(index);
    }
    if (command instanceof KvCommand.Compact compact) {
      if (compact.revision() <= compacted) {
        return new KvResult.Compacted(compact.revision(), compacted);
      }
      if (compact.revision() >= index) {
        return new KvResult.FutureRevision(compact.revision(), index - 1);
      }
      compactTo(compact.revision());
      return KvResult.OK;
    }
    if (command instanceof KvCommand.LeaseCommand lease) {
      long[] held = leases.get(lease.id());
      if (held == null) {
        return new KvResult.LeaseNotFound(lease.id());
      }
      if (lease instanceof KvCommand.LeaseKeepAlive) {
        held[1] = index;
        return new KvResult.LeaseGranted(lease.id(), held[0]);
      }
      if (lease instanceof KvCommand.LeaseExpire expire && expire.refreshIndex() != held[1]) {
        return new KvResult.LeaseGranted(lease.id(), held[0]);
      }
      leases.remove(lease.id());
      for (String key : new java.util.ArrayList<>(map.keySet())) {
        if (map.get(key).lease() == lease.id()) {
          remove(key, index);
        }
      }
      return KvResult.OK;
    }
    if (command instanceof KvCommand.Get get) {
      KvResult refused = refusal(get.key(), null, -1);
      if (refused != null) {
        return refused;
      }
      if (get.revision() != KvCommand.NEWEST && get.revision() < compacted) {
        return new KvResult.Compacted(get.revision(), compacted);
      }
      return found(at(get.key(), get.revision()));
    }
    if (command instanceof KvCommand.Scan scan) {
      KvResult refused = refusal(scan.prefix(), null, -1);
      if (refused == null && scan.limitEntries() > limits.scanEntriesMax()) {
        refused =
            new KvResult.LimitExceeded(
                "scanEntriesMax", scan.limitEntries(), limits.scanEntriesMax());
      }
      if (refused == null && scan.revision() != KvCommand.NEWEST && scan.revision() < compacted) {
        refused = new KvResult.Compacted(scan.revision(), compacted);
      }
      return refused != null ? refused : scan(scan.prefix(), scan.limitEntries(), scan.revision());
    }
    KvCommand.Write write = (KvCommand.Write) command;
    RequestId id = write.requestId();
    if (!id.tracked()) {
      return write(write, index);
    }
    ClientSession session = sessions.get(id.clientId());
    if (session == null) {
      return new KvResult.SessionExpired(id.clientId());
    }
    KvResult result;
    long lastSequence = session.lastSequence();
    if (id.sequence() == lastSequence) {
      result = session.lastResult();
    } else if (id.sequence() < lastSequence) {
      result = new KvResult.StaleRequest(id.clientId(), id.sequence(), lastSequence);
    } else {
      result = write(write, index);
      sessions.put(id.clientId(), new ClientSession(id.clientId(), id.sequence(), result, index));
      return result;
    }
    sessions.put(
        id.clientId(), new ClientSession(id.clientId(), lastSequence, session.lastResult(), index));
    return result;
  }

  private KvResult write(KvCommand.Write write, long index) {
    if (write instanceof KvCommand.Txn txn) {
      return txn(txn, index);
    }
    if (write instanceof KvCommand.LeaseGrant grant) {
      if (leases.size() >= leasePolicy.leasesMax()) {
        return new KvResult.LimitExceeded("leasesMax", leases.size() + 1L, leasePolicy.leasesMax());
      }
      leases.put(index, new long[] {grant.ttlSeconds(), index});
      return new KvResult.LeaseGranted(index, grant.ttlSeconds());
    }
    if (write instanceof KvCommand.Put put) {
      KvResult refused = refusal(put.key(), null, put.value().length);
      if (refused == null) {
        refused = leaseRefusal(put.key(), put.lease(), Map.of());
      }
      if (refused != null) {
        return refused;
      }
      return store(put.key(), put.value(), index, put.lease());
    }
    if (write instanceof KvCommand.Append append) {
      byte[] old = valueOf(append.key());
      old = old == null ? new byte[0] : old;
      KvResult refused = refusal(append.key(), null, append.value().length);
      if (refused == null && old.length + append.value().length > limits.valueBytesMax()) {
        refused =
            new KvResult.LimitExceeded(
                "valueBytesMax", old.length + append.value().length, limits.valueBytesMax());
      }
      if (refused != null) {
        return refused;
      }
      byte[] joined = Arrays.copyOf(old, old.length + append.value().length);
      System.arraycopy(append.value(), 0, joined, old.length, append.value().length);
      return store(append.key(), joined, index, leaseOf(append.key()));
    }
    if (write instanceof KvCommand.Delete delete) {
      KvResult refused = refusal(delete.key(), null, -1);
      if (refused != null) {
        return refused;
      }
      return remove(delete.key(), index) ? KvResult.OK : KvResult.NOT_FOUND;
    }
    KvCommand.CompareAndSet cas = (KvCommand.CompareAndSet) write;
    KvResult refused = refusal(cas.key(), cas.expected(), cas.value().length);
    if (refused != null) {
      return refused;
    }
    byte[] current = valueOf(cas.key());
    boolean matches =
        current == null ? cas.expected() == null : Arrays.equals(current, cas.expected());
    if (!matches) {
      return new KvResult.CasMismatch(current);
    }
    return store(cas.key(), cas.value(), index, leaseOf(cas.key()));
  }

  private long leaseOf(String key) {
    Change current = map.get(key);
    return current == null ? 0 : current.lease();
  }

  /** Why {@code key} may not be attached to {@code lease}, with {@code planned} other keys going to leases too. */
  private KvResult leaseRefusal(String key, long lease, Map<String, Long> planned) {
    if (lease == 0) {
      return null;
    }
    if (!leases.containsKey(lease)) {
      return new KvResult.LeaseNotFound(lease);
    }
    java.util.Set<String> attached = new java.util.TreeSet<>();
    map.forEach((k, c) -> {
      if (c.lease() == lease) {
        attached.add(k);
      }
    });
    planned.forEach((k, l) -> {
      if (l == lease) {
        attached.add(k);
      }
    });
    attached.add(key);
    return attached.size() > leasePolicy.keysPerLeaseMax()
        ? new KvResult.LimitExceeded("keysPerLeaseMax", attached.size(), leasePolicy.keysPerLeaseMax()) : null;
  }

  private KvResult txn(KvCommand.Txn txn, long index) {
    var refused = limits.validate(txn);
    if (refused.isPresent()) {
      return refused.get();
    }
    boolean succeeded = txn.compares().stream().allMatch(this::holds);
    List<TxnOp> ops = succeeded ? txn.success() : txn.failure();
    TreeMap<String, byte[]> after = new TreeMap<>();
    map.forEach((k, c) -> after.put(k, c.value()));
    List<KvResult> results = new ArrayList<>();
    List<Long> readSizes = new ArrayList<>();
    for (TxnOp op : ops) {
      if (op instanceof TxnOp.Get) {
        Change current = map.get(op.key());
        results.add(found(current));
        if (current != null) {
          readSizes.add(KvEntry.sizeBytes(op.key(), current.value().length));
          long sum = readSizes.stream().mapToLong(Long::longValue).sum();
          if (sum > limits.txnAnswerBytesMax()) {
            return new KvResult.LimitExceeded("txnAnswerBytesMax", sum, limits.txnAnswerBytesMax());
          }
        }
      } else if (op instanceof TxnOp.Put put) {
        after.put(put.key(), put.value());
        results.add(KvResult.OK);
      } else {
        results.add(after.remove(op.key()) != null ? KvResult.OK : KvResult.NOT_FOUND);
      }
    }
    Map<String, Long> planned = new HashMap<>();
    for (TxnOp op : ops) {
      if (op instanceof TxnOp.Put put && put.lease() != 0) {
        KvResult leaseRefused = leaseRefusal(put.key(), put.lease(), planned);
        if (leaseRefused != null) {
          return leaseRefused;
        }
        planned.put(put.key(), put.lease());
      }
    }
    long before = stateBytes();
    if (bytesOf(after) > before && before > quotaBytes) {
      return new KvResult.QuotaExceeded(before, quotaBytes);
    }
    for (TxnOp op : ops) {
      if (op instanceof TxnOp.Put put) {
        put(put.key(), put.value(), index, put.lease());
      } else if (op instanceof TxnOp.Delete) {
        remove(op.key(), index);
      }
    }
    return new KvResult.TxnResult(succeeded, results);
  }

  private boolean holds(TxnCompare compare) {
    Change current = map.get(compare.key());
    long order;
    if (compare.target() == TxnCompare.Target.VALUE) {
      if (current == null) {
        return false;
      }
      order = Arrays.compareUnsigned(current.value(), compare.value());
    } else {
      long actual = current == null ? 0 : switch (compare.target()) {
        case VERSION -> current.version();
        case CREATE -> current.create();
        default -> current.mod();
      };
      order = Long.compare(actual, compare.number());
    }
    return switch (compare.op()) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case LESS -> order < 0;
      case GREATER -> order > 0;
    };
  }

  /** Stores the value unless the state is over the quota and this would make it larger. */
  private KvResult store(String key, byte[] value, long index, long lease) {
    if (quotaBytes == KvStateMachine.QUOTA_BYTES_NONE) {
      put(key, value, index, lease); // no quota: no state is over it (and summing it all per write is slow)
      return KvResult.OK;
    }
    long before = stateBytes();
    TreeMap<String, byte[]> after = new TreeMap<>();
    map.forEach((k, c) -> after.put(k, c.value()));
    after.put(key, value);
    if (bytesOf(after) > before && before > quotaBytes) {
      return new KvResult.QuotaExceeded(before, quotaBytes);
    }
    put(key, value, index, lease);
    return KvResult.OK;
  }

  private void put(String key, byte[] value, long index, long lease) {
    Change current = map.get(key);
    Change written = current == null
        ? new Change(key, value, index, index, 1, lease)
        : new Change(key, value, current.create(), index, current.version() + 1, lease);
    map.put(key, written);
    record(written);
  }

  private boolean remove(String key, long index) {
    if (map.remove(key) == null) {
      return false;
    }
    record(new Change(key, null, 0, index, 0, 0));
    return true;
  }

  private byte[] valueOf(String key) {
    Change current = map.get(key);
    return current == null ? null : current.value();
  }

  private static KvResult found(Change change) {
    return change == null || change.value() == null
        ? KvResult.NOT_FOUND : new KvResult.Value(change.value(), change.revisions());
  }

  /** The key's change at {@code revision} (0: newest), or null when it had none then. */
  private Change at(String key, long revision) {
    if (revision == KvCommand.NEWEST) {
      return map.get(key);
    }
    List<Change> changes = historyByKey.getOrDefault(key, List.of());
    for (int i = changes.size() - 1; i >= 0; i--) {
      if (changes.get(i).mod() <= revision) {
        return changes.get(i);
      }
    }
    return null;
  }

  /** Over every key, its UTF-8 bytes and its value's bytes. */
  long stateBytes() {
    TreeMap<String, byte[]> values = new TreeMap<>();
    map.forEach((k, c) -> values.put(k, c.value()));
    return bytesOf(values);
  }

  long compactedRevision() {
    return compacted;
  }

  /**
   * The versions history needs: per key, those above the compacted revision and its live one at
   * it.
   */
  long retainedVersionCount() {
    long count = history.size() - keptFrom;
    for (String key : historyByKey.keySet()) {
      Change base = compacted == 0 ? null : at(key, compacted);
      if (base != null && base.value() != null) {
        count++;
      }
    }
    return count;
  }

  /** Every change above the compacted revision, by revision and then key. */
  List<KvEvent> changesAboveCompacted() {
    return history.subList(keptFrom, history.size()).stream()
        .sorted(Comparator.comparingLong(Change::mod).thenComparing(Change::key))
        .map(c -> c.value() == null
            ? new KvEvent(KvEvent.Type.DELETE, c.key(), null, new KeyRevisions(0, c.mod(), 0))
            : new KvEvent(KvEvent.Type.PUT, c.key(), c.value(), c.revisions()))
        .toList();
  }

  private static long bytesOf(Map<String, byte[]> entries) {
    long bytes = 0;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().length;
    }
    return bytes;
  }

  /** The first limit broken, in the documented order: key, expected value, value. */
  private KvResult refusal(String key, byte[] expected, int valueBytes) {
    int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes > limits.keyBytesMax()) {
      return new KvResult.LimitExceeded("keyBytesMax", keyBytes, limits.keyBytesMax());
    }
    if (expected != null && expected.length > limits.valueBytesMax()) {
      return new KvResult.LimitExceeded("valueBytesMax", expected.length, limits.valueBytesMax());
    }
    if (valueBytes > limits.valueBytesMax()) {
      return new KvResult.LimitExceeded("valueBytesMax", valueBytes, limits.valueBytesMax());
    }
    return null;
  }

  private KvResult.ScanResult scan(String prefix, int limitEntries, long revision) {
    List<KvEntry> matching = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(historyByKey.keySet())) {
      Change change = at(key, revision);
      if (key.startsWith(prefix) && change != null && change.value() != null) {
        matching.add(new KvEntry(key, change.value(), change.revisions()));
      }
    }
    return new KvResult.ScanResult(
        matching.subList(0, Math.min(limitEntries, matching.size())),
        matching.size() > limitEntries);
  }

  List<KvEntry> contents() {
    return scan("", Integer.MAX_VALUE, KvCommand.NEWEST).entries();
  }

  List<ClientSession> sessions() {
    return sessions.values().stream()
        .sorted(Comparator.comparingLong(ClientSession::clientId))
        .toList();
  }

  /** Every lease alive, by id. */
  List<KvLease> leases() {
    return leases.entrySet().stream().map(e -> new KvLease(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
  }

  /** Lease ids alive, for the command generator. */
  List<Long> leaseIds() {
    return List.copyOf(leases.keySet());
  }

  /** The lease's refresh index, or 0 when there is no such lease. */
  long refreshIndex(long id) {
    long[] held = leases.get(id);
    return held == null ? 0 : held[1];
  }

  /** Client ids of the sessions kept, for the command generator. */
  List<Long> clientIds() {
    return sessions().stream().map(ClientSession::clientId).toList();
  }

  long lastSequence(long clientId) {
    ClientSession session = sessions.get(clientId);
    return session == null ? 0 : session.lastSequence();
  }
}
