package io.raftkv.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A positive duration from the command line: {@code 500ms}, {@code 10s}, {@code 1.5s},
 * {@code 2m}, {@code 1h}, a plain number of seconds, or ISO-8601 ({@code PT10S}).
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  @Override
  public Duration convert(String text) {
    Duration d = parse(text.trim().toLowerCase(Locale.ROOT));
    if (d == null || d.isZero() || d.isNegative()) {
      throw new CommandLine.TypeConversionException(
          "'" + text + "' is not a positive duration such as 500ms, 10s, 2m or PT10S");
    }
    return d;
  }

  private static Duration parse(String text) {
    Matcher m = SIMPLE.matcher(text);
    if (m.matches()) {
      BigDecimal amount = new BigDecimal(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      long nanosPerUnit = switch (unit) {
        case "ms" -> 1_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> 1_000_000_000L;
      };
      BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
      return nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? null : Duration.ofNanos(nanos.longValue());
    }
    try {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
