package io.raftkv.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftkv.kv.KvApi;
import io.raftkv.kv.KvApi.Consistency;
import io.raftkv.kv.KvResponse;
import io.raftkv.node.GatewaySettings;
import io.raftkv.node.LeaderRouter;
import io.raftkv.node.MemberDirectory;
import io.raftkv.node.Membership;
import io.raftkv.node.RetryingRouter;
import io.raftkv.node.RaftkvNode;
import io.raftkv.node.StateSizeReporter;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvEntry;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.raft.RaftNode;
import io.raftkv.security.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The HTTP API every node serves (docs/ARCHITECTURE.md, "HTTP API"). Requests go to this node's
 * Raft node, handed over in batches through its {@link io.raftkv.raft.ClientInbox}, and, when it
 * does not lead, on to the leader inside the cluster ({@link LeaderRouter}), so a client may call
 * any node; while no leader answers they are tried again within the request's deadline
 * ({@link RetryingRouter}). Every write is exactly-once across those retries: it carries the
 * caller's {@code Raftkv-Client-Id} and {@code Raftkv-Request-Seq}, or else the gateway's own
 * session.
 */
public final class HttpGateway extends AllDirectives {
  static final String CLIENT_ID = "Raftkv-Client-Id";
  static final String REQUEST_SEQ = "Raftkv-Request-Seq";
  static final String MISSING = "Raftkv-Missing";
  /** On every key-value answer: the revision it reflects. */
  public static final String REVISION = "Raftkv-Revision";
  static final String CREATE_REVISION = "Raftkv-Create-Revision";
  static final String MOD_REVISION = "Raftkv-Mod-Revision";
  static final String VERSION = "Raftkv-Version";
  private static final int RETRY_AFTER_SECONDS = 1;

  private final RaftkvNode node;
  private final RetryingRouter router;
  private final KvApi local; // this node only: serializable reads
  private final RequestBounds bounds;
  private final long valueBytesMax;
  private final MembersRoutes members;
  private final ApiAccess access;
  private final WatchRoute watches;

  public HttpGateway(RaftkvNode node) {
    this.node = node;
    GatewaySettings settings = node.config().gateway();
    Duration attempt = settings.attemptTimeout();
    int self = node.config().self().id();
    this.local = KvApi.overInbox(node.inbox(), node.system().scheduler(), node.config().limits(), attempt);
    LeaderRouter leaders = new LeaderRouter(self, local, id -> {
      var ref = node.members().raft(id);
      return ref == null ? null : new KvApi(ref, node.system().scheduler(), node.config().limits(), attempt);
    }, node.members()::members);
    this.router = new RetryingRouter(leaders, node.system().scheduler(), settings);
    this.bounds = RequestBounds.of(node.config());
    this.valueBytesMax = node.config().limits().valueBytesMax();
    this.access = new ApiAccess(node.config().auth());
    this.watches = new WatchRoute(node);
    this.members = new MembersRoutes(new Membership(self, node.raft(), node.members(), node.system().scheduler(), attempt,
        settings.requestTimeout()), node.members(), access);
  }

  /**
   * Binds the API on this node's configured HTTP host and port, with the slow-client bounds
   * ({@link GatewayServer}): HTTPS with the node's certificate when {@code raftkv.tls.enabled}.
   */
  public CompletionStage<Tcp.ServerBinding> bind() {
    Optional<javax.net.ssl.SSLContext> https = node.config().tls().enabled() ? Optional.of(node.config().tls().nodeContext()) : Optional.empty();
    return GatewayServer.bind(node.system(), node.config().self().httpBindHost(), node.config().self().httpPort(), route().flow(node.system()), bounds,
        https);
  }

