package io.raftkv.kv.sim;

import io.raftkv.check.OpType;
import io.raftkv.check.Operation;
import io.raftkv.check.Outcome;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.statemachine.StateMachineResult;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;

/**
 * A simulated client ("Clerk"): it opens a session, finds the leader (following "not the leader,
 * try node N" hints, else trying the nodes it may reach in turn), retries a request with the same
 * session sequence number until it gets an answer, and gives an operation up as unknown (an
 * {@code info} in the history) when its deadline passes. Writes go through the log with the
 * session for exactly-once; gets are linearizable reads. Polled once per tick by the harness.
 */
public final class KvSimClient {
  /** What the workload asks for next. */
  public record Op(OpType f, String key, String value, String expected) {
    public static Op get(String key) { return new Op(OpType.GET, key, null, null); }
    public static Op put(String key, String value) { return new Op(OpType.PUT, key, value, null); }
    public static Op append(String key, String value) { return new Op(OpType.APPEND, key, value, null); }
    public static Op delete(String key) { return new Op(OpType.DELETE, key, null, null); }
    public static Op cas(String key, String expected, String value) { return new Op(OpType.CAS, key, value, expected); }
  }

  private static final long REQUEST_TIMEOUT_TICKS = 50; // an unanswered attempt is sent to another node
  private static final long OP_DEADLINE_TICKS = 500; // then the operation's outcome is unknown

  private final int process;
  private final Simulator sim;
  private final KvHistory history;
  private final Random random;
  private List<Integer> reachable; // the nodes this client may talk to
  private final BiFunction<KvSimClient, Random, Op> workload; // null: only explicit operations

  private long clientId; // 0 until the session is registered
  private long sequence;
  private int target;
  private int cursor; // the client's own round over the nodes it may reach: moved on by a timeout, whatever the hints said
  private boolean stopped;

  // The operation in progress (or the session registration, when op == null and registering).
  private boolean registering;
  private Op op;
  private long invokeTime;
  private long opStartTick;
  private long sentTick;
  private RaftNode.Command request;
  private TestInbox<RaftNode.ClientReply> inbox;
  private Operation lastCompleted;
  private long completed;

  public KvSimClient(int process, Simulator sim, KvHistory history, List<Integer> reachable, long seed,
      BiFunction<KvSimClient, Random, Op> workload) {
    this.process = process;
    this.sim = sim;
    this.history = history;
    this.reachable = List.copyOf(reachable);
    this.random = new Random(seed);
    this.workload = workload;
    this.cursor = random.nextInt(this.reachable.size());
    this.target = this.reachable.get(cursor);
  }

  public int process() { return process; }
  public long completed() { return completed; }
  public boolean idle() { return op == null && !registering; }
  public Operation lastCompleted() { return lastCompleted; }

  public void reach(List<Integer> nodes) {
    reachable = List.copyOf(nodes);
    cursor = Math.min(cursor, reachable.size() - 1);
    if (!reachable.contains(target)) target = reachable.get(cursor);
  }

  /** Stops taking new operations from the workload; the one in progress finishes or times out. */
  public void stop() {
    stopped = true;
  }

  public void resume() {
    stopped = false;
  }

  /** Starts {@code next} now (the client must be idle). */
  public void start(Op next) {
    if (!idle()) throw new IllegalStateException("client " + process + " is busy");
    op = next;
    invokeTime = history.now();
    opStartTick = sim.now();
    if (clientId == 0) {
      register();
    } else {
      prepare();
      send();
    }
  }

  /** One tick of the client's life: read answers, retry, time out, start the next operation. */
  public void poll() {
    if (inbox != null && inbox.hasMessages()) {
      handle(inbox.receiveMessage());
    } else if ((op != null || registering) && sim.now() - sentTick >= REQUEST_TIMEOUT_TICKS) {
      nextTarget(0);
      send();
    }
    if (op != null && !registering && sim.now() - opStartTick >= OP_DEADLINE_TICKS) {
      finish(Outcome.INFO, null);
    }
    if (idle() && !stopped && workload != null) start(workload.apply(this, random));
  }

