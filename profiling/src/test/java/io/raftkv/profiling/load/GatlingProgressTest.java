package io.raftkv.profiling.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gatling 3.15.1's console output (two status blocks, the final summary, an assertion) turned into progress lines. */
class GatlingProgressTest {
  private static final String BAR = "=".repeat(120);

  private static List<String> feed(String... lines) {
    GatlingProgress progress = new GatlingProgress();
    List<String> out = new ArrayList<>();
    for (String line : lines) progress.line(line).ifPresent(out::add);
    return out;
  }

  @Test
  void oneLinePerStatusBlock() {
    List<String> out = feed(
        "Simulation io.raftkv.gatling.MixedSimulation started...",
        "",
        BAR,
        "2026-11-26 07:36:58 GMT                                                                               5s elapsed",
        "---- Requests -----------------------------------------------------------------------|---Total---|-----OK----|----KO----",
        "> Global                                                                             |    20,000 |    19,990 |        10",
        "> put                                                                                |    14,000 |    13,990 |        10",
        "> get                                                                                |     6,000 |     6,000 |         0",
        "---- Errors ------------------------------------------------------------------------------------------------------------",
        "> j.n.ConnectException: finishConnect(..) failed with error(-111): Connection refused                        10   (100%)",
        "",
        "---- mixed -------------------------------------------------------------------------------------------------------------",
        "[#######################                                                                                        ]   16%",
        "          waiting:         0 / active:        16  / done:         0",
        BAR,
        "",
        BAR,
        "2026-11-26 07:37:03 GMT                                                                              10s elapsed",
        "---- Requests -----------------------------------------------------------------------|---Total---|-----OK----|----KO----",
        "> Global                                                                             |    45,000 |    44,990 |        10",
        "---- mixed -------------------------------------------------------------------------------------------------------------",
        "[###############################################################################################################]   100%",
        "          waiting:         0 / active:         0  / done:        16",
        BAR,
        "",
        "Generating reports...",
        "",
        BAR,
        "---- Global Information -------------------------------------------------------------|---Total---|-----OK----|----KO----",
        "> request count                                                                      |    45,000 |    44,990 |        10",
        BAR,
        "Reports generated, please open the following file: file:///tmp/r/mixedsimulation-20261126073655567/index.html",
        "Global: percentage of failed events is less than or equal to 0.0 : false (actual : 0.0222)");
    assertEquals(List.of(
        "5 s: 20,000 requests, 10 failed, 4,000 req/s, 16 users active",
        "10 s: 45,000 requests, 10 failed, 5,000 req/s, 0 users active",
        "assertion failed: Global: percentage of failed events is less than or equal to 0.0 : false (actual : 0.0222)"), out);
  }

  @Test
  void aHeldAssertionIsNotReported() {
    assertEquals(List.of(), feed("Global: percentage of failed events is less than or equal to 0.0 : true (actual : 0.0)"));
  }
}
