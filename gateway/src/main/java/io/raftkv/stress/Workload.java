package io.raftkv.stress;

import java.util.Locale;
import java.util.Random;

/** The seed's two tests: every thread writes {@code key_<thread>_<op>}, or mixes writes and reads of it. */
public enum Workload {
  /** Every operation a put of {@code key_<thread>_<op>} = {@code value_<1000..9999>}. */
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

  static String value(Random random) {
    return "value_" + (1000 + random.nextInt(9000));
  }
}
