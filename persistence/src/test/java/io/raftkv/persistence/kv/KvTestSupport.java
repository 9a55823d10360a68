package io.raftkv.persistence.kv;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Shared helpers: a machine that numbers log indexes itself, and text values. */
final class KvTestSupport {

  static final KvLimits LIMITS = new KvLimits(64, 256, 100);
  static final SessionPolicy ROOMY_SESSIONS = new SessionPolicy(1_000_000, 1_000);

  private KvTestSupport() {}

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static KvResult.Value value(String text) {
    return new KvResult.Value(bytes(text));
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
}
