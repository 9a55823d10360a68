package io.raftkv.profiling.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What {@link JfrAnalyzer} found in one recording. Every part is present; a part whose events the
 * recording lacks has zero counts (and a {@code source} of "none" where it has one).
 * Plain records, so Jackson writes them as JSON ({@link #toJson()}).
 */
public record JfrReport(RecordingInfo recording, CpuReport cpu, AllocationReport allocation, WallReport wall,
                        LockReport locks, GcReport gc, FsyncReport fsync, SocketReport sockets,
                        List<RaftkvEventReport> raftkvEvents) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Markdown: a level-2 heading {@code title}, then one level-3 section per part, tables where there are figures. */
  public String toMarkdown(String title) {
    return MarkdownReport.render(this, title);
  }

  /** Indented JSON of the whole tree. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
