package io.raftkv.profiling.run;

import io.raftkv.profiling.record.EventPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one profiling run needs, checked before anything starts (see {@code raftkv profile --help}).
 *
 * @param simulation put, mixed, read-heavy or stress
 * @param rate arrival rate in users per second (open model), or null for {@code users} concurrent users
 * @param opsPerUser operations per user, or null for as many as fit in {@code duration}
 * @param nodes how many members of the cluster file a fresh cluster has, or null for all of them
 * @param target {@code all}: load spread over every node's gateway; {@code leader}: the leader's only
 * @param overheadPhase whether an unrecorded phase runs first, to measure what recording costs
 * @param warmup unmeasured load before the first phase, so that both phases run on compiled code; zero for none
 */
public record ProfileSettings(String simulation, int users, Double rate, Integer opsPerUser, Duration duration,
                              Integer nodes, EventPlan events, boolean attach, Path baseline, Path out,
                              Path clusterFile, Path configFile, Path runDir, String target, int keySpace,
                              Integer valueSize, int topFrames, boolean overheadPhase, Duration warmup, boolean secure) {
  public static final List<String> SIMULATIONS = List.of("put", "mixed", "read-heavy", "stress");
  public static final int USERS_MAX = 10_000;
  public static final Duration DURATION_MAX = Duration.ofHours(1);
  public static final int TOP_FRAMES_MAX = 100;

  /** Refuses bad combinations with a message that names the option. */
  public ProfileSettings {
    if (!SIMULATIONS.contains(simulation)) throw new IllegalArgumentException("--sim must be one of " + SIMULATIONS + ", got '" + simulation + "'");
    if (users < 1 || users > USERS_MAX) throw new IllegalArgumentException("--users must be 1.." + USERS_MAX + ", got " + users);
    if (rate != null && !(rate > 0)) throw new IllegalArgumentException("--rate must be a positive number of users per second, got " + rate);
    if (opsPerUser != null && opsPerUser < 1) throw new IllegalArgumentException("--ops must be positive, got " + opsPerUser);
    if (duration.compareTo(DURATION_MAX) > 0) throw new IllegalArgumentException("--duration must be at most " + DURATION_MAX.toMinutes() + " minutes");
    if (duration.toMillis() < 1000) throw new IllegalArgumentException("--duration must be at least 1s");
    if (warmup.isNegative() || warmup.compareTo(DURATION_MAX) > 0) throw new IllegalArgumentException("--warmup must be 0 to " + DURATION_MAX.toMinutes() + " minutes");
    if (!warmup.isZero() && warmup.toMillis() < 1000) throw new IllegalArgumentException("--warmup must be 0 or at least 1s");
    if (attach && nodes != null) throw new IllegalArgumentException("--nodes applies to a cluster the run starts; with --attach every running node is recorded");
    if (attach && secure) throw new IllegalArgumentException("--secure applies to a cluster the run starts; with --attach a cluster that"
        + " 'raftkv up --secure' started is recorded over HTTPS with its admin token");
    if (nodes != null && nodes < 1) throw new IllegalArgumentException("--nodes must be positive, got " + nodes);
    if (!List.of("all", "leader").contains(target)) throw new IllegalArgumentException("--target must be all or leader, got '" + target + "'");
    if (keySpace < 1) throw new IllegalArgumentException("--keys must be positive, got " + keySpace);
    if (valueSize != null && (valueSize < 1 || valueSize > 1 << 20)) throw new IllegalArgumentException("--value-size must be 1..1048576 bytes, got " + valueSize);
    if (topFrames < 1 || topFrames > TOP_FRAMES_MAX) throw new IllegalArgumentException("--top must be 1.." + TOP_FRAMES_MAX + ", got " + topFrames);
    if (!Files.isRegularFile(clusterFile)) throw new IllegalArgumentException("cluster file " + clusterFile + " does not exist");
    if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException("config file " + configFile + " does not exist");
    if (baseline != null && !Files.isRegularFile(baseline.resolve(RunLayout.SUMMARY_JSON))) {
      throw new IllegalArgumentException("--baseline " + baseline + " is not a profiling run (it has no " + RunLayout.SUMMARY_JSON + ")");
    }
    if (out != null && Files.isDirectory(out) && !isEmpty(out)) throw new IllegalArgumentException("--out " + out + " exists and is not empty");
  }

  private static boolean isEmpty(Path dir) {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
