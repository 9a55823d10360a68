package io.raftkv.profiling.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the benchmark's latest table in docs/PERFORMANCE.md: the text between the two markers is
 * replaced by the new run's; a file without the markers gets the section appended. Everything
 * else in the file (the history of each optimisation step) is left as it was.
 */
public final class PerformanceDoc {
  static final String BEGIN = "<!-- raftkv bench --vs etcd: begin (written by the command; edits here are replaced) -->";
  static final String END = "<!-- raftkv bench --vs etcd: end -->";
  static final String HEADING = "## raftkv against etcd: the latest run of `raftkv bench --vs etcd`";

  private PerformanceDoc() {}

  /** Writes {@code section} between the markers of {@code file}, creating the file or the markers as needed. */
  public static void update(Path file, String section) throws IOException {
    String block = BEGIN + "\n" + section.strip() + "\n" + END;
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Performance\n";
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String updated;
    if (begin >= 0 && end > begin) {
      updated = text.substring(0, begin) + block + text.substring(end + END.length());
    } else if (begin >= 0 || end >= 0) {
      throw new IOException(file + " has only one of the two raftkv bench markers; restore both or remove the one left");
    } else {
      updated = text.stripTrailing() + "\n\n" + HEADING + "\n\n" + block + "\n";
    }
    if (file.getParent() != null) Files.createDirectories(file.getParent());
    Files.writeString(file, updated, StandardCharsets.UTF_8);
  }
}
