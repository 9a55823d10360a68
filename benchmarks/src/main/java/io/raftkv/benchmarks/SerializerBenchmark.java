package io.raftkv.benchmarks;

import com.typesafe.config.ConfigFactory;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.serialization.KryoSerializer;
import io.raftkv.raft.RaftMessage;
import io.raftkv.raft.RaftNode;
import java.io.NotSerializableException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What it measures: one round trip (toBinary, then fromBinary with the manifest) through the Pekko
 * serializer the nodes use for every {@code RaftkvSerializable}, {@link KryoSerializer}, taken from
 * the ActorSystem's serialization extension exactly as remoting looks it up. Messages: the leader's
 * AppendEntries carrying 1 or 64 log entries (each a put of a 16-byte key and a 100-byte value), the
 * follower's AppendEntriesResult, and a client's Propose of one put (it carries the reply-to
 * ActorRef, written as its path and resolved again on reading).
 *
 * <p>Why it matters: every replicated entry is serialized once per follower on the leader and
 * deserialized on each follower, and every answer comes back the same way; the first profiles put
 * network and serialization at a quarter of each node's CPU samples (docs/PERFORMANCE.md).
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerializerBenchmark extends BenchmarkDefaults {

  /** The ActorSystem and its serializer, plus the messages that need no parameter. */
  @State(Scope.Benchmark)
  public static class Wire {
    ActorSystem<Void> system;
    KryoSerializer serializer;
    RaftMessage.AppendEntriesResult appendEntriesResult;
    RaftNode.Propose propose;

    @Setup(Level.Trial)
    public void start() throws NotSerializableException {
      system = BenchActorSystems.start("serializer-bench", ConfigFactory.empty());
      Serializer found =
          SerializationExtension.get(system.classicSystem())
              .serializerFor(RaftMessage.AppendEntries.class);
      if (!(found instanceof KryoSerializer kryo)) {
        throw new IllegalStateException("Raft messages are bound to " + found.getClass().getName() + ", not KryoSerializer");
      }
      serializer = kryo;
      appendEntriesResult = new RaftMessage.AppendEntriesResult(3, 2, true, 1_064, 0, 0);
      ActorRef<RaftNode.ClientReply> client = system.systemActorOf(Behaviors.ignore(), "client", Props.empty());
      propose = new RaftNode.Propose(Samples.put(7, RequestId.of(5, 42), new SplittableRandom(1)), client);
      requireRoundTrip(appendEntriesResult);
      requireRoundTrip(propose);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      BenchActorSystems.terminate(system);
    }

    /** Serializes {@code message} and reads it back, as a sending and a receiving node would. */
    Object roundTrip(Object message) throws NotSerializableException {
      byte[] bytes = serializer.toBinary(message);
      return serializer.fromBinary(bytes, serializer.manifest(message));
    }

    /** Refuses to measure a message that does not come back equal. */
    void requireRoundTrip(Object message) throws NotSerializableException {
      Object copy = roundTrip(message);
      if (!copy.equals(message)) {
        throw new IllegalStateException(message + " came back as " + copy);
      }
    }
  }

  /** An AppendEntries of {@link #entries} entries. */
  @State(Scope.Benchmark)
  public static class Batch {
    @Param({"1", "64"})
    public int entries;

    RaftMessage.AppendEntries appendEntries;

    @Setup(Level.Trial)
    public void build(Wire wire) throws NotSerializableException {
      appendEntries =
          new RaftMessage.AppendEntries(3, 1, 1_000, 3, Samples.entries(1_001, 3, entries, new SplittableRandom(2)), 1_000);
      wire.requireRoundTrip(appendEntries);
    }
  }

  @Benchmark
  public Object appendEntries(Wire wire, Batch batch) throws NotSerializableException {
    return wire.roundTrip(batch.appendEntries);
  }

  @Benchmark
  public Object appendEntriesResult(Wire wire) throws NotSerializableException {
    return wire.roundTrip(wire.appendEntriesResult);
  }

  @Benchmark
  public Object proposePut(Wire wire) throws NotSerializableException {
    return wire.roundTrip(wire.propose);
  }
}
