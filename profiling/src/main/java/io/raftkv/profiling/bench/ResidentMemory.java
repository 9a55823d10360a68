package io.raftkv.profiling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/** A process's resident memory (VmRSS in /proc), in MiB. */
public final class ResidentMemory {
  private ResidentMemory() {}

  /** The resident set of {@code pid} in MiB, or empty if the process is gone or this is not Linux. */
  public static OptionalDouble mib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) return OptionalDouble.of(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
      }
    } catch (IOException | RuntimeException e) {
      // gone, or no /proc: nothing to report
    }
    return OptionalDouble.empty();
  }
}
