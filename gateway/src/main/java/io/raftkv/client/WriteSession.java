package io.raftkv.client;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client session for exactly-once writes (dissertation §6.3): opened lazily with
 * {@code POST /v1/session}, then every write carries the session's id and its next sequence
 * number, and every retry of that write carries the same number, so the state machine applies it
 * once and answers a retry from the session.
 *
 * <p>One write at a time: the state machine remembers only a session's last sequence and refuses
 * lower ones as stale, so two writes in flight together could see the later one applied first and
 * the earlier one refused. Writes through one session are therefore serialized (waiting for the
 * lock counts against the call's deadline); use one session per thread for concurrency
 * ({@link RaftkvClient#withNewSession()}).
 */
final class WriteSession {
  static final String CLIENT_ID = "Raftkv-Client-Id";
  static final String REQUEST_SEQ = "Raftkv-Request-Seq";
  static final String SESSION_TAG = "Raftkv-Session-Tag";

  private final ReentrantLock lock = new ReentrantLock();
  /** 0 until opened, and again after the node said the session is gone. Guarded by {@link #lock}. */
  private long clientId;
  /** The sequence number of the last write sent. Guarded by {@link #lock}. */
  private long lastSequence;
  /** The session's tag for this client's token (authentication on), else null. Guarded by {@link #lock}. */
  private String tag;

  /** Sends one write of this session; the reply is the first non-503 answer. */
  Reply write(RetryingCaller caller, String method, String target, byte[] body, long deadline) {
    acquire(method, target, deadline);
    try {
      if (clientId == 0) {
        Reply opened = open(caller, deadline);
        clientId = JsonReplies.sessionId(opened);
        tag = JsonReplies.sessionTag(opened);
        lastSequence = 0;
      }
      long sequence = ++lastSequence; // one number per call, reused by all of its retries
      List<String> headers = new java.util.ArrayList<>(List.of(CLIENT_ID, Long.toString(clientId), REQUEST_SEQ, Long.toString(sequence)));
      if (tag != null) headers.addAll(List.of(SESSION_TAG, tag));
      Reply reply = caller.call(new RetryingCaller.Call(method, target, body, headers, true, true), deadline);
      if (sessionGone(reply)) {
        clientId = 0; // the next write opens a new session
      }
      return reply;
    } finally {
      lock.unlock();
    }
  }

  /** The session id, 0 before the first write. */
  long clientId() {
    lock.lock();
    try {
      return clientId;
    } finally {
      lock.unlock();
    }
  }

  private void acquire(String method, String target, long deadline) {
    try {
      if (lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new RaftkvTimeoutException(method + " " + target
        + ": the deadline ran out waiting for this session's previous write (one write at a time per session)",
        false, null);
  }

  /** {@code POST /v1/session}'s answer: the session's id, and its tag when the cluster authenticates. */
  private static Reply open(RetryingCaller caller, long deadline) {
    // opening a session changes no data, so it is not "effectful" for a history; a duplicate
    // (a retry after a lost answer) only leaves an unused session to expire
    Reply reply = caller.call(new RetryingCaller.Call("POST", "/v1/session", null, List.of(), false, true), deadline);
    if (reply.status() != 200) throw RaftkvClient.rejected(reply, false);
    return reply;
  }

  /**
   * Whether the node refused the write because it no longer knows the session (expired or evicted).
   * The HTTP contract names no status for it, so this looks for a 4xx whose JSON error mentions
   * the session.
   */
  private static boolean sessionGone(Reply reply) {
    if (reply.status() < 400 || reply.status() >= 500 || reply.status() == 409) {
      return false;
    }
    return JsonReplies.error(reply)[0].toLowerCase(Locale.ROOT).contains("session");
  }
}
