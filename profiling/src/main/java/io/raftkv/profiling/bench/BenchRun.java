package io.raftkv.profiling.bench;

import io.raftkv.profiling.report.Machine;
import io.raftkv.profiling.run.ProfiledCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One side-by-side benchmark: a 3-node etcd and a 3-node raftkv (and with --secure a second raftkv,
 * with TLS and API tokens) run at the same time on this machine, each pre-filled with the same keys;
 * then, workload by workload, each system gets a warm-up and a measured wrk run at its leader, the
 * systems taking turns (who goes first rotates, so none always runs on a warmer machine). One at a
 * time, instead, each system runs alone: for data that six nodes could not hold in memory at once.
 */
public final class BenchRun {
  /** Members of each system. */
  public static final int NODES = 3;

  private final BenchSettings settings;
  private final Consumer<String> progress;

  public BenchRun(BenchSettings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Starts one system's cluster. */
  private interface Starter {
    BenchTarget start() throws IOException;
  }

  /** Runs every workload on both systems and writes the table, the JSON and the doc section. */
  public BenchReport run() throws IOException {
    Tools.require(List.of(Tools.ETCD, Tools.WRK), progress);
    Wrk wrk = new Wrk(Tools.find(Tools.WRK.binary()).orElseThrow().toString());
    Files.createDirectories(settings.runDir());
    List<String> keys = keys(settings.keys());
    String value = value(settings.valueBytes(), settings.seed());
    Starter etcd = () -> EtcdCluster.start(Tools.find(Tools.ETCD.binary()).orElseThrow(), NODES, settings.runDir().resolve("etcd"),
        EtcdCluster.quotaBackendBytes(settings.prefillBytes()), EtcdCluster.maxRequestBytes(settings.valueBytes()), progress);
    Starter raftkv = () -> {
      ProfiledCluster cluster = ProfiledCluster.start(settings.clusterFile(), settings.configFile(), NODES,
          settings.runDir().resolve("raftkv"), List.of(), progress);
      if (settings.keepRaftkvData()) cluster.keepDataOnClose();
      return new RaftkvTarget(cluster);
    };
    List<Starter> starters = new ArrayList<>(List.of(raftkv));
    if (settings.secure()) {
      starters.add(() -> new RaftkvTarget(ProfiledCluster.start(settings.clusterFile(), settings.configFile(), NODES,
          settings.runDir().resolve(RaftkvTarget.SECURE), List.of(), true, BenchSettings.SECURE_PORT_OFFSET, progress)));
    }
    starters.add(etcd);
    List<BenchRow> rows = settings.oneAtATime() ? oneAtATime(wrk, starters, keys, value) : side(wrk, starters, keys, value);
    if (settings.keepRaftkvData()) {
      Path dir = settings.runDir().resolve("raftkv");
      progress.accept("raftkv's data is kept in " + dir.resolve("data") + "; start that cluster again with: ./raftkv up -f "
          + dir.resolve("cluster.conf") + " -c " + settings.configFile().toAbsolutePath() + " --run-dir " + dir);
    }
    BenchReport report = new BenchReport(rows);
    Files.writeString(settings.runDir().resolve("bench.json"), report.json(), StandardCharsets.UTF_8);
    if (settings.json().isPresent()) Files.writeString(settings.json().get(), report.json(), StandardCharsets.UTF_8);
    if (settings.doc().isPresent()) PerformanceDoc.update(settings.doc().get(), docSection(report));
    return report;
  }

  /**
   * Every system running throughout, taking turns workload by workload; who goes first rotates, so
   * that none always runs on a warmer (or more tired) machine.
   */
  private List<BenchRow> side(Wrk wrk, List<Starter> starters, List<String> keys, String value) throws IOException {
    List<BenchRow> rows = new ArrayList<>();
    List<BenchTarget> systems = new ArrayList<>();
    try {
      for (Starter s : starters) systems.add(s.start());
      Map<BenchTarget, EncodedKeys> encoded = new HashMap<>();
      for (BenchTarget t : systems) encoded.put(t, prefill(t, keys, value));
      int step = 0;
      int steps = settings.workloads().size() * systems.size();
      for (int w = 0; w < settings.workloads().size(); w++) {
        Workload workload = settings.workloads().get(w);
        for (int i = 0; i < systems.size(); i++) {
          BenchTarget t = systems.get((w + i) % systems.size());
          step++;
          rows.add(measure(wrk, t, workload, encoded.get(t), value, step, steps));
        }
      }
    } finally {
      closeAll(systems);
    }
    return rows;
  }

  /** Stops every started system, the last started first; the first failure is thrown once all are stopped. */
  private static void closeAll(List<BenchTarget> systems) throws IOException {
    IOException failed = null;
    for (int i = systems.size() - 1; i >= 0; i--) {
      try {
        systems.get(i).close();
      } catch (IOException e) {
        if (failed == null) failed = e;
        else failed.addSuppressed(e);
      }
    }
    if (failed != null) throw failed;
  }

  /** Each system alone: started, pre-filled, run through every workload and stopped before the next starts. */
  private List<BenchRow> oneAtATime(Wrk wrk, List<Starter> starters, List<String> keys, String value) throws IOException {
    List<BenchRow> rows = new ArrayList<>();
    int step = 0;
    int steps = settings.workloads().size() * starters.size();
    for (Starter starter : starters) {
      try (BenchTarget t = starter.start()) {
        EncodedKeys encoded = prefill(t, keys, value);
        for (Workload workload : settings.workloads()) {
          step++;
          rows.add(measure(wrk, t, workload, encoded, value, step, steps));
        }
        progress.accept(t.name() + ": stopping");
      }
    }
    return rows;
  }

  private EncodedKeys prefill(BenchTarget t, List<String> keys, String value) throws IOException {
    progress.accept(String.format(Locale.ROOT, "%s: pre-filling %,d keys of %d + %d bytes", t.name(), keys.size(),
        BenchSettings.KEY_BYTES, settings.valueBytes()));
    Prefill.run(t, t.leaderUrl(), keys, t.put(value), progress);
    return EncodedKeys.write(settings.runDir().resolve(t.name() + "-keys.txt"), keys, t);
  }

  /** A system's encoded keys, written once to the file every one of its scripts reads. */
  private record EncodedKeys(Path file, List<String> keys) {
    static EncodedKeys write(Path file, List<String> keys, BenchTarget t) throws IOException {
      List<String> encoded = keys.stream().map(t::encodeKey).toList();
      WrkScript.writeKeys(file, encoded);
      return new EncodedKeys(file, encoded);
    }
  }

  private BenchRow measure(Wrk wrk, BenchTarget t, Workload workload, EncodedKeys keys, String value, int step, int steps) throws IOException {
    Path script = settings.runDir().resolve(t.name() + "-" + workload.name().replace('@', '-') + ".lua");
    Files.writeString(script, WrkScript.render(workload, keys.file(), keys.keys(), t.put(value), t.get(), settings.seed()),
        StandardCharsets.UTF_8);
    URI leader = t.leaderUrl();
    String label = String.format(Locale.ROOT, "[%d/%d] %s %s at %s", step, steps, workload.name(), t.name(), leader);
    if (!settings.warmup().isZero()) {
      progress.accept(label + ": warm-up " + settings.warmup().toSeconds() + " s");
      wrk.run(leader, workload.connections(), script, settings.warmup());
    }
    progress.accept(label + ": measuring " + settings.duration().toSeconds() + " s");
    WrkResult r = wrk.run(leader, workload.connections(), script, settings.duration());
    List<Double> rss = new ArrayList<>();
    for (BenchTarget.NodeProcess n : t.nodes()) {
      OptionalDouble m = ResidentMemory.mib(n.pid());
      rss.add(m.orElse(0));
    }
    BenchRow row = BenchRow.of(workload, t.name(), r, rss);
    progress.accept(String.format(Locale.ROOT, "%s: %,.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors", label, row.throughput(), row.p50Ms(),
        row.p99Ms(), row.errors()));
    return row;
  }

  /** The section of docs/PERFORMANCE.md: when, where, how, the table and the targets. */
  String docSection(BenchReport report) {
    return "Run on " + LocalDate.now() + " on " + Machine.describe() + ", data directories on the same disk, fsync on for both.\n\n"
        + "Command: `" + settings.commandLine() + "` (each run: " + settings.warmup().toSeconds() + " s warm-up, then "
        + settings.duration().toSeconds() + " s measured; " + String.format(Locale.ROOT, "%,d", settings.keys()) + " pre-filled 16-byte keys, " + settings.valueBytes()
        + "-byte values; wrk at each system's leader, " + (settings.oneAtATime() ? "one system at a time" : "both systems running throughout")
        + ").\n\n"
        + report.table() + "\n" + "Targets:\n\n" + report.verdictList()
        + (settings.secure() ? "\nWith TLS between the nodes, HTTPS and an API token on every request (" + RaftkvTarget.SECURE
            + ", started as `raftkv up --secure` starts it), against plain raftkv in the same run:\n\n" + report.secureTable() : "");
  }

  /** {@code k} and the index in 15 digits: 16 bytes each. */
  static List<String> keys(int count) {
    List<String> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) keys.add(String.format(Locale.ROOT, "k%015d", i));
    return keys;
  }

  /** A value of {@code size} letters and digits from a seeded generator. */
  static String value(int size, long seed) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder s = new StringBuilder(size);
    for (int i = 0; i < size; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return s.toString();
  }
}
