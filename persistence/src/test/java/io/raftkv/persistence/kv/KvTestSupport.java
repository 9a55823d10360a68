package io.raftkv.persistence.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;

/** Shared helpers: a machine that numbers log indexes itself, and text values. */
final class KvTestSupport {

  static final KvLimits LIMITS = new KvLimits(64, 256, 100);
  static final SessionPolicy ROOMY_SESSIONS = new SessionPolicy(1_000_000, 1_000);

  private KvTestSupport() {}

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A value as the machine answers it, written where {@code revisions} says. */
  static KvResult.Value value(String text, KeyRevisions revisions) {
    return new KvResult.Value(bytes(text), revisions);
  }

  /** The revisions of a key written once, at {@code revision}. */
  static KeyRevisions created(long revision) {
    return new KeyRevisions(revision, revision, 1);
  }

  /** Asserts that {@code result} is a value holding {@code text}, whatever its revisions. */
  static void assertValue(String text, KvResult result) {
    if (!(result instanceof KvResult.Value v)) {
      throw new AssertionError("expected the value '" + text + "', got " + result);
    }
    assertEquals(text, new String(v.value(), StandardCharsets.UTF_8));
  }

  static KvCommand.Put put(String key, String value) {
    return new KvCommand.Put(RequestId.UNTRACKED, key, bytes(value));
  }

  static KvCommand.Append append(String key, String value) {
    return new KvCommand.Append(RequestId.UNTRACKED, key, bytes(value));
  }

  static KvCommand.Delete delete(String key) {
    return new KvCommand.Delete(RequestId.UNTRACKED, key);
  }

  static KvCommand.CompareAndSet cas(String key, String expected, String value) {
    return new KvCommand.CompareAndSet(
        RequestId.UNTRACKED, key, expected == null ? null : bytes(expected), bytes(value));
  }

  /** A machine plus the next log index, as the Raft node would feed it. */
  static final class Log {
    final KvStateMachine machine;
    long nextIndex = 1;

    Log(KvStateMachine machine) {
      this.machine = machine;
    }

    Log() {
      this(new KvStateMachine(LIMITS, ROOMY_SESSIONS));
    }

    KvResult apply(KvCommand command) {
      return machine.apply(nextIndex++, command);
    }

    /** Registers a session and returns its client id. */
    long register() {
      return ((KvResult.SessionRegistered) apply(new KvCommand.RegisterSession())).clientId();
    }

    /** Entries that touch no session, to move the log forward. */
    void advance(long entries) {
      for (long i = 0; i < entries; i++) {
        apply(new KvCommand.Get("filler"));
      }
    }
  }

  /** Every key and value, in order: for comparing whole machines. */
  static List<KvEntry> contents(KvStateMachine machine) {
    return machine.scan("", Integer.MAX_VALUE).entries();
  }

  /**
   * A snapshot, in the current format, of {@code entries} and {@code sessions} as given; every key
   * written once, at {@code lastAppliedIndex}, which is also the compacted revision.
   */
  static byte[] snapshotBytes(
      long lastAppliedIndex, SortedMap<String, byte[]> entries, List<ClientSession> sessions) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      KvSnapshotFormat.write(bytes, lastAppliedIndex, lastAppliedIndex, sessions, List.of(),
          entries.entrySet().stream()
              .map(e -> new KvStore.KeyHistory(e.getKey(), List.of(new KvStore.Version(
                  e.getValue(), lastAppliedIndex, lastAppliedIndex, 1, 0, null))))
              .iterator());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The session policy of {@link #busyLog()}. */
  static final SessionPolicy BUSY_POLICY = new SessionPolicy(20, 8);

  /**
   * A machine that has seen every kind of command, with sessions keeping every kind of result a
   * session can keep. Never change it: the committed version-1 fixture
   * (src/test/resources/kv-snapshot-v1/busy-log.snapshot) is its snapshot.
   */
  static Log busyLog() {
    Log log = new Log(new KvStateMachine(LIMITS, BUSY_POLICY));
    long a = log.register();
    long b = log.register();
    long c = log.register();
    long d = log.register();
    long e = log.register();
    log.register(); // f: no write yet, so no result kept
    log.apply(put("plain", "value"));
    log.apply(new KvCommand.Put(RequestId.UNTRACKED, "binary", new byte[] {0, -1, 127, -128}));
    log.apply(put("empty", ""));
    log.apply(put("ключ \uD83D\uDE00", "unicode key"));
    log.apply(new KvCommand.Append(RequestId.of(a, 1), "plain", bytes("+a")));
    log.apply(new KvCommand.Delete(RequestId.of(b, 1), "absent"));
    log.apply(new KvCommand.CompareAndSet(RequestId.of(c, 1), "plain", bytes("no"), bytes("x")));
    log.apply(new KvCommand.CompareAndSet(RequestId.of(d, 2), "absent", bytes("no"), bytes("x")));
    log.apply(new KvCommand.Put(RequestId.of(e, 3), "k", new byte[300]));
    // Every kind of kept result is in the snapshot, so its encoding is exercised.
    assertEquals(
        Arrays.asList(
            KvResult.OK,
            KvResult.NOT_FOUND,
            new KvResult.CasMismatch(bytes("value+a")),
            new KvResult.CasMismatch(null),
            new KvResult.LimitExceeded("valueBytesMax", 300, 256),
            null),
        log.machine.sessions().stream().map(ClientSession::lastResult).toList());
    return log;
  }
}
