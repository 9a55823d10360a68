package io.raftkv.stress;

import io.raftkv.check.OpType;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvAccessDeniedException;
import io.raftkv.client.RaftkvException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The seed's stress tester: the put test, then the mixed test (70% put, 30% get), each with
 * {@code threads} threads doing {@code opsPerThread} operations one after the other, every thread
 * through a session of its own. Prints a progress line to {@code err} every interval and each
 * test's summary to {@code out}. Bounded: the operations are counted, each has the client's
 * deadline, and no operation starts after {@code durationMax}.
 *
 * <p>With a history file, every operation is recorded for the linearizability checker, the thread
 * number being the process id.
 */
public final class StressRunner {
  private final StressConfig config;
  private final RaftkvClient client;
  private final PrintStream out;
  private final PrintStream err;

  public StressRunner(StressConfig config, RaftkvClient client, PrintStream out, PrintStream err) {
    this.config = config;
    this.client = client;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs both tests.
   *
   * @throws IOException when the history file cannot be created or written
   * @throws RaftkvAccessDeniedException at the first 401 or 403: every later request would be refused
   *     too, so the run ends rather than counting them as errors
   */
  public StressReport run() throws IOException {
    long deadline = System.nanoTime() + config.durationMax().toNanos();
    RaftkvClient[] clients = new RaftkvClient[config.threads()];
    for (int t = 0; t < clients.length; t++) {
      clients[t] = client.withNewSession(); // one session per thread: one write in flight per session
    }
    int nodes = client.nodes().size();
    out.println("stress: " + nodes + (nodes == 1 ? " node, " : " nodes, ") + config.threads() + " threads x "
        + config.opsPerThread() + " ops per test, seed " + config.seed()
        + (config.valueBytes().isPresent() ? ", values of " + config.valueBytes().getAsInt() + " bytes" : "")
        + (config.history() != null ? ", history " + config.history() : ""));
    List<PhaseResult> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(config.threads(), daemon("raftkv-stress"));
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("raftkv-stress-progress"));
    try (HistoryRecorder history = config.history() == null ? HistoryRecorder.none()
        : HistoryRecorder.to(config.history())) {
      for (Workload workload : Workload.values()) {
        if (System.nanoTime() - deadline >= 0) {
          out.println(workload.label() + " test: skipped, the --duration-max cap of " + config.durationMax()
              + " was reached");
          break;
        }
        PhaseResult result = phase(workload, clients, history, pool, ticker, deadline);
        results.add(result);
        out.print(result.summary(config.threads()));
        out.flush();
      }
    } finally {
      pool.shutdownNow();
      ticker.shutdownNow();
    }
    return new StressReport(results);
  }

  private PhaseResult phase(Workload workload, RaftkvClient[] clients, HistoryRecorder history, ExecutorService pool,
      ScheduledExecutorService ticker, long deadline) throws IOException {
    PhaseStats stats = new PhaseStats();
    long planned = (long) config.threads() * config.opsPerThread();
    ProgressReporter progress = new ProgressReporter(workload.label(), planned, stats, err, System::nanoTime);
    long interval = config.progressInterval().toNanos();
    ScheduledFuture<?> ticks = ticker.scheduleWithFixedDelay(progress::tick, interval, interval, TimeUnit.NANOSECONDS);
    long start = System.nanoTime();
    List<Future<?>> threads = new ArrayList<>();
    for (int t = 0; t < config.threads(); t++) {
      int thread = t;
      threads.add(pool.submit(() -> runThread(workload, thread, clients[thread], stats, history, deadline)));
    }
    try {
      for (Future<?> f : threads) {
        f.get(); // bounded: every operation has the client's deadline, none starts after the cap
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      threads.forEach(f -> f.cancel(true));
      throw new IllegalStateException("interrupted while the " + workload.label() + " test ran", e);
    } catch (ExecutionException e) {
      threads.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof java.io.UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RaftkvAccessDeniedException denied) {
        throw denied;
      }
      throw new IllegalStateException("a " + workload.label() + " thread failed: " + e.getCause(), e.getCause());
    } finally {
      ticks.cancel(false);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    progress.finish();
    return new PhaseResult(workload, planned, stats.ok(), stats.errorKinds(), elapsed, stats.latencies(),
        stats.wasStopped());
  }

  private void runThread(Workload workload, int thread, RaftkvClient client, PhaseStats stats, HistoryRecorder history,
      long deadline) {
    // seeded per test and thread, so a seed repeats the same keys, choices and values
    Random random = new Random(config.seed() * 31 + workload.ordinal() * 1_000_003L + thread);
    for (int op = 0; op < config.opsPerThread(); op++) {
      if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        stats.stopped();
        return;
      }
      String key = Workload.key(thread, op);
      if (workload.nextIsPut(random)) {
        String value = config.valueBytes().isPresent() ? Workload.value(random, config.valueBytes().getAsInt()) : Workload.value(random);
        put(thread, client, key, value, stats, history);
      } else {
        get(thread, client, key, stats, history);
      }
    }
  }

  private static void put(int thread, RaftkvClient client, String key, String value, PhaseStats stats,
      HistoryRecorder history) {
    history.invoke(thread, OpType.PUT, key, value);
    long start = System.nanoTime();
    try {
      client.put(key, value.getBytes(StandardCharsets.UTF_8));
      long latency = System.nanoTime() - start;
      history.ok(thread, OpType.PUT, key);
      stats.ok(latency);
    } catch (RaftkvAccessDeniedException e) {
      history.failed(thread, OpType.PUT, key, false); // refused before it was applied
      throw e;
    } catch (RaftkvException e) {
      history.failed(thread, OpType.PUT, key, e.mayHaveTakenEffect());
      stats.error(e);
    }
  }

  private static void get(int thread, RaftkvClient client, String key, PhaseStats stats, HistoryRecorder history) {
    history.invoke(thread, OpType.GET, key, null);
    long start = System.nanoTime();
    try {
      Optional<byte[]> value = client.get(key);
      long latency = System.nanoTime() - start;
      history.okGet(thread, key, value.map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null));
      stats.ok(latency);
    } catch (RaftkvAccessDeniedException e) {
      history.failed(thread, OpType.GET, key, false); // refused before it was applied
      throw e;
    } catch (RaftkvException e) {
      history.failed(thread, OpType.GET, key, false); // a read has no effect
      stats.error(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true); // never keeps the JVM alive after the command returned
      return t;
    };
  }
}
