package io.raftkv.profiling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static BenchRow row(String workload, String system, double throughput, double p50, double p99) {
    return new BenchRow(workload, system, throughput, p50, p99, List.of(300.0, 310.5, 320.0), 1000, 0);
  }

  private static List<BenchRow> allMet() {
    List<BenchRow> rows = new ArrayList<>();
    rows.add(row("put@1", "raftkv", 1200, 0.80, 2.0));
    rows.add(row("put@1", "etcd", 1000, 0.90, 3.0));
    rows.add(row("put@64", "raftkv", 9000, 5, 20));
    rows.add(row("put@64", "etcd", 6000, 9, 22));
    rows.add(row("get@64", "raftkv", 15000, 3, 10));
    rows.add(row("get@64", "etcd", 9000, 6, 16));
    rows.add(row("mixed@64", "raftkv", 9000, 5, 20));
    rows.add(row("mixed@64", "etcd", 6000, 9, 22));
    return rows;
  }

  @Test
  void everyTargetIsMetWhenTheFiguresSaySo() {
    BenchReport report = new BenchReport(allMet());
    assertEquals(4, report.verdicts().size());
    for (BenchReport.Verdict v : report.verdicts()) assertEquals(Optional.of(true), v.met(), v.toString());
    assertEquals(1.5, report.ratio("put@64").orElseThrow(), 1e-9);
  }

  @Test
  void eachTargetFailsOnItsOwnCondition() {
    List<BenchRow> rows = allMet();
    rows.set(2, row("put@64", "raftkv", 9000, 5, 22.5)); // 1.5x, but p99 above etcd's
    rows.set(1, row("put@1", "etcd", 1000, 0.79, 3.0)); // etcd's p50 lower
    rows.set(4, row("get@64", "raftkv", 13499, 3, 10)); // just under 1.5x
    BenchReport report = new BenchReport(rows);
    List<BenchReport.Verdict> v = report.verdicts();
    assertEquals(Optional.of(false), v.get(0).met(), v.get(0).toString());
    assertEquals(Optional.of(false), v.get(1).met(), v.get(1).toString());
    assertEquals(Optional.of(false), v.get(2).met(), v.get(2).toString());
    assertEquals(Optional.of(true), v.get(3).met(), v.get(3).toString());
    assertTrue(report.verdictList().contains("missed: put@64"), report.verdictList());
  }

  @Test
  void aWorkloadThatDidNotRunHasNoVerdict() {
    BenchReport report = new BenchReport(List.of(row("put@64", "raftkv", 9000, 5, 20)));
    assertEquals(Optional.empty(), report.verdicts().get(0).met());
    assertTrue(report.verdictList().contains("not run: put@64"), report.verdictList());
  }

  @Test
  void theTableHasOneLinePerWorkloadWithBothSystemsAndTheRatio() {
    String table = new BenchReport(allMet()).table();
    String[] lines = table.split("\n");
    assertEquals(2 + 4, lines.length, table);
    assertTrue(lines[2].startsWith("| put@1 | 1,200 | 1,000 | 1.20x | 0.80 | 0.90 | 2.00 | 3.00 | 300 / 311 / 320 | 300 / 311 / 320 | 0/0 |"), lines[2]);
  }

  @Test
  void jsonRowsCarryTheDesignsFields() throws Exception {
    JsonNode rows = new ObjectMapper().readTree(new BenchReport(allMet()).json());
    assertEquals(8, rows.size());
    JsonNode first = rows.get(0);
    assertEquals("put@1", first.get("workload").asText());
    assertEquals("raftkv", first.get("system").asText());
    assertEquals(1200.0, first.get("throughput").asDouble());
    assertEquals(0.8, first.get("p50_ms").asDouble());
    assertEquals(2.0, first.get("p99_ms").asDouble());
    assertEquals(3, first.get("rss_mb").size());
    assertEquals(310.5, first.get("rss_mb").get(1).asDouble());
  }
}
