package io.raftkv.profiling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raftkv.profiling.run.Directories;
import io.raftkv.profiling.run.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A 3-node etcd on loopback, started for one benchmark and stopped after it: data directories
 * under the run's folder (the same disk as raftkv's), etcd's defaults otherwise, so every write is
 * fsynced to its WAL before it is acknowledged, as raftkv's is. Reached through etcd's JSON gateway.
 */
public final class EtcdCluster implements BenchTarget {
  /** Node {@code i} (1-based) listens for clients on {@code i * 10000 + 2379} and for peers on {@code i * 10000 + 2380}. */
  static final int CLIENT_PORT = 2379;
  static final int PEER_PORT = 2380;
  /** How long the members have to agree on a leader. */
  static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);
  /** How long a member has to stop on SIGTERM before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PORT_HINT = "is another etcd or benchmark running?";
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

  private final List<Process> processes;
  private final List<URI> clientUrls;
  private final Path workDir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(STATUS_TIMEOUT).build();

  private EtcdCluster(List<Process> processes, List<URI> clientUrls, Path workDir) {
    this.processes = processes;
    this.clientUrls = clientUrls;
    this.workDir = workDir;
  }

  /** etcd's own defaults: a 2 GiB backend quota, 1.5 MiB per request. */
  static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L << 30;
  static final long DEFAULT_MAX_REQUEST_BYTES = 3L << 19;
  /** etcd warns above 8 GiB of backend quota. */
  static final long MAX_QUOTA_BACKEND_BYTES = 8L << 30;
  /** Room beside a value in one request: the key, the lease, the JSON gateway's framing. */
  static final long REQUEST_SLACK_BYTES = 64 << 10;

  /**
   * The backend quota for a pre-fill of {@code prefillBytes}: four times it, between etcd's default
   * and 8 GiB. etcd's database holds more than the keys and values (its b+tree's pages), and keeps
   * every revision of a key until compacted, which nothing does during a run: each put of the
   * workloads adds one. Past its quota etcd refuses every put (NOSPACE) and the run's numbers would
   * be refusals.
   */
  static long quotaBackendBytes(long prefillBytes) {
    return Math.max(DEFAULT_QUOTA_BACKEND_BYTES, Math.min(MAX_QUOTA_BACKEND_BYTES, 4 * prefillBytes));
  }

  /** The request bound for values of {@code valueBytes}: etcd's default, or the value and its slack when larger. */
  static long maxRequestBytes(int valueBytes) {
    return Math.max(DEFAULT_MAX_REQUEST_BYTES, valueBytes + REQUEST_SLACK_BYTES);
  }

  /** Starts {@code count} members with etcd's defaults. */
  public static EtcdCluster start(Path etcd, int count, Path workDir, Consumer<String> progress) throws IOException {
    return start(etcd, count, workDir, DEFAULT_QUOTA_BACKEND_BYTES, DEFAULT_MAX_REQUEST_BYTES, progress);
  }

  /**
   * Starts {@code count} members with {@code etcd} (a path), data and logs under {@code workDir},
   * a backend quota and a request bound ({@link #quotaBackendBytes}, {@link #maxRequestBytes}), and
   * waits for a leader.
   */
  public static EtcdCluster start(Path etcd, int count, Path workDir, long quotaBackendBytes, long maxRequestBytes, Consumer<String> progress)
      throws IOException {
    Files.createDirectories(workDir);
    StringBuilder initial = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      Ports.requireFree("127.0.0.1", clientPort(i), "etcd member " + i + "'s client port", PORT_HINT);
      Ports.requireFree("127.0.0.1", peerPort(i), "etcd member " + i + "'s peer port", PORT_HINT);
      if (i > 1) initial.append(',');
      initial.append(name(i)).append("=http://127.0.0.1:").append(peerPort(i));
    }
    List<Process> processes = new ArrayList<>();
    List<URI> urls = new ArrayList<>();
    EtcdCluster cluster = new EtcdCluster(processes, urls, workDir);
    try {
      for (int i = 1; i <= count; i++) {
        String client = "http://127.0.0.1:" + clientPort(i);
        String peer = "http://127.0.0.1:" + peerPort(i);
        Path log = workDir.resolve(name(i) + ".log");
        Process p = new ProcessBuilder(etcd.toString(), "--name", name(i), "--data-dir", workDir.resolve(name(i)).toString(),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", initial.toString(), "--initial-cluster-state", "new", "--initial-cluster-token", "raftkv-bench",
            "--quota-backend-bytes", Long.toString(quotaBackendBytes), "--max-request-bytes", Long.toString(maxRequestBytes),
            "--logger", "zap", "--log-level", "warn")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        urls.add(URI.create(client));
        progress.accept("etcd member " + i + " starting: pid " + p.pid() + ", log " + log);
      }
      cluster.awaitLeader();
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  static int clientPort(int i) {
    return i * 10000 + CLIENT_PORT;
  }

  static int peerPort(int i) {
    return i * 10000 + PEER_PORT;
  }

  private static String name(int i) {
    return "etcd-" + i;
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public List<NodeProcess> nodes() {
    List<NodeProcess> out = new ArrayList<>();
    for (int i = 0; i < processes.size(); i++) out.add(new NodeProcess(name(i + 1), processes.get(i).pid()));
    return out;
  }

  @Override
  public String encodeKey(String key) {
    return base64(key);
  }

  @Override
  public RequestTemplate put(String value) {
    return new RequestTemplate("POST", "/v3/kv/put", Map.of("Content-Type", "application/json"),
        "{\"key\":\"" + RequestTemplate.KEY + "\",\"value\":\"" + base64(value) + "\"}");
  }

  /** etcd's range is linearizable unless the request asks for {@code serializable}. */
  @Override
  public RequestTemplate get() {
    return new RequestTemplate("POST", "/v3/kv/range", Map.of("Content-Type", "application/json"), "{\"key\":\"" + RequestTemplate.KEY + "\"}");
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public URI leaderUrl() throws IOException {
    return leader().orElseThrow(() -> new IOException("the etcd members name no common leader; see the logs in " + workDir));
  }

  /** The client URL of the member every member names as leader, if they agree. */
  Optional<URI> leader() {
    String agreed = null;
    URI leaderUrl = null;
    for (URI url : clientUrls) {
      Optional<JsonNode> status = status(url);
      if (status.isEmpty()) return Optional.empty();
      String leader = status.get().path("leader").asText("");
      if (leader.isEmpty() || leader.equals("0") || (agreed != null && !agreed.equals(leader))) return Optional.empty();
      agreed = leader;
      if (leader.equals(status.get().path("header").path("member_id").asText())) leaderUrl = url;
    }
    return Optional.ofNullable(leaderUrl);
  }

  private Optional<JsonNode> status(URI url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/v3/maintenance/status")).timeout(STATUS_TIMEOUT)
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void awaitLeader() throws IOException {
    long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
    while (leader().isEmpty()) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          throw new IOException("etcd member " + (i + 1) + " exited " + processes.get(i).exitValue() + "; see " + workDir.resolve(name(i + 1) + ".log"));
        }
      }
      if (System.nanoTime() > deadline) throw new IOException("the etcd members agreed on no leader within " + LEADER_TIMEOUT.toSeconds() + " s");
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // poll the status endpoint until the deadline
    }
  }

  /** Stops every member (SIGTERM, then SIGKILL after the grace) and removes the data directories. */
  @Override
  public void close() throws IOException {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    for (int i = 1; i <= processes.size(); i++) Directories.deleteTree(workDir.resolve(name(i)));
  }

}
