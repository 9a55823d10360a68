package io.raftkv.profiling.cli;

import io.raftkv.cli.RaftkvCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the CLI inside the test's JVM, with what it printed. */
record CliRun(int exit, String out, String err) {
  String describe() {
    return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
  }

  /** Runs {@code raftkv args...} with stdout and stderr captured (one at a time: the streams are global). */
  static synchronized CliRun of(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = RaftkvCli.execute(args);
      return new CliRun(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
