package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command's exit codes (docs/CLIENT.md, "Every command"), through {@link CheckHistoryMain#run}, which returns them. */
// a bug in the search shows up as a hang; this turns it into a failure
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CheckHistoryMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CheckHistoryMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path historyFile(List<Operation> ops) throws IOException {
        Path file = Files.createTempFile(dir, "history", ".jsonl");
        try (HistoryWriter w = HistoryWriter.create(file)) {
            w.writeAll(ops);
        }
        return file;
    }

    @Test
    void exitsZeroForALinearizableHistory() throws IOException {
        Path file = historyFile(List.of(Operation.put(0, "k", "a", 0, 10), Operation.get(1, "k", "a", 20, 30)));
        assertEquals(0, run(file.toString()));
        assertTrue(out().startsWith("LINEARIZABLE: 2 operations on 1 keys"), out());
        assertEquals("", err());
    }

    @Test
    void exitsOneAndPrintsTheKeyForANonLinearizableHistory() throws IOException {
        Path file = historyFile(List.of(
                Operation.put(0, "k", "a", 0, 10), Operation.put(0, "k", "b", 20, 30), Operation.get(1, "k", "a", 40, 50)));
        assertEquals(1, run(file.toString(), "--timeout-seconds", "30"));
        assertTrue(out().startsWith("NOT LINEARIZABLE: key \"k\""), out());
        assertTrue(out().contains("get()"), out());
    }

    @Test
    void exitsThreeWhenTheTimeBoundRunsOut() throws IOException {
        Path file = historyFile(TimeBoundTest.pathological("k", 20));
        assertEquals(3, run("--timeout-seconds=0.05", file.toString()));
        assertTrue(out().startsWith("UNKNOWN"), out());
    }

    @Test
    void exitsTwoForAMalformedLineAndNamesIt() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"process\": 1, \"type\": \"invoke\", \"f\": \"get\", \"key\": \"k\", \"time\": 1}\n"
                + "{\"process\": 1, \"type\": \"ok\"\n");
        assertEquals(2, run(file.toString()));
        assertTrue(err().contains("bad.jsonl: line 2: not valid JSON"), err());
        assertEquals("", out());
    }

    @Test
    void exitsTwoForAMissingFile() {
        assertEquals(2, run(dir.resolve("nope.jsonl").toString()));
        assertTrue(err().contains("no such file"), err());
    }

    @Test
    void exitsTwoForBadUsage() throws IOException {
        Path file = historyFile(List.of());
        assertEquals(2, run());
        assertTrue(err().contains("missing FILE"), err());
        assertEquals(2, run(file.toString(), "--frobnicate"));
        assertEquals(2, run(file.toString(), "--timeout-seconds"));
        assertEquals(2, run(file.toString(), "--timeout-seconds", "0"));
        assertEquals(2, run(file.toString(), "--timeout-seconds", "soon"));
        assertEquals(2, run(file.toString(), file.toString()));
        assertTrue(err().contains("Usage: check-history FILE"), err());
    }

    @Test
    void printsUsageForHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("Usage: check-history FILE [--timeout-seconds N]"), out());
        assertTrue(out().contains("Exit codes: 0 linearizable, 1 not linearizable, 2 bad usage or input"), out());
        assertEquals("", err());
    }

    @Test
    void anEmptyHistoryIsLinearizable() throws IOException {
        assertEquals(0, run(historyFile(List.of()).toString()));
    }
}
