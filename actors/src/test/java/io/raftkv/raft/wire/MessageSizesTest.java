package io.raftkv.raft.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.raftkv.persistence.kv.KeyRevisions;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.KvStateMachine;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.kv.SessionPolicy;
import io.raftkv.persistence.raftlog.Configuration;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.raft.MessageSizes;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.rules.MemoryLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The messages that carry payloads, serialized by the node's own serializer, are never larger than
 * {@link MessageSizes} says for the payloads' bounds: what the transport's frame is sized from. The
 * actor system advertises a 253-character host name (the longest DNS name), so the actor
 * references in the messages are as long as they get. Values up to 64 KiB, keys of 4-byte
 * characters at 1 KiB, an AppendEntries bound of 256 KiB; seeded.
 */
class MessageSizesTest {
  private static final String LONGEST_HOST = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
  private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString(String.join("\n",
          "pekko.actor.provider = remote",
          "pekko.remote.artery.transport = tcp",
          "pekko.remote.artery.canonical.hostname = \"" + LONGEST_HOST + "\"",
          "pekko.remote.artery.canonical.port = 0",
          "pekko.remote.artery.bind.hostname = \"127.0.0.1\"",
          "pekko.remote.artery.bind.port = 0"))
      .withFallback(ConfigFactory.load()));
  private static final KvLimits LIMITS = new KvLimits(1024, 64 * 1024, 1000, 256 * 1024);
  private static final long APPEND_BYTES_MAX = 256 * 1024;
  private static final long SEED = 42_4242L;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static long serialized(Object message) {
    return SerializationExtension.get(Adapter.toClassic(KIT.system())).findSerializerFor(message).toBinary(message).length;
  }

  private static byte[] random(Random r, int bytes) {
    byte[] v = new byte[bytes];
    r.nextBytes(v);
    return v;
  }

  /** The longest key: 4-byte characters (6 bytes each in Kryo) up to key-bytes-max. */
  private static String worstKey() {
    return "😀".repeat(LIMITS.keyBytesMax() / 4);
  }

  private static KvCommand worstCas(Random r) {
    return new KvCommand.CompareAndSet(RequestId.of(Long.MAX_VALUE, Long.MAX_VALUE), worstKey(),
        random(r, LIMITS.valueBytesMax()), random(r, LIMITS.valueBytesMax()));
  }

  @Test
  void aForwardedCasOfTwoValuesAtTheLimitFitsProposeBytesMax() {
    Random r = new Random(SEED);
    ActorRef<RaftNode.ClientReply> replyTo = KIT.<RaftNode.ClientReply>createTestProbe().ref();
    assertTrue(KIT.system().address().toString().contains(LONGEST_HOST), KIT.system().address().toString());
    long bound = MessageSizes.proposeBytesMax(LIMITS.commandBytesMax());
    long propose = serialized(new RaftNode.Propose(worstCas(r), replyTo));
    assertTrue(propose <= bound, "Propose of " + propose + " bytes > " + bound);
    assertTrue(bound - propose <= 2048, "the bound is close: " + bound + " for " + propose);
  }

  /** 600 entries of puts of 1 byte to 64 KiB and cas of two 64 KiB values (about 20 MiB), sliced as the leader does. */
  @Test
  void everyAppendEntriesSlicedFromTheLogFitsAppendEntriesBytesMax() {
    Random r = new Random(SEED);
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 600; i++) {
      KvCommand c = i % 50 == 0 ? worstCas(r)
          : new KvCommand.Put(RequestId.of(Long.MAX_VALUE, i), "key/" + i, random(r, 1 + r.nextInt(LIMITS.valueBytesMax())));
      entries.add(new LogEntry(i, Long.MAX_VALUE / 2, c));
    }
    MemoryLog log = new MemoryLog(0, 0, entries);
    long bound = MessageSizes.appendEntriesBytesMax(APPEND_BYTES_MAX, LIMITS.commandBytesMax());
    long next = 1;
    long largest = 0;
    int messages = 0;
    while (next <= log.lastIndex()) {
      List<LogEntry> slice = log.slice(next, 512, APPEND_BYTES_MAX);
      long bytes = serialized(new RaftMessage.AppendEntries(Long.MAX_VALUE, Integer.MAX_VALUE, next - 1, Long.MAX_VALUE, slice, Long.MAX_VALUE));
      assertTrue(bytes <= bound, "seed " + SEED + ": AppendEntries from " + next + " of " + slice.size() + " entries takes " + bytes + " > " + bound);
      largest = Math.max(largest, bytes);
      next += slice.size();
      messages++;
    }
    assertTrue(messages >= 70, "20 MiB in slices of 256 KiB: " + messages + " messages");
    System.out.printf("AppendEntries: %d messages, the largest %d bytes, bound %d%n", messages, largest, bound);
  }

  @Test
  void aSingleEntryLargerThanAppendBytesMaxIsSentAloneAndFits() {
    Random r = new Random(SEED);
    long appendBytesMax = 1024; // far below one cas of two 64 KiB values
    MemoryLog log = new MemoryLog(0, 0, List.of(new LogEntry(1, 1, worstCas(r)), new LogEntry(2, 1, worstCas(r))));
    List<LogEntry> slice = log.slice(1, 512, appendBytesMax);
    assertEquals(1, slice.size());
    long bytes = serialized(new RaftMessage.AppendEntries(Long.MAX_VALUE, 1, 0, 0, slice, Long.MAX_VALUE));
    assertTrue(bytes <= MessageSizes.appendEntriesBytesMax(appendBytesMax, LIMITS.commandBytesMax()), bytes + " bytes");
  }

  /** {@link Configuration#MEMBERS_MAX} members with the longest hosts, of characters that take 3 bytes in UTF-8. */
  private static Configuration largestConfiguration() {
    List<Member> members = new ArrayList<>();
    for (int id = 1; id <= Configuration.MEMBERS_MAX; id++) {
      members.add(new Member(Integer.MAX_VALUE - id, "\u20ac".repeat(Member.HOST_CHARS_MAX), 65535, 65535, Long.MIN_VALUE, false, true));
    }
    return new Configuration(Long.MIN_VALUE, members);
  }

  @Test
  void theLargestConfigurationFitsItsSizeBytes() {
    Configuration c = largestConfiguration();
    long bytes = serialized(new LogEntry(Long.MAX_VALUE, Long.MAX_VALUE, c));
    assertTrue(bytes <= LogEntry.HEADER_BYTES_MAX + c.sizeBytes(), bytes + " bytes");
    assertTrue(c.sizeBytes() <= Configuration.BYTES_MAX);
  }

  @Test
  void aSnapshotChunkFitsInstallSnapshotBytesMax() {
    int chunk = 64 * 1024;
    long bytes = serialized(new RaftMessage.InstallSnapshot(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
        random(new Random(SEED), chunk), true, Long.MAX_VALUE, Integer.MIN_VALUE, largestConfiguration()));
    assertTrue(bytes <= MessageSizes.installSnapshotBytesMax(chunk), bytes + " bytes");
  }

  private static final KeyRevisions MAX_REVISIONS = new KeyRevisions(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

  /** A transaction's answer at its bounds: values read up to its budget, and every other operation's answer. */
  private static KvResult.TxnResult largestTxnAnswer(Random r) {
    List<KvResult> results = new java.util.ArrayList<>();
    long budget = LIMITS.txnAnswerBytesMax();
    long empty = io.raftkv.persistence.kv.KvEntry.sizeBytes("", 0);
    while (results.size() < KvLimits.TXN_OPS_PER_LIST_MAX) {
      if (budget < empty) {
        results.add(KvResult.NOT_FOUND); // the budget is spent: the other reads found nothing
        continue;
      }
      int bytes = (int) Math.min(LIMITS.valueBytesMax(), budget - empty);
      budget -= io.raftkv.persistence.kv.KvEntry.sizeBytes("", bytes);
      results.add(new KvResult.Value(random(r, bytes), MAX_REVISIONS));
    }
    return new KvResult.TxnResult(true, results);
  }

  @Test
  void answersWithAValueOrAScanPageFitReplyBytesMax() {
    Random r = new Random(SEED);
    KvStateMachine machine = new KvStateMachine(LIMITS, new SessionPolicy(1000, 100));
    for (int i = 1; i <= 40; i++) {
      machine.apply(i, new KvCommand.Put(RequestId.UNTRACKED, "s/" + "😀".repeat(200) + i, random(r, 1 + r.nextInt(LIMITS.valueBytesMax()))));
    }
    long bound = MessageSizes.replyBytesMax(Math.max(LIMITS.resultBytesMax(), LIMITS.scanResultBytesMax()));
    KvResult.ScanResult page = machine.scan("s/", LIMITS.scanEntriesMax());
    assertTrue(page.truncated(), "1.3 MiB of entries pass a 256 KiB scan budget");
    for (Object reply : List.of(new RaftNode.ReadDone(Long.MAX_VALUE, page),
        new RaftNode.Applied(Long.MAX_VALUE, Long.MAX_VALUE, new KvResult.Value(random(r, LIMITS.valueBytesMax()), MAX_REVISIONS)),
        new RaftNode.Applied(Long.MAX_VALUE, Long.MAX_VALUE, largestTxnAnswer(r)),
        new RaftNode.Applied(Long.MAX_VALUE, Long.MAX_VALUE, new KvResult.CasMismatch(random(r, LIMITS.valueBytesMax()))))) {
      long bytes = serialized(reply);
      assertTrue(bytes <= bound, reply.getClass().getSimpleName() + " takes " + bytes + " > " + bound);
    }
  }
}
