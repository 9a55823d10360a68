package io.raftkv.profiling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What one wrk run measured: requests completed, errors by kind (a {@code statusErrors} reply was
 * an HTTP status of 400 or more), the run's length and the latency percentiles, in microseconds.
 */
public record WrkResult(long requests, long durationMicros, long connectErrors, long readErrors, long writeErrors,
    long statusErrors, long timeouts, long p50Micros, long p99Micros, long maxMicros) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Requests that failed in any way. */
  public long errors() {
    return connectErrors + readErrors + writeErrors + statusErrors + timeouts;
  }

  /** Successful requests per second. */
  public double throughput() {
    return durationMicros == 0 ? 0 : Math.max(0, requests - statusErrors) * 1e6 / durationMicros;
  }

  /** Reads the JSON line the script's {@code done} printed, from anywhere in wrk's output. */
  public static WrkResult parse(String output) throws IOException {
    String line = null;
    for (String l : output.split("\n")) {
      if (l.startsWith("{\"requests\":")) line = l;
    }
    if (line == null) throw new IOException("wrk printed no result line; its output was:\n" + output);
    JsonNode j = JSON.readTree(line);
    return new WrkResult(j.path("requests").asLong(), j.path("duration_us").asLong(), j.path("connect_errors").asLong(),
        j.path("read_errors").asLong(), j.path("write_errors").asLong(), j.path("status_errors").asLong(), j.path("timeouts").asLong(),
        j.path("p50_us").asLong(), j.path("p99_us").asLong(), j.path("max_us").asLong());
  }
}
