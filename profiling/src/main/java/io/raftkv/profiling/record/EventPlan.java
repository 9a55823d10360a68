package io.raftkv.profiling.record;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which async-profiler events a run records, and in which session. async-profiler samples one
 * execution event at a time (cpu, itimer, ctimer, or a perf event such as page-faults or
 * cache-misses), alongside any of the allocation, lock and wall-clock profilers. So the first
 * execution event and every companion event share the main session; each further execution event
 * needs a session, and a load phase, of its own.
 *
 * @param execution the main session's execution event, if any was asked for
 * @param companions alloc, lock, wall, nativemem or nativelock: recorded in the main session
 * @param extraExecutions execution events beyond the first, one extra load phase each
 */
public record EventPlan(Optional<String> execution, List<String> companions, List<String> extraExecutions) {
  /** Events that run beside an execution event in one session, with their sampling interval. */
  private static final List<String> COMPANIONS = List.of("alloc", "lock", "wall", "nativemem", "nativelock");
  private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.:/\\-]*");
  public static final List<String> DEFAULT = List.of("cpu", "alloc", "lock", "wall");

  public EventPlan {
    companions = List.copyOf(companions);
    extraExecutions = List.copyOf(extraExecutions);
    if (execution.isEmpty() && companions.isEmpty()) throw new IllegalArgumentException("no event to record");
  }

  /** The plan for events named on the command line, in their order; a bad or repeated name is refused. */
  public static EventPlan of(List<String> events) {
    if (events.isEmpty()) throw new IllegalArgumentException("--events names no event");
    Set<String> seen = new LinkedHashSet<>();
    for (String raw : events) {
      String event = raw.trim();
      if (!EVENT_NAME.matcher(event).matches()) {
        throw new IllegalArgumentException("'" + raw + "' is not an async-profiler event name (e.g. cpu, alloc, lock, wall, page-faults)");
      }
      if (!seen.add(event)) throw new IllegalArgumentException("event '" + event + "' is named twice");
    }
    List<String> executions = new ArrayList<>();
    List<String> companions = new ArrayList<>();
    for (String e : seen) (COMPANIONS.contains(e) ? companions : executions).add(e);
    Optional<String> main = executions.isEmpty() ? Optional.empty() : Optional.of(executions.get(0));
    return new EventPlan(main, companions, executions.isEmpty() ? List.of() : executions.subList(1, executions.size()));
  }

  /** The events of the main session, in the order their flame graphs are listed. */
  public List<String> mainEvents() {
    List<String> all = new ArrayList<>();
    execution.ifPresent(all::add);
    all.addAll(companions);
    return all;
  }

  /** asprof options that start the main session. */
  public List<String> mainSessionOptions() {
    List<String> options = new ArrayList<>();
    List<String> rest = new ArrayList<>(companions);
    // asprof needs an -e; without an execution event the first companion takes that place.
    String primary = execution.orElseGet(() -> rest.remove(0));
    options.addAll(List.of("-e", primary));
    if (execution.isEmpty() && primary.equals("wall")) options.addAll(List.of("-i", WALL_INTERVAL));
    for (String c : rest) options.addAll(List.of("--" + c, intervalOf(c)));
    return options;
  }

  /** asprof options for one extra execution event's session. */
  public static List<String> extraSessionOptions(String event) {
    return List.of("-e", event);
  }

  private static final String WALL_INTERVAL = "20ms";

  /**
   * Sampling intervals, chosen for a few seconds to minutes of load: allocation every 512 KiB (about
   * one TLAB), locks contended for 1 µs or more (raftkv's own locks are held briefly), every thread's stack every 20 ms of wall time.
   */
  private static String intervalOf(String companion) {
    return switch (companion) {
      case "alloc" -> "512k";
      case "lock" -> "1us";
      case "wall" -> WALL_INTERVAL;
      case "nativemem" -> "1m";
      case "nativelock" -> "10us";
      default -> throw new IllegalArgumentException(companion);
    };
  }

  /** The converter option that selects an event's samples in a recording. */
  public static String converterOption(String event) {
    return switch (event) {
      case "alloc" -> "--alloc";
      case "lock" -> "--lock";
      case "wall" -> "--wall";
      case "nativemem" -> "--nativemem";
      case "nativelock" -> "--nativelock";
      default -> "--cpu"; // every execution event is written as execution samples
    };
  }
}
