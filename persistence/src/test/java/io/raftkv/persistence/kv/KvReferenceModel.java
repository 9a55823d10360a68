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
 * a TreeMap, sessions expired by scanning them all at every entry, and the state's size summed over
 * the whole map whenever the quota is asked. Slow, obviously right.
 */
final class KvReferenceModel {

  private final KvLimits limits;
  private final long quotaBytes;
  private final SessionPolicy policy;
  private final TreeMap<String, byte[]> map = new TreeMap<>();
  private final Map<Long, ClientSession> sessions = new HashMap<>();

  KvReferenceModel(KvLimits limits, SessionPolicy policy) {
    this(limits, policy, KvStateMachine.QUOTA_BYTES_NONE);
  }

  KvReferenceModel(KvLimits limits, SessionPolicy policy, long quotaBytes) {
    this.limits = limits;
    this.quotaBytes = quotaBytes;
    this.policy = policy;
  }

  KvResult apply(long index, KvCommand command) {
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
    if (command instanceof KvCommand.Get get) {
      KvResult refused = refusal(get.key(), null, -1);
      if (refused != null) {
        return refused;
      }
      byte[] value = map.get(get.key());
      return value == null ? KvResult.NOT_FOUND : new KvResult.Value(value);
    }
    if (command instanceof KvCommand.Scan scan) {
      KvResult refused = refusal(scan.prefix(), null, -1);
      if (refused == null && scan.limitEntries() > limits.scanEntriesMax()) {
        refused =
            new KvResult.LimitExceeded(
                "scanEntriesMax", scan.limitEntries(), limits.scanEntriesMax());
      }
      return refused != null ? refused : scan(scan.prefix(), scan.limitEntries());
    }
    KvCommand.Write write = (KvCommand.Write) command;
    RequestId id = write.requestId();
    if (!id.tracked()) {
      return write(write);
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
      result = write(write);
      sessions.put(id.clientId(), new ClientSession(id.clientId(), id.sequence(), result, index));
      return result;
    }
    sessions.put(
        id.clientId(), new ClientSession(id.clientId(), lastSequence, session.lastResult(), index));
    return result;
  }

  private KvResult write(KvCommand.Write write) {
    if (write instanceof KvCommand.Put put) {
      KvResult refused = refusal(put.key(), null, put.value().length);
      if (refused != null) {
        return refused;
      }
      return store(put.key(), put.value());
    }
    if (write instanceof KvCommand.Append append) {
      byte[] old = map.getOrDefault(append.key(), new byte[0]);
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
      return store(append.key(), joined);
    }
    if (write instanceof KvCommand.Delete delete) {
      KvResult refused = refusal(delete.key(), null, -1);
      if (refused != null) {
        return refused;
      }
      return map.remove(delete.key()) != null ? KvResult.OK : KvResult.NOT_FOUND;
    }
    KvCommand.CompareAndSet cas = (KvCommand.CompareAndSet) write;
    KvResult refused = refusal(cas.key(), cas.expected(), cas.value().length);
    if (refused != null) {
      return refused;
    }
    byte[] current = map.get(cas.key());
    boolean matches =
        current == null ? cas.expected() == null : Arrays.equals(current, cas.expected());
    if (!matches) {
      return new KvResult.CasMismatch(current);
    }
    return store(cas.key(), cas.value());
  }

  /** Stores the value unless the state is over the quota and this would make it larger. */
  private KvResult store(String key, byte[] value) {
    long before = stateBytes();
    TreeMap<String, byte[]> after = new TreeMap<>(map);
    after.put(key, value);
    if (bytesOf(after) > before && before > quotaBytes) {
      return new KvResult.QuotaExceeded(before, quotaBytes);
    }
    map.put(key, value);
    return KvResult.OK;
  }

  /** Over every key, its UTF-8 bytes and its value's bytes. */
  long stateBytes() {
    return bytesOf(map);
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

  private KvResult.ScanResult scan(String prefix, int limitEntries) {
    List<KvEntry> matching = new ArrayList<>();
    for (Map.Entry<String, byte[]> entry : map.entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        matching.add(new KvEntry(entry.getKey(), entry.getValue()));
      }
    }
    return new KvResult.ScanResult(
        matching.subList(0, Math.min(limitEntries, matching.size())),
        matching.size() > limitEntries);
  }

  List<KvEntry> contents() {
    return scan("", Integer.MAX_VALUE).entries();
  }

  List<ClientSession> sessions() {
    return sessions.values().stream()
        .sorted(Comparator.comparingLong(ClientSession::clientId))
        .toList();
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
