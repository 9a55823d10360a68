package io.raftkv.profiling.analysis;

final class Percent {
  private Percent() {}

  /** {@code part} of {@code whole} in percent, rounded to 0.1; 0 when the whole is 0. */
  static double of(long part, long whole) {
    return whole <= 0 ? 0 : Math.round(part * 1000.0 / whole) / 10.0;
  }
}
