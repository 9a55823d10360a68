package io.raftkv.profiling.load;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Gatling's console output, fed one line at a time, into one short line per status block.
 * Gatling prints a block every 5 s between lines of {@code =}: the elapsed seconds, a
 * {@code > Global | total | OK | KO} row, a row per request name, and per scenario a
 * {@code waiting: / active: / done:} line. Each block becomes e.g.
 * {@code 12 s: 48,210 requests, 0 failed, 4,012 req/s, 16 users active}, where req/s is over the
 * time since the previous block. A failed assertion line is passed on as {@code assertion failed: ...}.
 */
final class GatlingProgress {
  private static final Pattern ELAPSED = Pattern.compile("\\s(\\d+)s elapsed\\s*$");
  private static final Pattern GLOBAL = Pattern.compile("^> Global\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*([\\d,]+)");
  private static final Pattern USERS = Pattern.compile("waiting:\\s*(\\d+)\\s*/\\s*active:\\s*(\\d+)\\s*/\\s*done:\\s*(\\d+)");
  private static final Pattern ASSERTION = Pattern.compile("^.*: false \\(actual : .*\\)$");

  private long elapsed = -1;
  private long total = -1;
  private long ko;
  private long active = -1;
  private long previousElapsed;
  private long previousTotal;

  /** The summary to show for this line, if it completes a block (or is a failed assertion). */
  Optional<String> line(String line) {
    if (line.startsWith("=====")) {
      Optional<String> summary = summary();
      elapsed = -1;
      total = -1;
      active = -1;
      return summary;
    }
    Matcher m = ELAPSED.matcher(line);
    if (m.find()) {
      elapsed = Long.parseLong(m.group(1));
      return Optional.empty();
    }
    m = GLOBAL.matcher(line);
    if (m.find()) {
      total = parse(m.group(1));
      ko = parse(m.group(3));
      return Optional.empty();
    }
    m = USERS.matcher(line);
    if (m.find()) {
      active = Math.max(active, 0) + Long.parseLong(m.group(2));
      return Optional.empty();
    }
    if (ASSERTION.matcher(line).matches()) return Optional.of("assertion failed: " + line.trim());
    return Optional.empty();
  }

  private Optional<String> summary() {
    if (elapsed < 0) return Optional.empty();
    long requests = Math.max(total, 0);
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d s: %,d requests, %,d failed", elapsed, requests, ko));
    long seconds = elapsed - previousElapsed;
    if (seconds > 0) s.append(String.format(Locale.ROOT, ", %,d req/s", Math.round((requests - previousTotal) / (double) seconds)));
    if (active >= 0) s.append(String.format(Locale.ROOT, ", %d users active", active));
    previousElapsed = elapsed;
    previousTotal = requests;
    return Optional.of(s.toString());
  }

  private static long parse(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
