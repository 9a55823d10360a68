package io.raftkv.profiling.run;

import java.nio.file.Path;

/**
 * Where a run's files go (docs/ARCHITECTURE.md, "Profiling run output"): {@code index.html},
 * {@code summary.md}, {@code summary.json}, {@code gatling/} (and {@code gatling-unrecorded/}), and per
 * node {@code node-N/<event>.html}, {@code node-N/<event>.collapsed}, {@code node-N.jfr},
 * {@code node-N.collapsed}, {@code node-N.log}; with a baseline {@code diff-node-N-<event>.html}.
 */
public record RunLayout(Path root) {
  public static final String SUMMARY_JSON = "summary.json";

  public Path index() { return root.resolve("index.html"); }
  public Path summaryMarkdown() { return root.resolve("summary.md"); }
  public Path summaryJson() { return root.resolve(SUMMARY_JSON); }
  public Path gatling(String phase) { return root.resolve(phase.equals("recorded") ? "gatling" : "gatling-" + phase); }
  public Path nodeDir(int id) { return root.resolve("node-" + id); }
  public Path nodeJfr(int id) { return root.resolve("node-" + id + ".jfr"); }
  public Path nodeCollapsed(int id) { return root.resolve("node-" + id + ".collapsed"); }
  public Path nodeLog(int id) { return root.resolve("node-" + id + ".log"); }
  public Path extraJfr(int id, String event) { return nodeDir(id).resolve(fileSafe(event) + ".jfr"); }
  public Path flameGraph(int id, String event) { return nodeDir(id).resolve(fileSafe(event) + ".html"); }
  public Path collapsed(int id, String event) { return nodeDir(id).resolve(fileSafe(event) + ".collapsed"); }
  public Path perfStat(int id) { return nodeDir(id).resolve("perf-stat.csv"); }
  public Path diff(int id, String event) { return root.resolve("diff-node-" + id + "-" + fileSafe(event) + ".html"); }
  public Path clusterWork() { return root.resolve("cluster"); }
  public Path settingsDir() { return root.resolve("settings"); }

  /** An event name as a file name: perf events may hold ':' or '/'. */
  static String fileSafe(String event) {
    return event.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
