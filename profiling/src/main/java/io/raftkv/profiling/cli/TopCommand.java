package io.raftkv.profiling.cli;

import io.raftkv.cli.CliExtension;
import io.raftkv.cli.DurationConverter;
import io.raftkv.cli.ExitCodes;
import io.raftkv.cli.LocalCluster;
import io.raftkv.profiling.record.Asprof;
import io.raftkv.profiling.record.NodeRecorder;
import io.raftkv.profiling.report.CollapsedStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftkv top --node N}: the hottest frames of a running node, refreshed every few seconds (the seed's {@code perf top}). */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = {"The hottest frames of a running node, refreshed every few seconds (the seed's 'perf top').",
        "async-profiler samples the node's",
        "JVM, and every --interval the frames with the most samples in that interval are printed, by self samples",
        "(the frame was running) and by total samples (the frame was on the stack). Ctrl-C stops it, and the",
        "profiler leaves the node. The node is found by its pid file from 'raftkv up' (or give --pid)."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:done", "2:bad usage, or the profiler could not attach", "4:the node is not running"})
public final class TopCommand implements Callable<Integer>, CliExtension {
  @Option(names = "--node", paramLabel = "N", description = "the node's id in the cluster file")
  Integer node;

  @Option(names = "--pid", paramLabel = "PID", description = "any JVM's pid instead of a node's")
  Long pid;

  @Option(names = {"-f", "--cluster-file"}, defaultValue = "conf/cluster.conf", description = "the cluster layout (default: ${DEFAULT-VALUE})")
  Path clusterFile;

  @Option(names = "--run-dir", defaultValue = "run", description = "pid files of 'raftkv up' (default: ${DEFAULT-VALUE})")
  Path runDir;

  @Option(names = {"-e", "--event"}, defaultValue = "cpu", description = "what to sample: cpu, wall, alloc, lock, or a perf event (default: ${DEFAULT-VALUE})")
  String event;

  @Option(names = {"-i", "--interval"}, defaultValue = "5s", converter = DurationConverter.class,
      description = "refresh every (default: ${DEFAULT-VALUE})")
  Duration interval;

  @Option(names = {"-n", "--top"}, defaultValue = "15", description = "frames to show, 1..100 (default: ${DEFAULT-VALUE})")
  int top;

  @Option(names = "--count", paramLabel = "N", description = "stop after N refreshes (default: until Ctrl-C)")
  Integer count;

  @Override
  public Integer call() throws Exception {
    if ((node == null) == (pid == null)) return usage("give exactly one of --node and --pid");
    if (top < 1 || top > 100) return usage("--top must be 1..100");
    if (count != null && count < 1) return usage("--count must be positive");
    long target;
    if (pid != null) {
      target = pid;
      if (ProcessHandle.of(target).filter(ProcessHandle::isAlive).isEmpty()) {
        System.err.println("raftkv top: no process " + target);
        return ExitCodes.UNREACHABLE;
      }
    } else {
      LocalCluster cluster;
      try {
        cluster = new LocalCluster(clusterFile, Path.of("conf/application.conf"), runDir);
        cluster.layout().member(node);
      } catch (RuntimeException e) {
        return usage(e.getMessage());
      }
      var running = cluster.running(node);
      if (running.isEmpty()) {
        System.err.println("raftkv top: node " + node + " is not running (no live pid in " + cluster.pidFile(node) + ")");
        return ExitCodes.UNREACHABLE;
      }
      target = running.get().pid();
    }
    Asprof asprof = Asprof.extract();
    NodeRecorder recorder = new NodeRecorder(asprof, node == null ? 0 : node, target);
    Path dump = Files.createTempFile("raftkv-top", ".collapsed");
    Asprof.Result started = asprof.run("start", List.of("-e", event), target);
    if (!started.ok()) return usage("cannot sample " + event + " in pid " + target + ": " + started.error());
    AtomicBoolean stopped = new AtomicBoolean();
    Thread stopper = new Thread(() -> stop(asprof, target, stopped, dump));
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      CollapsedStacks before = CollapsedStacks.parse("");
      for (int i = 0; count == null || i < count; i++) {
        long until = System.nanoTime() + interval.toNanos();
        while (System.nanoTime() < until) LockSupport.parkNanos(until - System.nanoTime()); // the refresh period, not synchronization
        if (ProcessHandle.of(target).filter(ProcessHandle::isAlive).isEmpty()) {
          System.err.println("raftkv top: pid " + target + " exited");
          return ExitCodes.UNREACHABLE;
        }
        Asprof.Result r = recorder.dumpCollapsed(dump);
        if (!r.ok()) return usage("dump failed: " + r.error());
        CollapsedStacks now = CollapsedStacks.parse(Files.readString(dump));
        print(now.since(before));
        before = now;
      }
      return ExitCodes.OK;
    } finally {
      stop(asprof, target, stopped, dump);
      Runtime.getRuntime().removeShutdownHook(stopper);
    }
  }

  private void print(CollapsedStacks interval) {
    long total = interval.total();
    String who = node != null ? "node " + node : "pid " + pid;
    System.out.printf("%n%s  %s  %s samples in the last %d s%n", LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), who, event, this.interval.toSeconds());
    System.out.printf("%7s %7s  %s%n", "self%", "total%", "frame");
    List<CollapsedStacks.HotFrame> frames = interval.hottestBySelf(top);
    for (CollapsedStacks.HotFrame f : frames) {
      System.out.printf("%6.1f%% %6.1f%%  %s%n", pct(f.self(), total), pct(f.total(), total), f.frame());
    }
    if (frames.isEmpty()) System.out.println("  (no samples: the node was idle)");
    System.out.flush();
  }

  private static double pct(long n, long total) {
    return total == 0 ? 0 : 100.0 * n / total;
  }

  private static void stop(Asprof asprof, long target, AtomicBoolean stopped, Path dump) {
    if (!stopped.compareAndSet(false, true)) return;
    try {
      asprof.run("stop", List.of("-o", "collapsed", "-f", dump.toAbsolutePath().toString()), target);
      Files.deleteIfExists(dump);
    } catch (IOException e) {
      System.err.println("raftkv top: could not stop the profiler in pid " + target + ": " + e.getMessage());
    }
  }

  private static int usage(String message) {
    System.err.println("raftkv top: " + message);
    return ExitCodes.USAGE;
  }
}
