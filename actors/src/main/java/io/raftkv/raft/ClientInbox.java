package io.raftkv.raft;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The batched way into a node for clients in the same process (the HTTP gateway): callers on any
 * thread {@link #offer} requests into a bounded queue, and the node drains it in batches. Only the
 * offer that finds the node not yet signalled sends it a message ({@link RaftNode.DrainInbox}), so
 * while the node is busy (persisting, replicating) the requests that arrive meanwhile cost no
 * actor message and no thread wake-up of their own: one hand-off serves the whole batch. Each
 * request is answered through its {@link Replier}, on the node's thread.
 *
 * <p>Why not an actor mailbox per request: a message per request costs a thread hand-off each,
 * and on a 2-core machine those hand-offs, not the work, capped an ask-per-request gateway at
 * about 5k requests/s (docs/PERFORMANCE.md).
 *
 * <p>Signalling protocol. Invariant: whenever the queue holds a request, either {@code signalled}
 * is true and a drain message is on its way to the node (or being handled), or an offer is
 * between its enqueue and its compare-and-set, which will send one. The node clears the flag
 * before it polls, so a request enqueued after the clear is either polled by this drain or
 * followed by a new signal: none waits unsignalled.
 *
 * <p>Two bounds, checked by each offer: how many requests wait, and how many bytes their commands
 * hold ({@link io.raftkv.persistence.statemachine.StateMachineCommand#sizeBytes()}): a burst of
 * large values would otherwise fill the heap long before the count bound.
 */
public final class ClientInbox {
  private final ActorRef<RaftNode.Command> node;
  private final int requestsMax;
  private final long bytesMax;
  private final int batchRequestsMax;
  private final ConcurrentLinkedQueue<ClientRequest> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger(); // requests offered and not yet drained, <= requestsMax
  private final AtomicLong bytes = new AtomicLong(); // their commands' sizeBytes(), <= bytesMax
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final RaftNode.DrainInbox drain = new RaftNode.DrainInbox(this);

  /**
   * @param requestsMax requests waiting at most; an offer beyond it is refused
   * @param bytesMax bytes of the waiting requests' commands at most; an offer that would pass it is
   *     refused (so a command larger than this is always refused: the node checks at start that
   *     the largest command fits)
   * @param batchRequestsMax requests the node takes per drain message at most, so that Raft
   *     messages queued behind a burst are not starved
   */
  public ClientInbox(ActorRef<RaftNode.Command> node, int requestsMax, long bytesMax, int batchRequestsMax) {
    if (requestsMax < 1) throw new IllegalArgumentException("requestsMax must be >= 1, got " + requestsMax);
    if (bytesMax < 1) throw new IllegalArgumentException("bytesMax must be >= 1, got " + bytesMax);
    if (batchRequestsMax < 1) throw new IllegalArgumentException("batchRequestsMax must be >= 1, got " + batchRequestsMax);
    this.node = node;
    this.requestsMax = requestsMax;
    this.bytesMax = bytesMax;
    this.batchRequestsMax = batchRequestsMax;
  }

  /**
   * Queues {@code request} for the node; false, and nothing queued, when {@code requestsMax} wait
   * already or its command's bytes would take the waiting ones past {@code bytesMax}.
   */
  public boolean offer(ClientRequest request) {
    long requestBytes = request.command().sizeBytes();
    if (size.incrementAndGet() > requestsMax) {
      size.decrementAndGet();
      return false;
    }
    if (bytes.addAndGet(requestBytes) > bytesMax) {
      bytes.addAndGet(-requestBytes);
      size.decrementAndGet();
      return false;
    }
    queue.add(request);
    if (signalled.compareAndSet(false, true)) node.tell(drain);
    return true;
  }

  /** Requests waiting now (a moment's reading). */
  public int size() {
    return size.get();
  }

  /** Bytes of the commands waiting now (a moment's reading). */
  public long bytes() {
    return bytes.get();
  }

  /**
   * The node takes up to {@code batchRequestsMax} requests, in offer order. If more wait, it
   * signals itself again, behind whatever else its mailbox holds. Called on the node's thread.
   */
  void drainTo(Consumer<ClientRequest> sink) {
    signalled.set(false);
    for (int i = 0; i < batchRequestsMax; i++) {
      ClientRequest r = queue.poll();
      if (r == null) return;
      size.decrementAndGet();
      bytes.addAndGet(-r.command().sizeBytes());
      sink.accept(r);
    }
    if (!queue.isEmpty() && signalled.compareAndSet(false, true)) node.tell(drain);
  }
}
