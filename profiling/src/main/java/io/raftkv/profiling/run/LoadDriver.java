package io.raftkv.profiling.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Drives one bounded load phase against the cluster and reports what the client saw. */
public interface LoadDriver {
  /** Runs the phase for {@code duration}, writing its report under {@code reportDir}, passing one short line at a time to {@code progress}. */
  LoadResult run(String phase, Duration duration, Path reportDir, Consumer<String> progress) throws IOException;
}
