package io.raftkv.profiling.cli;

import io.raftkv.cli.DurationConverter;
import java.time.Duration;
import picocli.CommandLine;

/** A warm-up length: {@code 0} for none, or a positive duration such as {@code 10s}. */
final class WarmupConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    return text.trim().matches("0+(\\.0*)?\\s*(ms|s|m|h)?") ? Duration.ZERO : new DurationConverter().convert(text);
  }
}