  /**
   * The whole API, built once. The Java routing DSL calls a directive's {@code Supplier<Route>} on
   * every request, so each supplier below hands back a route built here instead of building its
   * subtree again: rebuilding the tree (and Pekko's rejection and exception handlers) per request
   * was most of the gateway's allocation under load (docs/PERFORMANCE.md, step 3).
   */
  public Route route() {
    Route scan = get(() -> access.allow(Role.READ_ONLY, this::scan));
    Route session = post(() -> access.allow(Role.READ_WRITE, this::session));
    Route txn = post(() -> access.allow(Role.READ_WRITE, this::txn));
    Route compact = post(() -> access.allow(Role.ADMIN, this::compact));
    Route grantLease = post(() -> access.allow(Role.READ_WRITE, this::grantLease));
    Route watchRoute = watches.route();
    Route watch = get(() -> access.allow(Role.READ_ONLY, () -> watchRoute));
    Route cluster = get(() -> access.allow(Role.READ_ONLY, this::cluster));
    Route health = get(this::health); // open: load balancers ask it
    Route metrics = get(() -> access.allow(Role.READ_ONLY, this::metrics));
    Route membersRoute = members.route();
    Route v1 = concat(
        pathPrefix("kv", () -> concat(
            pathEnd(() -> scan),
            pathPrefix(segment(), this::keyRoute))),
        path("session", () -> session),
        path("txn", () -> txn),
        path("compact", () -> compact),
        path("watch", () -> watch),
        pathPrefix("lease", () -> concat(
            pathEnd(() -> grantLease),
            pathPrefix(segment(), this::leaseRoute))),
        path("cluster", () -> cluster),
        pathPrefix("members", () -> membersRoute));
    Route api = concat(
        pathPrefix("v1", () -> v1),
        path("health", () -> health),
        path("metrics", () -> metrics));
    Route checked = RequestChecks.around(bounds, () -> api);
    Route authenticated = access.authenticate(() -> checked); // before the body is read
    Route rejectionsHandled = handleRejections(REJECTIONS, () -> authenticated);
    Route guarded = handleExceptions(EXCEPTIONS, () -> rejectionsHandled);
    return extractRequest(request -> {
      long started = System.nanoTime();
      String route = routeLabel(request.method().name(), request.getUri().path());
      return mapResponse(response -> {
        node.metrics().request(route, response.status().intValue(), started);
        return response;
      }, () -> guarded);
    });
  }

  /** Everything under {@code /v1/kv/{key}}: the part of the tree that depends on the request's key. */
  private Route keyRoute(String key) {
    return concat(
        pathEnd(() -> concat(
            get(() -> access.allow(Role.READ_ONLY, () -> read(key))),
            put(() -> access.allow(Role.READ_WRITE, () -> parameterOptional("lease", lease -> {
              Optional<Long> l = positive(lease);
              if (l.isEmpty()) return complete(HttpErrors.badRequest("lease must be a lease's id, a number >= 1, was " + lease.orElse("")));
              return write(key, (id, body) -> r -> r.put(id, key, body, l.get()));
            }))),
            delete(() -> access.allow(Role.READ_WRITE, () -> write(key, (id, body) -> r -> r.delete(id, key)))))),
        path("append", () -> post(() -> access.allow(Role.READ_WRITE, () -> write(key, (id, body) -> r -> r.append(id, key, body))))),
        path("cas", () -> post(() -> access.allow(Role.READ_WRITE, () -> cas(key)))));
  }

  /** A bounded label for a request: the route's template, never the key (keys would make the metric unbounded). */
  static String routeLabel(String method, String path) {
    if (path.startsWith("/v1/kv/")) {
      if (path.endsWith("/append")) return method + " /v1/kv/{key}/append";
      if (path.endsWith("/cas")) return method + " /v1/kv/{key}/cas";
      return method + " /v1/kv/{key}";
    }
    if (path.startsWith("/v1/lease/")) return method + (path.endsWith("/keep-alive") ? " /v1/lease/{id}/keep-alive" : " /v1/lease/{id}");
    if (path.startsWith("/v1/members/")) return method + (path.endsWith("/promote") ? " /v1/members/{id}/promote" : " /v1/members/{id}");
    return switch (path) {
      case "/v1/kv", "/v1/session", "/v1/txn", "/v1/compact", "/v1/watch", "/v1/lease", "/v1/cluster", "/v1/members", "/health", "/metrics" -> method + " " + path;
      default -> "other";
    };
  }

