package io.raftkv.node;

import io.raftkv.kv.KvApi;
import io.raftkv.kv.KvResponse;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.raft.RaftNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;

/**
 * Sends a key-value request to this node's Raft node and, when it answers "not the leader", on to
 * the leader it names (or to the other members in turn when it knows none), over Artery: this is
 * how a follower forwards inside the cluster, so a client may call any node. Bounded by
 * {@link #ATTEMPTS_MAX} hops; the last answer is returned as it is.
 */
public final class LeaderRouter {
  /** Hops per request at most: enough to go round a 7-node cluster once. */
  public static final int ATTEMPTS_MAX = 7;

  private final int selfId;
  private final KvApi self;
  private final IntFunction<KvApi> others; // another member's api by id, or null when it cannot be reached
  private final Supplier<? extends Collection<Integer>> members; // the members now, ascending
  private final Map<Integer, KvApi> apis = new ConcurrentHashMap<>(); // others' apis, made once each

  /** Every member, this one included, asked once per request. */
  public LeaderRouter(int selfId, Map<Integer, ActorRef<RaftNode.Command>> raftRefs, Scheduler scheduler, KvLimits limits, Duration deadline) {
    this(selfId, asking(raftRefs, scheduler, limits, deadline));
  }

  /** @param apis how to call each member's Raft node, this one's ({@code selfId}) included: a fixed set of members */
  public LeaderRouter(int selfId, Map<Integer, KvApi> apis) {
    this(selfId, requireSelf(apis, selfId), Map.copyOf(apis)::get, fixedIds(apis));
  }

  private static Supplier<List<Integer>> fixedIds(Map<Integer, KvApi> apis) {
    List<Integer> ids = List.copyOf(new TreeMap<>(apis).keySet());
    return () -> ids;
  }

  /**
   * Members that change: {@code members} names them now, {@code others} makes the api of one.
   *
   * @param self how to call this node's Raft node
   */
  public LeaderRouter(int selfId, KvApi self, IntFunction<KvApi> others, Supplier<? extends Collection<Integer>> members) {
    this.selfId = selfId;
    this.self = self;
    this.others = others;
    this.members = members;
  }

  private static KvApi requireSelf(Map<Integer, KvApi> apis, int selfId) {
    KvApi self = apis.get(selfId);
    if (self == null) throw new IllegalArgumentException("no api for this node " + selfId);
    return self;
  }

  /** Member {@code id}'s api, or null when it cannot be reached. */
  private KvApi api(int id) {
    if (id == selfId) return self;
    KvApi api = apis.get(id);
    if (api != null) return api;
    api = others.apply(id);
    if (api != null) apis.put(id, api);
    return api;
  }

  /** Every member asked once per request. */
  public static Map<Integer, KvApi> asking(Map<Integer, ActorRef<RaftNode.Command>> raftRefs, Scheduler scheduler, KvLimits limits,
      Duration deadline) {
    Map<Integer, KvApi> apis = new TreeMap<>();
    raftRefs.forEach((id, ref) -> apis.put(id, new KvApi(ref, scheduler, limits, deadline)));
    return apis;
  }

  /**
   * Runs {@code call} at the leader as far as the members can tell. It starts at this node, whose
   * "not the leader" hint is as fresh as any: a remembered leader may be dead, and waiting for it
   * to time out on every request would stall the gateway until the client gives up.
   */
  public CompletionStage<KvResponse> route(Function<KvApi, CompletionStage<KvResponse>> call) {
    return attempt(call, selfId, 1, new ArrayList<>());
  }

  private CompletionStage<KvResponse> attempt(Function<KvApi, CompletionStage<KvResponse>> call, int target, int attempt, List<Integer> tried) {
    tried.add(target);
    return call.apply(api(target)).thenCompose(r -> {
      boolean redirect = r instanceof KvResponse.NotLeader;
      boolean remoteSilent = r instanceof KvResponse.Timeout && target != selfId; // it may be dead: ask the others
      if (!(redirect || remoteSilent) || attempt >= ATTEMPTS_MAX) return CompletableFuture.completedFuture(r);
      int hint = r instanceof KvResponse.NotLeader nl ? nl.leaderHint() : 0;
      int next = hint != 0 && !tried.contains(hint) && api(hint) != null
          ? hint
          : members.get().stream().filter(id -> !tried.contains(id) && api(id) != null).findFirst().orElse(-1);
      if (next < 0) return CompletableFuture.completedFuture(r);
      return attempt(call, next, attempt + 1, tried);
    });
  }

  public int selfId() {
    return selfId;
  }
}
