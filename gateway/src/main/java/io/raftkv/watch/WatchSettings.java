package io.raftkv.watch;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a node serves watches ({@code raftkv.watch}, gateway/src/main/resources/reference.conf).
 *
 * @param progressInterval an idle watch gets a progress line this often
 * @param watchersMax the most watches a node serves at once; one more gets 503
 * @param revisionsPerStepMax the most revisions a watch reads at a time
 * @param bytesPerStepMax a watch's chunk stops taking revisions once it holds this many bytes
 */
public record WatchSettings(Duration progressInterval, int watchersMax, int revisionsPerStepMax, long bytesPerStepMax) {

  public WatchSettings {
    if (progressInterval.isNegative() || progressInterval.isZero()) {
      throw new IllegalArgumentException("raftkv.watch.progress-interval must be positive, was " + progressInterval);
    }
    if (watchersMax < 1 || revisionsPerStepMax < 1 || bytesPerStepMax < 1) {
      throw new IllegalArgumentException("raftkv.watch.watchers-max, revisions-per-step-max and bytes-per-step-max must be >= 1, were "
          + watchersMax + ", " + revisionsPerStepMax + ", " + bytesPerStepMax);
    }
  }

  public static WatchSettings fromConfig(Config watch) {
    return new WatchSettings(watch.getDuration("progress-interval"), watch.getInt("watchers-max"),
        watch.getInt("revisions-per-step-max"), watch.getBytes("bytes-per-step-max"));
  }
}
