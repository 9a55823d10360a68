package io.raftkv.stress;

import java.util.Locale;
import java.util.Random;

/** The seed's two tests: every thread writes {@code key_<thread>_<op>}, or mixes writes and reads of it. */
public enum Workload {
  /** Every operation a put of {@code key_<thread>_<op>} = {@code value_<1000..9999>} (or that padded to a size). */
  PUT(100),
  /** 70% puts as above, 30% gets of {@code key_<thread>_<op>}. */
  MIXED(70);

  private final int putPercent;

  Workload(int putPercent) {
    this.putPercent = putPercent;
  }

  /** Whether the next operation is a put. */
  boolean nextIsPut(Random random) {
    return putPercent == 100 || random.nextInt(100) < putPercent;
  }

  /** The test's name in output: {@code put}, {@code mixed}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static String key(int thread, int op) {
    return "key_" + thread + "_" + op;
  }

  /** The seed's value, {@code value_<1000..9999>}. */
  static String value(Random random) {
    return "value_" + (1000 + random.nextInt(9000));
  }

  /**
   * A value of exactly {@code valueBytes} ASCII bytes: the seed's value padded with dots, or, below
   * its 10 bytes, its last {@code valueBytes} characters (the digits vary first). Every value is
   * still one of the seed's 9,000, so a history's values stay as distinguishable as the seed's.
   *
   * @throws IllegalArgumentException if {@code valueBytes} is below 1
   */
  static String value(Random random, int valueBytes) {
    if (valueBytes < 1) throw new IllegalArgumentException("valueBytes must be >= 1: " + valueBytes);
    String seed = value(random);
    if (valueBytes <= seed.length()) return seed.substring(seed.length() - valueBytes);
    StringBuilder padded = new StringBuilder(valueBytes).append(seed);
    while (padded.length() < valueBytes) padded.append('.');
    return padded.toString();
  }
}
