package io.raftkv.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A lock taken through raftkv (the recipe of docs/API.md, "Leases and locks"): the key
 * {@code lock/NAME}, created by a transaction only if it is missing, attached to a lease that this
 * lock keeps alive on a thread of its own until {@link #close}, which revokes it. Whoever waits
 * watches the key and tries again when it is deleted (released, or its holder's lease ran out).
 *
 * <p>The {@link #fencingToken()} is the key's create revision: every taking of the lock has a
 * larger one. A holder may lose the lock without knowing at once (a pause longer than the TTL);
 * {@link #lost()} completes when it learns so, but only a resource that refuses tokens smaller than
 * one it has seen is safe against a holder that does not know yet.
 */
public final class Lock implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RaftkvClient client;
  private final String key;
  private final long lease;
  private final long fencingToken;
  private final Duration ttl;
  private final CompletableFuture<String> lost = new CompletableFuture<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread keeper;

  private Lock(RaftkvClient client, String key, long lease, long fencingToken, Duration ttl) {
    this.client = client;
    this.key = key;
    this.lease = lease;
    this.fencingToken = fencingToken;
    this.ttl = ttl;
    this.keeper = new Thread(this::keepAlive, "raftkv-lock-" + key);
    this.keeper.setDaemon(true);
  }

  /** The key of lock {@code name}. */
  public static String key(String name) {
    return "lock/" + Objects.requireNonNull(name, "name");
  }

  static Lock acquire(RaftkvClient client, String name, Duration ttl) throws InterruptedException {
    String key = key(name);
    long lease = client.grantLease(ttl);
    boolean taken = false;
    try {
      while (true) {
        // Take the key if it is missing; else read who holds it, and at which revision.
        String txn = "{\"compare\": [{\"key\": " + JSON.writeValueAsString(key) + ", \"target\": \"create\", \"op\": \"=\", \"number\": 0}],"
            + " \"success\": [{\"op\": \"put\", \"key\": " + JSON.writeValueAsString(key) + ", \"value\": \"" + lease + "\", \"lease\": " + lease + "}],"
            + " \"failure\": [{\"op\": \"get\", \"key\": " + JSON.writeValueAsString(key) + "}]}";
        TxnReply reply = client.txn(txn);
        if (reply.succeeded()) {
          Lock lock = new Lock(client, key, lease, reply.revision(), ttl);
          lock.keeper.start();
          taken = true;
          return lock;
        }
        awaitRelease(client, key, reply.revision());
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a key always renders as JSON", e);
    } finally {
      if (!taken) {
        client.revokeLease(lease);
      }
    }
  }

  /** Waits until {@code key} is deleted after {@code revision} (or was already). */
  private static void awaitRelease(RaftkvClient client, String key, long revision) throws InterruptedException {
    CountDownLatch deleted = new CountDownLatch(1);
    WatchListener listener = new WatchListener() {
      @Override
      public void onRevision(long r, List<WatchEvent> events) {
        if (events.stream().anyMatch(e -> e.type() == WatchEvent.Type.DELETE)) {
          deleted.countDown();
        }
      }

      @Override
      public void onCompacted(long compactedRevision) {
        deleted.countDown(); // history moved on: look again
      }
    };
    try (Watch watch = client.watchKey(key, revision + 1, listener)) {
      deleted.await();
    }
  }

  private void keepAlive() {
    long validUntil = System.nanoTime() + ttl.toNanos();
    long every = Math.max(1, ttl.toNanos() / 3);
    try {
      while (!closed.await(every, TimeUnit.NANOSECONDS)) {
        long sent = System.nanoTime();
        try {
          if (client.keepAliveLease(lease).isEmpty()) {
            lost.complete("the lease ran out: another may hold the lock now");
            return;
          }
          validUntil = sent + ttl.toNanos();
        } catch (RaftkvException e) {
          if (System.nanoTime() - validUntil >= 0) {
            lost.complete("no keep-alive reached the cluster within the TTL: " + e.getMessage());
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The lock's key's create revision: larger for every later taking of the lock. */
  public long fencingToken() {
    return fencingToken;
  }

  /** The lease the lock's key is attached to. */
  public long lease() {
    return lease;
  }

  /** Completes, with the reason, when this holder learns it lost the lock. */
  public CompletableFuture<String> lost() {
    return lost;
  }

  /** Releases the lock: revokes its lease, which deletes its key. */
  @Override
  public void close() {
    closed.countDown();
    try {
      keeper.join(ttl.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!lost.isDone()) {
      client.revokeLease(lease);
      lost.complete("released");
    }
  }
}
