package io.raftkv.client;

import java.util.List;

/**
 * The answer to a range scan.
 *
 * @param entries   the entries, in key order
 * @param truncated whether more keys with the prefix follow the last entry (the limit, or the nodes' byte
 *     bound on one answer, was reached)
 */
public record ScanResult(List<KvEntry> entries, boolean truncated) {
  public ScanResult {
    entries = List.copyOf(entries);
  }
}
