package io.raftkv.profiling.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftkv.cli.CliExtension;
import io.raftkv.cli.DurationConverter;
import io.raftkv.cli.ExitCodes;
import io.raftkv.profiling.analysis.JfrAnalyzer;
import io.raftkv.profiling.analysis.JfrReport;
import io.raftkv.profiling.jmc.AutomatedAnalysis;
import io.raftkv.profiling.jmc.JmcRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv jfr FILE}: what a JFR recording holds, summarised (docs/PROFILING.md). */
@Command(
    name = "jfr",
    mixinStandardHelpOptions = true,
    description = {
      "Summarises a JFR recording: where the time goes, locks, GC, fsyncs, Raft's events.",
      "FILE may be one that `raftkv profile` wrote for a node (async-profiler",
      "samples merged with the JDK's events), a plain JDK recording (-XX:StartFlightRecording, jcmd JFR.start),",
      "or any other .jfr file. Sections, each present even when the recording lacks its events:",
      "  CPU samples   jdk.ExecutionSample: samples per area (network and serialization, storage and",
      "                persistence, concurrency, Raft and the state machine, JVM runtime, other), of all",
      "                and of raftkv's own samples (all but the JVM runtime's), top frames by self and",
      "                total samples, top frames of raftkv's own samples, threads",
      "  Allocation    sampled bytes by raftkv allocation site and by class",
      "  Wall clock    profiler.WallClockSample (async-profiler --wall)",
      "  Locks         jdk.JavaMonitorEnter by monitor class, jdk.ThreadPark by the object parked on",
      "  GC            collections, total and longest pause, heap after GC",
      "  fsync         raftkv.JournalSync: RocksDB's WAL syncs per store, during the recording, and their",
      "                mean latency; jdk.FileForce (FileChannel.force from Java): count, total, p50, p99, max",
      "  Socket I/O    jdk.SocketRead, jdk.SocketWrite: events, bytes, time",
      "  raftkv events every other raftkv.* event: count, sums of entries and bytes, p50/p99 duration",
      "  Event types   the most frequent event types",
      "With --rules, also JDK Mission Control's automated analysis: its rules (the 'Automated Analysis",
      "Results' page of JMC) run on the recording, and the ones that fire are listed with their level",
      "(information from a score of 25, warning from 75), score and finding; a rule that throws or has",
      "no result within --rules-timeout is listed as such, and the others stand.",
      "Markdown by default; --json writes the same figures as JSON."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:summary printed", "2:bad usage, or FILE missing, unreadable or not a JFR recording"})
public final class JfrCommand implements Callable<Integer>, CliExtension {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(paramLabel = "FILE", description = "the JFR recording")
  Path file;

  @Option(names = "--top", paramLabel = "N", defaultValue = "" + JfrAnalyzer.DEFAULT_TOP,
      description = "entries in each top list (default: ${DEFAULT-VALUE})")
  int top;

  @Option(names = "--json", description = "print JSON instead of Markdown")
  boolean json;

  @Option(names = "--rules", description = "also run JDK Mission Control's automated analysis and list the rules that fire")
  boolean rules;

  @Option(names = "--rules-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "time limit of --rules, loading the recording included (default: ${DEFAULT-VALUE})")
  Duration rulesTimeout;

  public JfrCommand() {}

  @Override
  public Integer call() {
    if (top < 1) {
      return fail("--top must be at least 1, not " + top);
    }
    if (!Files.exists(file)) {
      return fail(file + ": no such file");
    }
    if (Files.isDirectory(file)) {
      return fail(file + ": is a directory, not a JFR recording");
    }
    if (!Files.isReadable(file)) {
      return fail(file + ": cannot be read");
    }
    JfrReport report;
    try {
      report = JfrAnalyzer.analyze(file, top);
    } catch (IOException | RuntimeException e) {
      // RecordingFile answers a file that is not JFR, or is cut short, with IOException
      return fail(file + ": not a readable JFR recording (" + e.getMessage() + ")");
    }
    AutomatedAnalysis analysis = rules ? JmcRules.analyze(file, rulesTimeout) : null;
    if (json) {
      System.out.println(analysis == null ? report.toJson() : withAnalysis(report, analysis));
    } else {
      System.out.print(report.toMarkdown(file.getFileName().toString()));
      if (analysis != null) {
        System.out.print("### JDK Mission Control's automated analysis\n\n" + analysis.toMarkdown());
      }
    }
    System.out.flush();
    return ExitCodes.OK;
  }

  /** The report's JSON with the analysis as one more field, {@code automatedAnalysis}. */
  private static String withAnalysis(JfrReport report, AutomatedAnalysis analysis) {
    try {
      ObjectNode tree = JSON.valueToTree(report);
      tree.set("automatedAnalysis", JSON.valueToTree(analysis));
      return JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int fail(String message) {
    System.err.println("raftkv jfr: " + message);
    return ExitCodes.USAGE;
  }
}
