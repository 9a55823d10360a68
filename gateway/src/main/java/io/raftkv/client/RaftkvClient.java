package io.raftkv.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import io.raftkv.security.TlsContexts;
import javax.net.ssl.SSLParameters;

/**
 * The raftkv client (the seed's "Clerk"): every operation of the HTTP API (docs/API.md), against
 * any node of a cluster, which forwards to the leader.
 *
 * <p><b>Finding a node.</b> A call starts at the node that answered the previous call and moves
 * to the next one when a node refuses the connection, drops it, or answers 503. After every node
 * failed once it waits, with exponential backoff plus jitter (from an injectable, seedable
 * {@link Random}), or for the Retry-After the nodes asked for if that is longer. All of it within
 * the call's deadline ({@link Builder#timeout}, or {@link #withTimeout}) and at most
 * {@link Builder#attemptsMax} attempts.
 *
 * <p><b>Exactly-once writes.</b> By default writes go through a session: opened lazily with
 * {@code POST /v1/session}, each write carries {@code Raftkv-Client-Id} and a new
 * {@code Raftkv-Request-Seq}, and retries of the same call carry the same number, so a retried
 * write is applied once. A session has one write in flight at a time (see
 * {@link #withNewSession()} for concurrent writers). Without a session
 * ({@link Builder#exactlyOnce(boolean) exactlyOnce(false)}) a write that may have been delivered
 * is not retried, and the call fails with {@code mayHaveTakenEffect()}.
 *
 * <p><b>Results and failures.</b> Answers are return values: {@code Optional.empty()} for a
 * missing key, {@code false} for deleting a missing key, {@link CasResult.Mismatch} for a cas that
 * found another value. When there is no answer, a {@link RaftkvException}: {@link
 * RaftkvUnavailableException} (nodes answered only 503, "no leader", or none could be connected
 * to; CLI exit code 4), its subclass {@link RaftkvTimeoutException} (a request went unanswered,
 * no node said 503, and the deadline ran out: unknown outcome, exit code 3), {@link RaftkvRejectedException} (400, 413
 * or a status outside the contract; its subclass {@link RaftkvQuotaExceededException} for a 507, a write refused by
 * the space quota, exit code 5; its subclass {@link RaftkvAccessDeniedException} for a 401 or 403, exit code 8)
 * or {@link RaftkvProtocolException} (an answer outside the
 * contract). Each says whether a write {@link RaftkvException#mayHaveTakenEffect() may have
 * taken effect}. Arguments refused before sending (an empty key, a value over the body bound)
 * throw {@link IllegalArgumentException}.
 *
 * <p><b>A secure cluster</b> (docs/SECURITY.md) is reached at https URLs: {@link Builder#caCertificate}
 * names the CA to trust (the cluster's {@code ca.pem}; without it, the JVM's default trust store), and
 * {@link Builder#token} the API token sent as {@code Authorization: Bearer} with every request. A
 * session's writes then also carry the {@code Raftkv-Session-Tag} its opening answered.
 *
 * <p>Thread-safe. Instances made by {@link #withTimeout} and {@link #withNewSession()} share the
 * {@link HttpClient} (one per builder: HTTP/1.1, connections reused), the settings and the
 * remembered node. Java 17's HttpClient holds no resource that needs closing, so neither does
 * this.
 */
public final class RaftkvClient {
  /** The 409 header saying a cas found the key missing (the body is then empty). */
  static final String MISSING_HEADER = "Raftkv-Missing";

  private final RetryingCaller caller;
  private final WriteSession session; // null without exactly-once
  private final Duration timeout;

  private RaftkvClient(RetryingCaller caller, WriteSession session, Duration timeout) {
    this.caller = caller;
    this.session = session;
    this.timeout = timeout;
  }

  /** A builder for a client of the nodes at these base URLs ({@code http://host:port}). */
  public static Builder builder(List<URI> nodes) {
    return new Builder(nodes);
  }

