package io.raftkv.profiling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.cli.RaftkvCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code raftkv top} attached to this very JVM while one thread spins in a method of ours. */
class TopCommandTest {
  private static volatile long sink;

  /** Burns CPU until told to stop; the frame {@code top} must find. */
  static void spinForTop(AtomicBoolean stop) {
    long x = 0;
    while (!stop.get()) {
      for (int i = 0; i < 100_000; i++) x += i * 31L ^ (x >>> 3);
      sink = x;
    }
  }

  @Test
  void showsTheHottestFrameOfARunningJvm() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread spinner = new Thread(() -> spinForTop(stop), "spinner");
    spinner.start();
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = RaftkvCli.execute("top", "--pid", Long.toString(ProcessHandle.current().pid()), "--interval", "1s", "--count", "2", "--top", "5");
    } finally {
      System.setOut(out);
      stop.set(true);
      spinner.join();
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, text);
    assertEquals(2, text.split("cpu samples in the last 1 s", -1).length - 1, text);
    assertTrue(text.contains("TopCommandTest.spinForTop"), text);
  }

  @Test
  void refusesBadUsage() {
    assertEquals(2, RaftkvCli.execute("top"));
    assertEquals(2, RaftkvCli.execute("top", "--pid", "1", "--node", "1"));
    assertEquals(4, RaftkvCli.execute("top", "--pid", "999999999"));
  }
}
