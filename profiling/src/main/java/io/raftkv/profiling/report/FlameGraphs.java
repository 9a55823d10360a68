package io.raftkv.profiling.report;

import io.raftkv.profiling.record.EventPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import one.convert.Arguments;
import one.convert.FlameGraph;
import one.convert.Main;

/**
 * Flame graphs and collapsed stacks from JFR recordings, through async-profiler's converter (bundled
 * in ap-loader), called in this JVM: one HTML flame graph per event, the same stacks in the collapsed
 * text format that Brendan Gregg's flamegraph.pl and speedscope read, and differential graphs.
 */
public final class FlameGraphs {
  private FlameGraphs() {}

  /** An HTML flame graph of {@code event}'s samples in {@code jfr}. */
  public static void html(Path jfr, String event, Path out, String title) throws IOException {
    Main.convert(jfr.toString(), out.toString(), arguments(event, "html", title));
  }

  /** {@code event}'s samples in {@code jfr} as collapsed stacks: one line per stack, frames joined by ';', then the count. */
  public static void collapsed(Path jfr, String event, Path out) throws IOException {
    Main.convert(jfr.toString(), out.toString(), arguments(event, "collapsed", null));
  }

  /**
   * A differential flame graph: the frames of {@code current}, coloured by how their share changed
   * against {@code baseline} (red grew, blue shrank), as async-profiler's {@code --diff} draws it.
   */
  public static void diff(Path baseline, Path current, String event, Path out, String title) throws IOException {
    Arguments args = arguments(event, "html", title);
    args.diff = true;
    FlameGraph before = Main.parseFlameGraph(baseline.toString(), args);
    FlameGraph after = Main.parseFlameGraph(current.toString(), args);
    after.diff(before);
    try (OutputStream o = Files.newOutputStream(out)) {
      after.dump(o);
    }
  }

  private static Arguments arguments(String event, String format, String title) {
    List<String> args = new ArrayList<>(List.of(EventPlan.converterOption(event), "-o", format));
    if (title != null) args.addAll(List.of("--title", title));
    return new Arguments(args.toArray(String[]::new));
  }
}
