package io.raftkv.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.raftlog.Noop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The batched way into a node: its bounds (requests and bytes), its one signal per batch, and no request left undrained under concurrent offers. */
class ClientInboxTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A request whose answer records which request it was. */
  private static ClientRequest request(int n, List<Integer> answered) {
    return new ClientRequest(ClientRequest.Kind.WRITE, Noop.INSTANCE, reply -> answered.add(n));
  }

  @Test
  void anOfferBeyondTheBoundIsRefusedAndNothingIsQueued() {
    TestProbe<RaftNode.Command> node = KIT.createTestProbe();
    ClientInbox inbox = new ClientInbox(node.ref(), 3, Long.MAX_VALUE, 10);
    List<Integer> answered = new ArrayList<>();
    for (int i = 0; i < 3; i++) assertTrue(inbox.offer(request(i, answered)));
    assertFalse(inbox.offer(request(3, answered)));
    assertEquals(3, inbox.size());
    inbox.drainTo(r -> r.replyTo().reply(new RaftNode.NotLeader(0)));
    assertEquals(List.of(0, 1, 2), answered);
    assertEquals(0, inbox.size());
    assertTrue(inbox.offer(request(4, answered)), "room again once drained");
  }

  /** A put of a 1.5 MiB value, the shipped value-bytes-max. */
  private static ClientRequest bigPut(int n, List<Integer> answered) {
    KvCommand.Put put = new KvCommand.Put(RequestId.UNTRACKED, "big/" + n, new byte[1536 * 1024]);
    return new ClientRequest(ClientRequest.Kind.WRITE, put, reply -> answered.add(n));
  }

  @Test
  void anOfferThatWouldPassTheByteBoundIsRefusedWhileTheCountHasRoom() {
    TestProbe<RaftNode.Command> node = KIT.createTestProbe();
    long bytesMax = 4L << 20; // 4 MiB: two puts of 1.5 MiB fit, a third does not
    ClientInbox inbox = new ClientInbox(node.ref(), 1000, bytesMax, 10);
    List<Integer> answered = new ArrayList<>();
    assertTrue(inbox.offer(bigPut(0, answered)));
    assertTrue(inbox.offer(bigPut(1, answered)));
    long held = inbox.bytes();
    assertTrue(held > 3L << 20 && held <= bytesMax, "two 1.5 MiB values held: " + held + " bytes");
    assertFalse(inbox.offer(bigPut(2, answered)), "a third 1.5 MiB value passes 4 MiB");
    assertEquals(2, inbox.size());
    assertEquals(held, inbox.bytes(), "a refused offer leaves nothing counted");
    assertTrue(inbox.offer(request(3, answered)), "a small request still fits beside them");
    inbox.drainTo(r -> r.replyTo().reply(new RaftNode.NotLeader(0)));
    assertEquals(List.of(0, 1, 3), answered);
    assertEquals(0, inbox.bytes(), "drained: no bytes held");
    assertTrue(inbox.offer(bigPut(4, answered)), "room again once drained");
  }

  @Test
  void aCommandLargerThanTheByteBoundIsRefusedEvenByAnEmptyInbox() {
    TestProbe<RaftNode.Command> node = KIT.createTestProbe();
    ClientInbox inbox = new ClientInbox(node.ref(), 1000, 1 << 20, 10);
    assertFalse(inbox.offer(bigPut(0, new ArrayList<>())), "1.5 MiB over a 1 MiB bound");
    assertEquals(0, inbox.size());
    assertEquals(0, inbox.bytes());
    node.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void manyOffersCostOneMessageToTheNode() {
    TestProbe<RaftNode.Command> node = KIT.createTestProbe();
    ClientInbox inbox = new ClientInbox(node.ref(), 100, Long.MAX_VALUE, 100);
    List<Integer> answered = new ArrayList<>();
    for (int i = 0; i < 50; i++) inbox.offer(request(i, answered));
    RaftNode.DrainInbox drain = node.expectMessageClass(RaftNode.DrainInbox.class);
    assertSame(inbox, drain.inbox());
    node.expectNoMessage(Duration.ofMillis(100)); // the tells were synchronous: a second one would be here already
    inbox.drainTo(r -> r.replyTo().reply(new RaftNode.NotLeader(0)));
    assertEquals(50, answered.size());
    inbox.offer(request(50, answered));
    node.expectMessageClass(RaftNode.DrainInbox.class); // drained: the next offer signals again
  }

  @Test
  void aDrainTakesOneBatchInOfferOrderAndSignalsForTheRest() {
    TestProbe<RaftNode.Command> node = KIT.createTestProbe();
    ClientInbox inbox = new ClientInbox(node.ref(), 100, Long.MAX_VALUE, 2);
    List<Integer> answered = new ArrayList<>();
    for (int i = 0; i < 5; i++) inbox.offer(request(i, answered));
    node.expectMessageClass(RaftNode.DrainInbox.class);
    inbox.drainTo(r -> r.replyTo().reply(new RaftNode.NotLeader(0)));
    assertEquals(List.of(0, 1), answered);
    node.expectMessageClass(RaftNode.DrainInbox.class);
    inbox.drainTo(r -> r.replyTo().reply(new RaftNode.NotLeader(0)));
    node.expectMessageClass(RaftNode.DrainInbox.class);
    inbox.drainTo(r -> r.replyTo().reply(new RaftNode.NotLeader(0)));
    assertEquals(List.of(0, 1, 2, 3, 4), answered);
    node.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void concurrentOffersAreEachDrainedExactlyOnce() throws Exception {
    int threads = 4;
    int perThread = 20_000;
    AtomicInteger drains = new AtomicInteger();
    ClientInbox[] inbox = new ClientInbox[1];
    ActorRef<RaftNode.Command> node = KIT.spawn(Behaviors.receive(RaftNode.Command.class)
        .onMessage(RaftNode.DrainInbox.class, d -> {
          drains.incrementAndGet();
          d.inbox().drainTo(r -> r.replyTo().reply(new RaftNode.NotLeader(0)));
          return Behaviors.same();
        })
        .build());
    inbox[0] = new ClientInbox(node, threads * perThread, Long.MAX_VALUE, 64);
    AtomicIntegerArray answers = new AtomicIntegerArray(threads * perThread);
    AtomicInteger answered = new AtomicInteger();
    List<Thread> offerers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          int n = base + i;
          assertTrue(inbox[0].offer(new ClientRequest(ClientRequest.Kind.READ, Noop.INSTANCE, reply -> {
            answers.incrementAndGet(n);
            answered.incrementAndGet();
          })));
        }
      });
      offerers.add(thread);
      thread.start();
    }
    for (Thread t : offerers) t.join(Duration.ofSeconds(30).toMillis());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (answered.get() < threads * perThread && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll until every request is answered, or the deadline
    }
    assertEquals(threads * perThread, answered.get(), "requests left in the inbox unsignalled");
    for (int i = 0; i < answers.length(); i++) assertEquals(1, answers.get(i), "request " + i + " answered " + answers.get(i) + " times");
    System.out.printf("inbox: %d requests drained by %d drain messages%n", answered.get(), drains.get());
  }
}
