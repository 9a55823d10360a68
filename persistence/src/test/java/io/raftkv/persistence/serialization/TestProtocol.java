package io.raftkv.persistence.serialization;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A test-only message hierarchy covering what raftkv messages hold: primitives, strings, arrays,
 * immutable collections, Optional, enums, nested records, a nested sealed interface and a typed
 * ActorRef. Registered by {@link TestKryoConfig}.
 */
public sealed interface TestProtocol extends RaftkvSerializable {

  enum Kind {
    ALPHA,
    BETA
  }

  record Ping(String text, int n, long l, boolean flag, double d) implements TestProtocol {}

  record Blob(byte[] data, long[] longs) implements TestProtocol {}

  record Batch(List<String> items, Set<Integer> ids, Map<String, Long> counts, Optional<String> note)
      implements TestProtocol {}

  record WithRef(String id, ActorRef<Ping> replyTo) implements TestProtocol {}

  record Nested(Ping inner, Kind kind, List<Blob> blobs) implements TestProtocol {}

  /** A nested sealed level, so the walk has to recurse. */
  sealed interface Admin extends TestProtocol {}

  record Stop(String reason) implements Admin {}

  record Restart(int delayMillis, List<Ping> pending) implements Admin {}
}