  private Route metrics() {
    CompletionStage<RaftNode.Members> members = AskPattern.<RaftNode.Command, RaftNode.Members>ask(node.raft(), RaftNode.GetMembers::new,
            Duration.ofSeconds(1), node.system().scheduler())
        .handle((m, err) -> m);
    CompletionStage<HttpResponse> answer = AskPattern.<RaftNode.Command, RaftNode.Status>ask(node.raft(), RaftNode.GetStatus::new,
            Duration.ofSeconds(1), node.system().scheduler())
        .handle((s, err) -> s)
        .thenCombine(members, (s, m) -> {
          if (s != null) node.metrics().status(s);
          if (m != null) node.metrics().members(m);
          node.metrics().stateSize(node.stateSize());
          node.metrics().gateway(node.inbox().size(), router.gatewaySessions());
          return HttpResponse.create().withEntity(HttpEntities.create(
              org.apache.pekko.http.javadsl.model.ContentTypes.TEXT_PLAIN_UTF8, node.metrics().scrape()));
        });
    return completeWithFuture(answer);
  }

  // ---- reads ----

  private Route read(String key) {
    return parameterOptional("consistency", consistency -> parameterOptional("revision", revisionParam -> {
      Optional<Consistency> c = consistency(consistency);
      if (c.isEmpty()) return complete(HttpErrors.badRequest("consistency must be linearizable or serializable"));
      Optional<Long> revision = revision(revisionParam);
      if (revision.isEmpty()) return complete(HttpErrors.badRequest("revision must be a number >= 1, was " + revisionParam.orElse("")));
      long r = revision.get();
      CompletionStage<KvResponse> answer = c.get() == Consistency.SERIALIZABLE
          ? router.readHere(local, api -> api.get(key, r, Consistency.SERIALIZABLE))
          : router.read(api -> api.get(key, r, Consistency.LINEARIZABLE));
      return answer(answer, result -> {
        if (result instanceof KvResult.Value v) {
          return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, v.value()))
              .addHeader(RawHeader.create(CREATE_REVISION, Long.toString(v.revisions().createRevision())))
              .addHeader(RawHeader.create(MOD_REVISION, Long.toString(v.revisions().modRevision())))
              .addHeader(RawHeader.create(VERSION, Long.toString(v.revisions().version())));
        }
        return notFound(key);
      });
    }));
  }

  /** An optional id parameter: absent is 0; empty when malformed or below 1. */
  private static Optional<Long> positive(Optional<String> given) {
    if (given.isEmpty()) return Optional.of(0L);
    try {
      long n = Long.parseLong(given.get().trim());
      return n >= 1 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A {@code revision} parameter: absent is the newest ({@link KvCommand#NEWEST}); empty when malformed. */
  private static Optional<Long> revision(Optional<String> given) {
    if (given.isEmpty()) return Optional.of(KvCommand.NEWEST);
    try {
      long r = Long.parseLong(given.get().trim());
      return r >= 1 ? Optional.of(r) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code GET /v1/kv?prefix=P&limit=N&after=K}: the entries after key K (the last of the page
   * before; none: from the first) whose keys start with P, at most N and at most
   * {@code raftkv.kv.scan-bytes-max} of them; {@code truncated} says more follow.
   */
  private Route scan() {
    return parameterOptional("prefix", prefix -> parameterOptional("limit", limit -> parameterOptional("after", after -> parameterOptional("consistency", consistency -> parameterOptional("revision", revisionParam -> {
      int n;
      try {
        n = limit.map(Integer::parseInt).orElse(100);
      } catch (NumberFormatException e) {
        return complete(HttpErrors.badRequest("limit must be a number, was " + limit.get()));
      }
      if (n < 1) return complete(HttpErrors.badRequest("limit must be >= 1, was " + n));
      Optional<Consistency> c = consistency(consistency);
      if (c.isEmpty()) return complete(HttpErrors.badRequest("consistency must be linearizable or serializable"));
      Optional<Long> revision = revision(revisionParam);
      if (revision.isEmpty()) return complete(HttpErrors.badRequest("revision must be a number >= 1, was " + revisionParam.orElse("")));
      long at = revision.get();
      String p = prefix.orElse("");
      String a = after.orElse(null);
      CompletionStage<KvResponse> answer = c.get() == Consistency.SERIALIZABLE
          ? router.readHere(local, api -> api.scan(p, a, n, at, Consistency.SERIALIZABLE))
          : router.read(api -> api.scan(p, a, n, at, Consistency.LINEARIZABLE));
      // Up to scan-entries-max entries become JSON: rendered on the dispatcher, not on the Raft actor's thread.
      return completeWithFuture(answer.thenApplyAsync(r -> toHttp(r, result -> {
        KvResult.ScanResult s = (KvResult.ScanResult) result;
        ObjectNode body = HttpErrors.JSON.createObjectNode();
        ArrayNode entries = body.putArray("entries");
        for (KvEntry e : s.entries()) {
          ObjectNode entry = entries.addObject().put("key", e.key()).put("value", Base64.getEncoder().encodeToString(e.value()));
          TxnJson.putRevisions(entry, e.revisions());
        }
        body.put("truncated", s.truncated());
        if (r instanceof KvResponse.Done d) body.put("revision", d.revision());
        return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, body.toString());
      }), node.system().executionContext()));
    })))));
  }

  private static Optional<Consistency> consistency(Optional<String> given) {
    if (given.isEmpty() || given.get().equals("linearizable")) return Optional.of(Consistency.LINEARIZABLE);
    if (given.get().equals("serializable")) return Optional.of(Consistency.SERIALIZABLE);
    return Optional.empty();
  }

  // ---- writes ----

  /** {@code POST /v1/txn}: comparisons, then one branch of puts, deletes and gets, atomically (docs/API.md). */
  private Route txn() {
    return requestId(id -> entity(Unmarshaller.entityToByteString(), bytes -> {
      KvCommand.Txn parsed;
      try {
        parsed = TxnJson.parse(bytes.toArray(), RequestId.UNTRACKED);
      } catch (TxnJson.Malformed e) {
        return complete(HttpErrors.badRequest(e.getMessage()));
      }
      CompletionStage<KvResponse> answer = router.write(id, rid -> api -> api.txn(
          new KvCommand.Txn(rid, parsed.compares(), parsed.success(), parsed.failure())));
      return completeWithFuture(answer.thenApplyAsync(r -> toHttp(r, result -> HttpResponse.create().withEntity(
          ContentTypes.APPLICATION_JSON, TxnJson.render(parsed, (KvResult.TxnResult) result, ((KvResponse.Done) r).revision()))),
          node.system().executionContext()));
    }));
  }

  /** {@code POST /v1/lease} with {@code {"ttlSeconds": N}}: a lease, answered with its id. */
  private Route grantLease() {
    return requestId(id -> entity(Unmarshaller.entityToByteString(), bytes -> {
      long ttl;
      try {
        com.fasterxml.jackson.databind.JsonNode body = HttpErrors.JSON.readTree(bytes.toArray());
        com.fasterxml.jackson.databind.JsonNode n = body == null ? null : body.get("ttlSeconds");
        if (n == null || !n.isIntegralNumber()) return complete(HttpErrors.badRequest("give {\"ttlSeconds\": N}"));
        ttl = n.asLong();
      } catch (java.io.IOException e) {
        return complete(HttpErrors.badRequest("the body is not JSON: " + e.getMessage()));
      }
      return answer(router.write(id, rid -> api -> api.grantLease(rid, ttl)), result -> leaseAnswer((KvResult.LeaseGranted) result));
    }));
  }

  /** {@code POST /v1/lease/{id}/keep-alive} and {@code DELETE /v1/lease/{id}}. */
  private Route leaseRoute(String idSegment) {
    Optional<Long> id = positive(Optional.of(idSegment));
    if (id.isEmpty()) return complete(HttpErrors.badRequest("a lease's id is a number >= 1, was " + idSegment));
    long lease = id.get();
    return concat(
        pathEnd(() -> delete(() -> access.allow(Role.READ_WRITE, () -> answer(router.read(api -> api.lease(new KvCommand.LeaseRevoke(lease))),
            result -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT))))),
        path("keep-alive", () -> post(() -> access.allow(Role.READ_WRITE, () -> answer(
            router.read(api -> api.lease(new KvCommand.LeaseKeepAlive(lease))), result -> leaseAnswer((KvResult.LeaseGranted) result))))));
  }

  private static HttpResponse leaseAnswer(KvResult.LeaseGranted granted) {
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
        "{\"id\":" + granted.id() + ",\"ttlSeconds\":" + granted.ttlSeconds() + "}");
  }

  /** {@code POST /v1/compact?revision=N}: drops history before N on every node. */
  private Route compact() {
    return parameterOptional("revision", revisionParam -> {
      Optional<Long> revision = revision(revisionParam);
      if (revisionParam.isEmpty() || revision.isEmpty()) {
        return complete(HttpErrors.badRequest("give revision=N, a number >= 1"));
      }
      return answer(router.read(api -> api.compact(revision.get())), result -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
    });
  }

  /** A write: its body (bounded by the value limit) and the optional session headers make the call. */
  private Route write(String key, java.util.function.BiFunction<RequestId, byte[], Function<KvApi, CompletionStage<KvResponse>>> call) {
    return requestId(id -> body(bytes -> answer(router.write(id, rid -> call.apply(rid, bytes)),
        result -> result instanceof KvResult.NotFound ? notFound(key) : HttpResponse.create().withStatus(StatusCodes.NO_CONTENT))));
  }

  private Route cas(String key) {
    return parameterOptional("expected", expected -> write(key, (id, body) -> r -> r.compareAndSet(id, key,
        expected.map(e -> e.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(null), body)));
  }

  private Route body(Function<byte[], Route> inner) {
    return withSizeLimit(valueBytesMax + 1, () -> entity(Unmarshaller.entityToByteString(), bytes -> {
      if (bytes.length() > valueBytesMax) {
        return complete(HttpErrors.tooLarge("value is " + bytes.length() + " bytes, over value-bytes-max = " + valueBytesMax));
      }
      return inner.apply(bytes.toArray());
    }));
  }

  /**
   * The session headers, both or neither; a malformed one is a 400. With authentication on, the
   * session must be the caller's: its tag is checked ({@link ApiAccess#sessionOwner}).
   */
  private Route requestId(Function<RequestId, Route> inner) {
    return optionalHeaderValueByName(CLIENT_ID, client -> optionalHeaderValueByName(REQUEST_SEQ, seq -> {
      if (client.isEmpty() && seq.isEmpty()) return inner.apply(RequestId.UNTRACKED);
      if (client.isEmpty() || seq.isEmpty()) return complete(HttpErrors.badRequest(CLIENT_ID + " and " + REQUEST_SEQ + " go together"));
      try {
        long c = Long.parseLong(client.get().trim());
        long s = Long.parseLong(seq.get().trim());
        if (c < 1 || s < 1) return complete(HttpErrors.badRequest(CLIENT_ID + " and " + REQUEST_SEQ + " must be >= 1"));
        return access.sessionOwner(c, () -> inner.apply(RequestId.of(c, s)));
      } catch (NumberFormatException e) {
        return complete(HttpErrors.badRequest(CLIENT_ID + " and " + REQUEST_SEQ + " must be numbers"));
      }
    }));
  }

  /** A new session: its id, and with authentication on its tag for the caller ({@link io.raftkv.security.SessionTags}). */
  private Route session() {
    return access.withCaller(caller -> answer(router.registerSession(), result -> {
      long id = ((KvResult.SessionRegistered) result).clientId();
      ObjectNode body = HttpErrors.JSON.createObjectNode().put("clientId", id);
      access.sessionTag(id, caller).ifPresent(tag -> body.put("sessionTag", tag));
      return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, body.toString());
    }));
  }

  // ---- cluster and health ----

  private Route cluster() {
    List<CompletableFuture<Optional<RaftNode.Status>>> asks = new ArrayList<>();
    List<CompletableFuture<Optional<StateSizeReporter.StateSize>>> sizes = new ArrayList<>();
    Map<Integer, org.apache.pekko.actor.typed.ActorRef<RaftNode.Command>> raftRefs = node.raftRefs(); // the members now
    Map<Integer, org.apache.pekko.actor.typed.ActorRef<StateSizeReporter.GetStateSize>> stateSizeRefs = node.stateSizeRefs();
    for (Map.Entry<Integer, org.apache.pekko.actor.typed.ActorRef<RaftNode.Command>> e : raftRefs.entrySet()) {
      asks.add(AskPattern.<RaftNode.Command, RaftNode.Status>ask(e.getValue(), RaftNode.GetStatus::new, Duration.ofSeconds(1), node.system().scheduler())
          .toCompletableFuture().handle((s, err) -> Optional.ofNullable(s)));
      sizes.add(AskPattern.<StateSizeReporter.GetStateSize, StateSizeReporter.StateSize>ask(stateSizeRefs.get(e.getKey()),
              StateSizeReporter.GetStateSize::new, Duration.ofSeconds(1), node.system().scheduler())
          .toCompletableFuture().handle((s, err) -> Optional.ofNullable(s)));
    }
    List<CompletableFuture<?>> every = new ArrayList<>(asks);
    every.addAll(sizes);
    CompletableFuture<HttpResponse> all = CompletableFuture.allOf(every.toArray(CompletableFuture[]::new)).thenApply(v -> {
      ObjectNode body = HttpErrors.JSON.createObjectNode();
      ArrayNode nodes = body.putArray("nodes");
      int leader = 0;
      long term = 0;
      int i = 0;
      for (Map.Entry<Integer, org.apache.pekko.actor.typed.ActorRef<RaftNode.Command>> e : raftRefs.entrySet()) {
        Optional<StateSizeReporter.StateSize> size = sizes.get(i).join();
        Optional<RaftNode.Status> s = asks.get(i++).join();
        MemberDirectory.Address address = node.members().address(e.getKey());
        ObjectNode n = nodes.addObject().put("id", e.getKey()).put("http", address == null ? "" : url(address.httpUrl()))
            .put("reachable", s.isPresent());
        size.ifPresent(z -> n.put("stateBytes", z.stateBytes()).put("quotaBytes", z.quotaBytes()).put("quotaAlarm", z.alarm()));
        if (s.isPresent()) {
          RaftNode.Status st = s.get();
          boolean learner = st.role() == RaftNode.Role.FOLLOWER && node.members().isLearner(st.nodeId());
          n.put("role", learner ? "LEARNER" : st.role().name()).put("term", st.term()).put("leader", st.leaderId()).put("commitIndex", st.commitIndex())
              .put("appliedIndex", st.lastApplied()).put("lastLogIndex", st.lastLogIndex()).put("snapshotIndex", st.snapshotIndex());
          if (st.role() == RaftNode.Role.LEADER && st.term() >= term) {
            leader = st.nodeId();
            term = st.term();
          }
        }
      }
      body.put("leader", leader).put("term", term);
      return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, body.toString());
    });
    return completeWithFuture(all);
  }

  /** A member's HTTP URL as clients reach it: https when the nodes serve HTTPS (every member does, or none). */
  private String url(String httpUrl) {
    return node.config().tls().enabled() && httpUrl.startsWith("http://") ? "https://" + httpUrl.substring("http://".length()) : httpUrl;
  }

  private Route health() {
    CompletionStage<HttpResponse> answer = AskPattern.<RaftNode.Command, RaftNode.Status>ask(node.raft(), RaftNode.GetStatus::new,
            Duration.ofSeconds(1), node.system().scheduler())
        .handle((s, err) -> {
          if (s != null && s.leaderId() != 0) {
            return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
                "{\"status\": \"ok\", \"node\": " + s.nodeId() + ", \"leader\": " + s.leaderId() + "}");
          }
          return HttpErrors.unavailable(s == null ? "the node does not answer" : "no leader known", RETRY_AFTER_SECONDS);
        });
    return completeWithFuture(answer);
  }

  // ---- answers ----

  /**
   * Completes with the key-value layer's answer, rendered on the thread that completes it (the
   * Raft actor's, for this node's own requests): for answers whose rendering is a few allocations,
   * a status or one value; a scan renders elsewhere. The routing
   * DSL's {@code onSuccess} would instead hop through Scala's global thread pool before the
   * response reaches its connection: one more thread to wake per request (docs/PERFORMANCE.md,
   * step 2).
   */
  private Route answer(CompletionStage<KvResponse> answer, Function<KvResult, HttpResponse> done) {
    return completeWithFuture(answer.thenApply(r -> toHttp(r, done)));
  }

  private static HttpResponse notFound(String key) {
    return HttpErrors.error(StatusCodes.NOT_FOUND, "not found", "no value for key " + key);
  }

  private static HttpResponse toHttp(KvResponse r, Function<KvResult, HttpResponse> done) {
    if (r instanceof KvResponse.Done d) {
      return toHttp(d.result(), done).addHeader(RawHeader.create(REVISION, Long.toString(d.revision())));
    }
    if (r instanceof KvResponse.Invalid i) {
      return HttpErrors.invalid(i.reason());
    }
    if (r instanceof KvResponse.NotLeader) return HttpErrors.unavailable("no leader answered", RETRY_AFTER_SECONDS);
    if (r instanceof KvResponse.Busy b) return HttpErrors.unavailable("busy: " + b.reason(), RETRY_AFTER_SECONDS);
    if (r instanceof KvResponse.Timeout t) return HttpErrors.unavailable("no answer within " + t.deadline().toMillis() + " ms; a write's outcome is unknown", RETRY_AFTER_SECONDS);
    if (r instanceof KvResponse.Unknown u) return HttpErrors.unavailable("outcome unknown: " + u.reason(), RETRY_AFTER_SECONDS);
    throw new IllegalStateException("unexpected " + r);
  }

  private static HttpResponse toHttp(KvResult result, Function<KvResult, HttpResponse> done) {
    {
      if (result instanceof KvResult.CasMismatch m) {
        HttpResponse conflict = HttpResponse.create().withStatus(StatusCodes.CONFLICT);
        return m.current() == null
            ? conflict.addHeader(RawHeader.create(MISSING, "true"))
            : conflict.withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, m.current()));
      }
      if (result instanceof KvResult.SessionExpired e) {
        return HttpErrors.error(StatusCodes.GONE, "session expired", "client " + e.clientId() + " must open a new session (POST /v1/session)");
      }
      if (result instanceof KvResult.StaleRequest s) {
        return HttpErrors.error(StatusCodes.CONFLICT, "stale request", "sequence " + s.sequence() + " is older than " + s.lastSequence());
      }
      if (result instanceof KvResult.LimitExceeded e) return HttpErrors.tooLarge(e.message());
      if (result instanceof KvResult.QuotaExceeded q) return HttpErrors.quotaExceeded(q.stateBytes(), q.quotaBytes());
      if (result instanceof KvResult.Compacted c) return HttpErrors.compacted(c.message(), c.compactedRevision());
      if (result instanceof KvResult.FutureRevision f) return HttpErrors.badRequest(f.message());
      if (result instanceof KvResult.LeaseNotFound n) {
        return HttpErrors.error(StatusCodes.NOT_FOUND, "lease not found", "lease " + n.id() + " does not exist: it expired, was revoked, or never was");
      }
      return done.apply(result);
    }
  }

  /** Pekko's rejection answers as JSON errors, keeping their headers (the {@code Allow} of a 405). */
  private static final RejectionHandler REJECTIONS = rejections();

  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) return response;
      String detail = response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict s
          ? s.getData().utf8String() : response.status().reason();
      return HttpErrors.error(response.status(), response.status().reason().toLowerCase(java.util.Locale.ROOT), detail)
          .addHeaders(response.getHeaders());
    });
  }

  /**
   * A request the key-value layer refuses as malformed (an invalid key, say) is a 400, not a 500;
   * Pekko's own request errors keep their 4xx; anything else is a bug, logged, and a JSON 500.
   */
  private static final ExceptionHandler EXCEPTIONS = exceptions();

  private static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(IllegalArgumentException.class, e -> org.apache.pekko.http.javadsl.server.Directives.complete(HttpErrors.badRequest(e.getMessage())))
        .match(org.apache.pekko.http.scaladsl.model.IllegalRequestException.class, e -> org.apache.pekko.http.javadsl.server.Directives.complete(
            HttpErrors.error(e.status(), e.status().reason().toLowerCase(java.util.Locale.ROOT), e.info().summary())))
        .matchAny(e -> org.apache.pekko.http.javadsl.server.Directives.extractLog(log -> {
          log.error(e, "the gateway failed on a request");
          return org.apache.pekko.http.javadsl.server.Directives.complete(
              HttpErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error", e.getClass().getSimpleName() + ": " + e.getMessage()));
        }))
        .build();
  }
}