  /** A builder for a client of the nodes listed in a cluster file ({@link ClusterFile}). */
  public static Builder builder(Path clusterFile) {
    return new Builder(ClusterFile.nodes(clusterFile));
  }

  /** A client with the default settings. */
  public static RaftkvClient of(List<URI> nodes) {
    return builder(nodes).build();
  }

  /**
   * A node's base URL from text such as {@code http://127.0.0.1:8081}: http or https, a host, no
   * query or fragment; a trailing slash is dropped.
   *
   * @throws IllegalArgumentException when it is none of that
   */
  public static URI nodeUrl(String url) {
    try {
      return baseUrl(new URI(url.trim()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + url, e);
    }
  }

  static URI baseUrl(URI uri) {
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not an http(s) URL: " + uri);
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("a node URL has a host and no query or fragment: " + uri);
    }
    String text = uri.toString();
    return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  /** The nodes' base URLs, in the order given. */
  public List<URI> nodes() {
    return caller.nodes();
  }

  /** Each call's deadline. */
  public Duration timeout() {
    return timeout;
  }

  /** A client with another per-call deadline, sharing this one's session and connections. */
  public RaftkvClient withTimeout(Duration timeout) {
    caller.settings().withTimeout(timeout); // checks it
    return new RaftkvClient(caller, session, timeout);
  }

  /**
   * A client with a session of its own (opened at its first write), sharing this one's connections
   * and settings: one per thread lets writes of different threads be in flight together.
   */
  public RaftkvClient withNewSession() {
    return new RaftkvClient(caller, session == null ? null : new WriteSession(), timeout);
  }

  /** A linearizable read: the value, or empty when the key is missing. */
  public Optional<byte[]> get(String key) {
    return get(key, Consistency.LINEARIZABLE);
  }

  /** A read with the given consistency: the value, or empty when the key is missing. */
  public Optional<byte[]> get(String key, Consistency consistency) {
    Reply reply = read("/v1/kv/" + segment(key) + "?consistency=" + consistency.wireName());
    if (reply.status() == 200) {
      return Optional.of(reply.body());
    }
    if (reply.status() == 404) {
      return Optional.empty();
    }
    throw rejected(reply, false);
  }

  /**
   * The value {@code key} had at {@code revision} (docs/API.md, "Revisions"), or empty when it had
   * none then. A revision below the compacted one is refused with a {@link RaftkvRejectedException}
   * of status 410, one after the cluster's current revision with status 400.
   */
  public Optional<byte[]> getAt(String key, long revision, Consistency consistency) {
    if (revision < 1) {
      throw new IllegalArgumentException("revision must be at least 1: " + revision);
    }
    Reply reply = read("/v1/kv/" + segment(key) + "?consistency=" + consistency.wireName() + "&revision=" + revision);
    if (reply.status() == 200) {
      return Optional.of(reply.body());
    }
    if (reply.status() == 404) {
      return Optional.empty();
    }
    throw rejected(reply, false);
  }

  /**
   * Applies a transaction, given as the JSON of {@code POST /v1/txn} (docs/API.md,
   * "Transactions"), exactly once, and returns the answer.
   */
  public TxnReply txn(String json) {
    Reply reply = write("POST", "/v1/txn", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (reply.status() != 200) {
      throw rejected(reply, true);
    }
    return JsonReplies.txn(reply);
  }

  /**
   * Drops history before {@code revision} on every node (an admin's call). A revision compacted
   * already is refused with status 410.
   */
  public void compact(long revision) {
    if (revision < 1) {
      throw new IllegalArgumentException("revision must be at least 1: " + revision);
    }
    expectSuccess(write("POST", "/v1/compact?revision=" + revision, null));
  }

  /**
   * Watches {@code key} from {@code fromRevision} (0: from now on), telling {@code listener} of
   * each revision that changed it; resumes by itself on another node when one fails, missing and
   * repeating nothing (docs/API.md, "Watch"). Close the watch to stop it.
   */
  public Watch watchKey(String key, long fromRevision, WatchListener listener) {
    return watch("key=" + UrlCodec.encode(Objects.requireNonNull(key, "key")), fromRevision, listener);
  }

  /** Watches every key starting with {@code prefix} (empty: every key), as {@link #watchKey}. */
  public Watch watchPrefix(String prefix, long fromRevision, WatchListener listener) {
    return watch("prefix=" + UrlCodec.encode(Objects.requireNonNull(prefix, "prefix")), fromRevision, listener);
  }

  private Watch watch(String filterQuery, long fromRevision, WatchListener listener) {
    if (fromRevision < 0) {
      throw new IllegalArgumentException("fromRevision must be >= 0 (0: from now on): " + fromRevision);
    }
    Watch watch = new Watch(caller, filterQuery, fromRevision, Objects.requireNonNull(listener, "listener"), caller.settings(),
        new java.util.Random(), timeout);
    watch.start();
    return watch;
  }

  /**
   * Grants a lease of {@code ttl} (whole seconds, at least 2): the keys put with it are deleted
   * when it runs out (docs/API.md, "Leases and locks"). Returns its id.
   */
  public long grantLease(Duration ttl) {
    long seconds = ttl.toSeconds();
    Reply reply = write("POST", "/v1/lease", ("{\"ttlSeconds\": " + seconds + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (reply.status() != 200) {
      throw rejected(reply, true);
    }
    return JsonReplies.leaseId(reply);
  }

  /**
   * Keeps lease {@code id} alive for another TTL: its TTL in seconds, or empty when it is gone (ran
   * out or revoked).
   */
  public java.util.OptionalLong keepAliveLease(long id) {
    Reply reply = write("POST", "/v1/lease/" + id + "/keep-alive", null);
    if (reply.status() == 200) {
      return java.util.OptionalLong.of(JsonReplies.leaseTtlSeconds(reply));
    }
    if (reply.status() == 404) {
      return java.util.OptionalLong.empty();
    }
    throw rejected(reply, true);
  }

  /** Ends lease {@code id} now, deleting its keys: false when it was gone already. */
  public boolean revokeLease(long id) {
    Reply reply = write("DELETE", "/v1/lease/" + id, null);
    if (reply.isSuccess()) {
      return true;
    }
    if (reply.status() == 404) {
      return false;
    }
    throw rejected(reply, true);
  }

  /**
   * Writes {@code value} as the key's value, attached to lease {@code lease}: deleted when the
   * lease ends. A lease that is gone is refused with a {@link RaftkvRejectedException} of status 404.
   */
  public void put(String key, byte[] value, long lease) {
    if (lease < 1) {
      throw new IllegalArgumentException("lease must be a lease's id, >= 1: " + lease);
    }
    expectSuccess(write("PUT", "/v1/kv/" + segment(key) + "?lease=" + lease, checkValue(value)));
  }

  /**
   * Takes the lock {@code name}, waiting as long as another holds it (docs/API.md, "Leases and
   * locks"): its key is attached to a lease of {@code ttl} that the lock keeps alive until closed.
   * The lock's {@link Lock#fencingToken()} grows with every taking: pass it to what the lock
   * guards, which should refuse a smaller token than one it has seen.
   */
  public Lock lock(String name, Duration ttl) throws InterruptedException {
    return Lock.acquire(this, name, ttl);
  }

  /** Writes {@code value} as the key's value. */
  public void put(String key, byte[] value) {
    expectSuccess(write("PUT", "/v1/kv/" + segment(key), checkValue(value)));
  }

  /** Appends {@code value} to the key's value (to nothing when it is missing). */
  public void append(String key, byte[] value) {
    expectSuccess(write("POST", "/v1/kv/" + segment(key) + "/append", checkValue(value)));
  }

  /** Deletes the key: true when it was there, false when it was already missing. */
  public boolean delete(String key) {
    Reply reply = write("DELETE", "/v1/kv/" + segment(key), null);
    if (reply.isSuccess()) {
      return true;
    }
    if (reply.status() == 404) {
      return false;
    }
    throw rejected(reply, true);
  }

  /**
   * Compare-and-set: writes {@code value} if the key holds {@code expected}, or, when
   * {@code expected} is empty, if the key is missing.
   *
   * <p>The expected value travels in the query string, percent-encoded byte by byte; a node
   * decodes query strings as UTF-8 and refuses (400) one that is not UTF-8 text, and one that
   * makes the request target too long (414, {@code pekko.http.server.parsing.max-uri-length}).
   */
  public CasResult cas(String key, Optional<byte[]> expected, byte[] value) {
    String target = "/v1/kv/" + segment(key) + "/cas"
        + expected.map(e -> "?expected=" + UrlCodec.encode(checkValue(e))).orElse("");
    Reply reply = write("POST", target, checkValue(value));
    if (reply.isSuccess()) {
      return new CasResult.Swapped();
    }
    if (reply.status() == 409) {
      boolean missing = reply.headers().firstValue(MISSING_HEADER).map("true"::equalsIgnoreCase).orElse(false);
      return new CasResult.Mismatch(missing ? Optional.empty() : Optional.of(reply.body()));
    }
    throw rejected(reply, true);
  }

  /**
   * One page: the first entries whose keys start with {@code prefix} (empty: all), in key order, at
   * most {@code limit} and at most the nodes' {@code raftkv.kv.scan-bytes-max} of them (always at
   * least one when any key matches). {@link ScanResult#truncated()} says more follow: continue with
   * {@link #scanAfter} from the last key, or use {@link #scanAll}.
   */
  public ScanResult scan(String prefix, int limit) {
    return scanPage(prefix, null, limit);
  }

  /** The page of {@link #scan} that follows key {@code startAfter}, the last key of the page before. */
  public ScanResult scanAfter(String prefix, String startAfter, int limit) {
    Objects.requireNonNull(startAfter, "startAfter");
    if (startAfter.isEmpty()) {
      throw new IllegalArgumentException("startAfter is a key, not empty");
    }
    return scanPage(prefix, startAfter, limit);
  }

  /**
   * The first {@code limit} entries whose keys start with {@code prefix}, in as many pages as the
   * nodes' byte bound on one answer needs; {@link ScanResult#truncated()} says more keys follow the
   * last. Pages are separate reads: a key written meanwhile may be seen or not, as by a new scan.
   */
  public ScanResult scanAll(String prefix, int limit) {
    List<KvEntry> entries = new ArrayList<>();
    ScanResult page = scan(prefix, limit);
    while (true) {
      entries.addAll(page.entries());
      if (!page.truncated() || entries.size() >= limit) {
        return new ScanResult(entries, page.truncated());
      }
      page = scanAfter(prefix, entries.get(entries.size() - 1).key(), limit - entries.size());
    }
  }

  private ScanResult scanPage(String prefix, String startAfter, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    String query = (prefix.isEmpty() ? "?" : "?prefix=" + UrlCodec.encode(prefix) + "&") + "limit=" + limit
        + (startAfter == null ? "" : "&after=" + UrlCodec.encode(startAfter));
    Reply reply = read("/v1/kv" + query);
    if (reply.status() != 200) {
      throw rejected(reply, false);
    }
    return JsonReplies.scan(reply);
  }

  /** The cluster as the first node that answers sees it: leader, term, and every member. */
  public ClusterStatus clusterStatus() {
    Reply reply = read("/v1/cluster");
    if (reply.status() != 200) {
      throw rejected(reply, false);
    }
    return JsonReplies.cluster(reply);
  }

  /** The cluster's members, as the leader sees them when one answers ({@code GET /v1/members}). */
  public ClusterMembers members() {
    Reply reply = read("/v1/members");
    if (reply.status() != 200) {
      throw rejected(reply, false);
    }
    return JsonReplies.members(reply);
  }

  /**
   * Adds node {@code id}, reached at {@code host} on those ports, as a learner: the leader promotes
   * it to voter once it has caught up, unless {@code stayLearner}. Returns the new configuration's
   * log index once it is committed; a refusal (the id is a member, a change is under way) throws
   * {@link RaftkvRejectedException} with status 409.
   */
  public long addMember(int id, String host, int arteryPort, int httpPort, boolean stayLearner) {
    String body = "{\"id\": " + id + ", \"host\": \"" + host.replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"arteryPort\": "
        + arteryPort + ", \"httpPort\": " + httpPort + ", \"learner\": " + stayLearner + "}";
    return membershipChange("POST", "/v1/members", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Removes member {@code id} (the leader hands leadership over first if it is the one); returns the new configuration's index. */
  public long removeMember(int id) {
    return membershipChange("DELETE", "/v1/members/" + id, null);
  }

  /** Makes learner {@code id} a voter now; returns the new configuration's index. */
  public long promoteMember(int id) {
    return membershipChange("POST", "/v1/members/" + id + "/promote", new byte[0]);
  }

  private long membershipChange(String method, String target, byte[] body) {
    // Not resent after a timeout: a change that did commit would be refused the second time ("is a member already").
    Reply reply = caller.call(new RetryingCaller.Call(method, target, body, List.of(), true, false), deadline());
    if (reply.status() != 200) {
      throw rejected(reply, true);
    }
    return JsonReplies.configurationIndex(reply);
  }

  /** What {@code node} (a base URL) answers to {@code GET /health}, asked once within the deadline. */
  public Health health(URI node) {
    Reply reply = caller.once(baseUrl(node), new RetryingCaller.Call("GET", "/health", null, List.of(), false, false),
        deadline());
    if (reply == null) {
      return Health.UNREACHABLE;
    }
    return reply.status() == 200 ? Health.HEALTHY : Health.NO_LEADER;
  }

  /** The session id this client's writes carry; 0 before its first write or without exactly-once. */
  long sessionId() {
    return session == null ? 0 : session.clientId();
  }

  private Reply read(String target) {
    return caller.call(new RetryingCaller.Call("GET", target, null, List.of(), false, true), deadline());
  }

  private Reply write(String method, String target, byte[] body) {
    long deadline = deadline();
    if (session == null) {
      return caller.call(new RetryingCaller.Call(method, target, body, List.of(), true, false), deadline);
    }
    return session.write(caller, method, target, body, deadline);
  }

  private long deadline() {
    return System.nanoTime() + timeout.toNanos();
  }

  private void expectSuccess(Reply reply) {
    if (!reply.isSuccess()) {
      throw rejected(reply, true);
    }
  }

  /** The refusal {@code reply} says, typed by its status; {@code write}: whether the call wrote. */
  static RaftkvRejectedException rejected(Reply reply, boolean write) {
    String[] error = JsonReplies.error(reply);
    if (reply.status() == 507) {
      long[] sizes = JsonReplies.quota(reply);
      return new RaftkvQuotaExceededException(error[0], error[1], sizes[0], sizes[1]);
    }
    if (reply.status() == 401 || reply.status() == 403) return new RaftkvAccessDeniedException(reply.status(), error[0], error[1]);
    // a 4xx refuses before the log; any other unexpected status might come after the apply
    boolean clientError = reply.status() >= 400 && reply.status() < 500;
    return new RaftkvRejectedException(reply.status(), error[0], error[1], write && !clientError);
  }

  private static String segment(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a key is not empty");
    }
    return UrlCodec.pathSegment(key);
  }

  private byte[] checkValue(byte[] value) {
    Objects.requireNonNull(value, "value");
    if (value.length > caller.settings().bodyBytesMax()) {
      throw new IllegalArgumentException("a value of " + value.length + " bytes is over the client's bound of "
          + caller.settings().bodyBytesMax() + " bytes");
    }
    return value;
  }

  /** Settings of a {@link RaftkvClient}; every one has a default. */
  public static final class Builder {
    private final List<URI> nodes;
    private Duration timeout = ClientSettings.TIMEOUT;
    private Duration connectTimeout = ClientSettings.CONNECT_TIMEOUT;
    private Duration backoffInitial = ClientSettings.BACKOFF_INITIAL;
    private Duration backoffMax = ClientSettings.BACKOFF_MAX;
    private Duration retryAfterMax = ClientSettings.RETRY_AFTER_MAX;
    private int attemptsMax = ClientSettings.ATTEMPTS_MAX;
    private int bodyBytesMax = ClientSettings.BODY_BYTES_MAX;
    private boolean exactlyOnce = true;
    private Random random;
    private HttpClient httpClient;
    private String token;
    private Path caCertificate;

    private Builder(List<URI> nodes) {
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("a client needs at least one node");
      }
      this.nodes = nodes.stream().map(RaftkvClient::baseUrl).toList();
    }

    /** Each call's deadline, retries and waits included (default 10 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** The bound on opening one connection (default 2 s); ignored with {@link #httpClient}. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** The first wait after a round of failures, and the most any wait grows to (default 50 ms, 1 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.backoffInitial = initial;
      this.backoffMax = max;
      return this;
    }

    /** The longest Retry-After honoured (default 10 s); a longer one is cut to this. */
    public Builder retryAfterMax(Duration retryAfterMax) {
      this.retryAfterMax = retryAfterMax;
      return this;
    }

    /** The most requests one call sends (default 100). */
    public Builder attemptsMax(int attemptsMax) {
      this.attemptsMax = attemptsMax;
      return this;
    }

    /** The largest value sent and the largest response body read (default 16 MiB). */
    public Builder bodyBytesMax(int bodyBytesMax) {
      this.bodyBytesMax = bodyBytesMax;
      return this;
    }

    /** Whether writes go through a session (default true); see {@link RaftkvClient}. */
    public Builder exactlyOnce(boolean exactlyOnce) {
      this.exactlyOnce = exactlyOnce;
      return this;
    }

    /** The source of backoff jitter (default: a new unseeded Random); seed it to replay delays. */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The HTTP client to use, to share one between clients (default: a new HTTP/1.1 client). */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The API token to send with every request ({@code Authorization: Bearer}), for a cluster with
     * {@code raftkv.auth.enabled}; its role decides what the calls may do (default: none).
     */
    public Builder token(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        throw new IllegalArgumentException("a token is printable ASCII without spaces, and not empty");
      }
      this.token = token;
      return this;
    }

    /**
     * The PEM file of the CA whose certificates the nodes' HTTPS is trusted for, and no other (the
     * cluster's {@code ca.pem}; default: the JVM's trust store); ignored for http URLs. Not with
     * {@link #httpClient}, which brings its own.
     */
    public Builder caCertificate(Path caPem) {
      this.caCertificate = Objects.requireNonNull(caPem, "caPem");
      return this;
    }

    /** The client; checks the settings (a CA file that holds no CA is refused here, naming it). */
    public RaftkvClient build() {
      ClientSettings settings = new ClientSettings(timeout, connectTimeout, backoffInitial, backoffMax, retryAfterMax,
          attemptsMax, bodyBytesMax, exactlyOnce);
      if (httpClient != null && caCertificate != null) {
        throw new IllegalArgumentException("give caCertificate or httpClient, not both: the HTTP client brings its own trust");
      }
      HttpClient http = httpClient;
      if (http == null) {
        HttpClient.Builder b = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // the gateway speaks HTTP/1.1; no h2c upgrade round trip
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
        if (caCertificate != null) {
          b.sslContext(TlsContexts.forClient(caCertificate, Optional.empty(), Optional.empty()))
              .sslParameters(new SSLParameters(null, TlsContexts.PROTOCOLS.toArray(String[]::new)));
        }
        http = b.build();
      }
      RetryingCaller caller = new RetryingCaller(http, nodes, settings, random != null ? random : new Random(),
          token == null ? null : "Bearer " + token);
      return new RaftkvClient(caller, exactlyOnce ? new WriteSession() : null, timeout);
    }
  }
}
