package io.raftkv.profiling.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line that says which machine a run was measured on: CPU model, cores, memory, kernel, JDK. */
public final class Machine {
  private Machine() {}

  public static String describe() {
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal")
        .map(v -> String.format("%.1f GiB", Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).orElse("? GiB");
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + mem + " RAM, "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java " + System.getProperty("java.version");
  }

  private static java.util.Optional<String> firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) return java.util.Optional.of(line.substring(line.indexOf(':') + 1).trim());
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: say less
    }
    return java.util.Optional.empty();
  }
}
