package io.raftkv.debug;

import io.raftkv.jfr.PersistEvent;
import io.raftkv.raft.jfr.AppendBatchEvent;
import io.raftkv.raft.jfr.ApplyEvent;
import io.raftkv.raft.jfr.CommitAdvanceEvent;
import io.raftkv.raft.jfr.ReadIndexEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;

/**
 * The continuous recording behind {@code /debug/jfr/recent}: the last minutes of a node, kept on
 * disk within {@link DebugSettings#recentMaxAge()} and {@link DebugSettings#recentMaxBytes()}, for
 * looking back at what led to an incident. Its settings are the JDK's {@code default.jfc} (designed
 * to stay on in production, about 1% by the JDK's account) with raftkv's per-batch events held to
 * the same rule that file applies to I/O: recorded when they took {@link #SLOW} or longer.
 */
public final class RecentJfr implements AutoCloseable {
  /** default.jfc's threshold for file and socket I/O; a batch this slow is worth keeping. */
  static final String SLOW = "20 ms";

  private final Recording recording;

  private RecentJfr(Recording recording) {
    this.recording = recording;
  }

  /** Starts the node's continuous recording. */
  public static RecentJfr start(int nodeId, DebugSettings settings) throws IOException {
    Map<String, String> jfc;
    try {
      jfc = new HashMap<>(Configuration.getConfiguration("default").getSettings());
    } catch (ParseException e) {
      throw new IOException("the JDK's default.jfc does not parse: " + e.getMessage(), e);
    }
    jfc.putAll(raftkvSettings());
    Recording recording = new Recording(jfc);
    recording.setName("raftkv recent (node " + nodeId + ")");
    recording.setToDisk(true);
    recording.setMaxAge(settings.recentMaxAge());
    recording.setMaxSize(settings.recentMaxBytes());
    try {
      recording.start();
    } catch (IllegalStateException | SecurityException e) {
      recording.close();
      throw new IOException("JFR could not start the continuous recording: " + e.getMessage(), e);
    }
    return new RecentJfr(recording);
  }

  /**
   * raftkv's events that come once per batch (thousands a second under load) kept only when slow;
   * the two without a duration left out; elections, snapshots and the WAL's sync counts (rare, or
   * once a second) kept whole.
   */
  static Map<String, String> raftkvSettings() {
    Map<String, String> s = new HashMap<>();
    for (Class<? extends Event> timed : List.of(PersistEvent.class, ApplyEvent.class, ReadIndexEvent.class)) {
      s.put(name(timed) + "#threshold", SLOW);
    }
    for (Class<? extends Event> instant : List.of(AppendBatchEvent.class, CommitAdvanceEvent.class)) {
      s.put(name(instant) + "#enabled", "false");
    }
    return s;
  }

  private static String name(Class<? extends Event> event) {
    return event.getAnnotation(Name.class).value();
  }

  /** Writes what the recording holds now (the last recent-max-age, at most recent-max-size) to {@code file}. */
  public void dumpTo(Path file) throws IOException {
    try {
      recording.dump(file);
    } catch (IllegalStateException e) {
      throw new IOException("the continuous recording is not running: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    recording.close();
  }
}
