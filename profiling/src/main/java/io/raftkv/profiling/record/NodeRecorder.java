package io.raftkv.profiling.record;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts and stops async-profiler sessions in one node's JVM, writing JFR files. */
public final class NodeRecorder {
  private final Asprof asprof;
  private final int nodeId;
  private final long pid;

  public NodeRecorder(Asprof asprof, int nodeId, long pid) {
    this.asprof = asprof;
    this.nodeId = nodeId;
    this.pid = pid;
  }

  public int nodeId() {
    return nodeId;
  }

  public long pid() {
    return pid;
  }

  /**
   * Starts a session writing {@code jfr}; with {@code jfrSettings}, a JDK Flight Recording with those
   * settings runs in step with it and lands in the same file.
   */
  public Asprof.Result start(List<String> sessionOptions, Path jfr, Path jfrSettings) throws IOException {
    List<String> options = new ArrayList<>(sessionOptions);
    if (jfrSettings != null) options.addAll(List.of("--jfrsync", jfrSettings.toAbsolutePath().toString()));
    options.addAll(List.of("-f", jfr.toAbsolutePath().toString()));
    return asprof.run("start", options, pid);
  }

  /** Stops the session and writes its file. */
  public Asprof.Result stop(Path jfr) throws IOException {
    return asprof.run("stop", List.of("-f", jfr.toAbsolutePath().toString()), pid);
  }

  /** Dumps the session's samples so far as collapsed stacks, without stopping it. */
  public Asprof.Result dumpCollapsed(Path out) throws IOException {
    return asprof.run("dump", List.of("-o", "collapsed", "-f", out.toAbsolutePath().toString()), pid);
  }
}