  /** Gives the operation in progress up as unknown (the run is over). */
  public void abandon() {
    if (op != null) finish(Outcome.INFO, null);
    registering = false;
  }

  private void register() {
    registering = true;
    request = null;
    send();
  }

  private void prepare() {
    sequence++;
    RequestId id = RequestId.of(clientId, sequence);
    request = switch (op.f()) {
      case GET -> new RaftNode.Read(new KvCommand.Get(op.key()), null);
      case PUT -> propose(new KvCommand.Put(id, op.key(), bytes(op.value())));
      case APPEND -> propose(new KvCommand.Append(id, op.key(), bytes(op.value())));
      case DELETE -> propose(new KvCommand.Delete(id, op.key()));
      case CAS -> propose(new KvCommand.CompareAndSet(id, op.key(), op.expected() == null ? null : bytes(op.expected()), bytes(op.value())));
    };
  }

  private static RaftNode.Command propose(KvCommand command) {
    return new RaftNode.Propose(command, null);
  }

  /** Sends the current request (same sequence number on every retry) to the current target. */
  private void send() {
    inbox = TestInbox.create("client-" + process);
    RaftNode.Command withReply;
    if (registering) withReply = new RaftNode.Propose(new KvCommand.RegisterSession(), inbox.getRef());
    else if (request instanceof RaftNode.Read r) withReply = new RaftNode.Read(r.query(), inbox.getRef());
    else withReply = new RaftNode.Propose(((RaftNode.Propose) request).command(), inbox.getRef());
    sentTick = sim.now();
    if (sim.isUp(target)) sim.request(target, withReply);
  }

  /**
   * Follows a leader hint, else takes the next node of the client's own round. The round does not
   * restart from a hinted node: a node that is behind for good (a removed member nobody told) and
   * hints a leader that is down would otherwise send the client back and forth between the two.
   */
  private void nextTarget(int hint) {
    if (hint != 0 && reachable.contains(hint)) {
      target = hint;
    } else {
      cursor = (cursor + 1) % reachable.size();
      target = reachable.get(cursor);
    }
  }

  private void handle(RaftNode.ClientReply reply) {
    if (reply instanceof RaftNode.NotLeader nl) {
      nextTarget(nl.leaderHint());
      send();
    } else if (reply instanceof RaftNode.Unknown || reply instanceof RaftNode.Refused) {
      nextTarget(0); // the same request again: the session makes a repeated write apply once
      send();
    } else if (reply instanceof RaftNode.Applied a) {
      onResult(a.result());
    } else if (reply instanceof RaftNode.ReadDone d) {
      onResult(d.result());
    }
  }

  private void onResult(StateMachineResult result) {
    if (registering) {
      if (result instanceof KvResult.SessionRegistered r) {
        clientId = r.clientId();
        sequence = 0;
        registering = false;
        if (op != null) {
          prepare();
          send();
        }
      }
      return;
    }
    if (result instanceof KvResult.Value v) {
      finish(Outcome.OK, new String(v.value(), StandardCharsets.UTF_8));
    } else if (result instanceof KvResult.NotFound) {
      finish(op.f() == OpType.GET || op.f() == OpType.DELETE ? Outcome.OK : Outcome.FAIL, null);
    } else if (result instanceof KvResult.Ok) {
      finish(Outcome.OK, null);
    } else if (result instanceof KvResult.CasMismatch) {
      finish(Outcome.FAIL, null);
    } else if (result instanceof KvResult.SessionExpired) {
      finish(Outcome.FAIL, null); // refused unapplied: open a new session for the next operation
      clientId = 0;
    } else {
      throw new AssertionError("client " + process + " got " + result + " for " + op);
    }
  }

  private void finish(Outcome outcome, String read) {
    Operation done = new Operation(process, op.f(), op.key(), op.value(), op.expected(), invokeTime,
        outcome == Outcome.INFO ? Operation.NEVER : history.now(), outcome, op.f() == OpType.GET && outcome == Outcome.OK ? read : null);
    history.add(done);
    lastCompleted = done;
    completed++;
    op = null;
    inbox = null;
    if (outcome == Outcome.INFO) clientId = 0; // a late copy of it may still apply: never reuse its sequence
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
