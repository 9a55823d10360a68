package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistoryReaderTest {

    static List<Operation> read(String... lines) throws IOException, HistoryFormatException {
        return HistoryReader.read(new StringReader(String.join("\n", lines)));
    }

    @Test
    void pairsEachInvokeWithTheNextCompletionOfItsProcess() throws Exception {
        List<Operation> ops = read(
                "{\"process\": 3, \"type\": \"invoke\", \"f\": \"put\", \"key\": \"k1\", \"value\": \"v7\", \"time\": 100}",
                "{\"process\": 4, \"type\": \"invoke\", \"f\": \"get\", \"key\": \"k1\", \"time\": 110}",
                "{\"process\": 4, \"type\": \"ok\", \"f\": \"get\", \"key\": \"k1\", \"value\": null, \"time\": 120}",
                "{\"process\": 3, \"type\": \"ok\", \"f\": \"put\", \"key\": \"k1\", \"time\": 130}",
                "",
                "{\"process\": 4, \"type\": \"invoke\", \"f\": \"get\", \"key\": \"k1\", \"time\": 140}",
                "{\"process\": 4, \"type\": \"ok\", \"f\": \"get\", \"key\": \"k1\", \"value\": \"v7\", \"time\": 150}");
        assertEquals(List.of(
                Operation.put(3, "k1", "v7", 100, 130),
                Operation.get(4, "k1", null, 110, 120),
                Operation.get(4, "k1", "v7", 140, 150)), ops);
    }

    @Test
    void dropsFailsAndKeepsUnknownOutcomesWithNoReturn() throws Exception {
        List<Operation> ops = read(
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"cas\", \"key\": \"k\", \"expected\": \"a\", \"value\": \"b\", \"time\": 1}",
                "{\"process\": 1, \"type\": \"fail\", \"f\": \"cas\", \"key\": \"k\", \"time\": 2}",
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"append\", \"key\": \"k\", \"value\": \"x\", \"time\": 3}",
                "{\"process\": 1, \"type\": \"info\", \"f\": \"append\", \"key\": \"k\", \"time\": 4}",
                "{\"process\": 2, \"type\": \"invoke\", \"f\": \"delete\", \"key\": \"k\", \"time\": 5}",
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"cas\", \"key\": \"k\", \"value\": \"c\", \"time\": 6}",
                "{\"process\": 1, \"type\": \"ok\", \"f\": \"cas\", \"key\": \"k\", \"time\": 7}");
        assertEquals(List.of(
                Operation.append(1, "k", "x", 3, 4).unknown(),
                Operation.delete(2, "k", 5, 6).unknown(), // never completed
                Operation.cas(1, "k", null, "c", 6, 7)), ops);
        assertEquals(Operation.NEVER, ops.get(0).returnTime());
        assertEquals(Outcome.INFO, ops.get(1).outcome());
    }

    @Test
    void casExpectedMayBeNullAbsentOrAString() throws Exception {
        List<Operation> ops = read(
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"cas\", \"key\": \"k\", \"expected\": null, \"value\": \"b\", \"time\": 1}",
                "{\"process\": 1, \"type\": \"ok\", \"f\": \"cas\", \"key\": \"k\", \"time\": 2}",
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"cas\", \"key\": \"k\", \"expected\": \"b\", \"value\": \"c\", \"time\": 3}",
                "{\"process\": 1, \"type\": \"ok\", \"f\": \"cas\", \"key\": \"k\", \"time\": 4}");
        assertEquals(null, ops.get(0).expected());
        assertEquals("b", ops.get(1).expected());
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws Exception {
        List<Operation> ops = read(
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"put\", \"key\": \"k\", \"value\": \"v\", \"time\": 1, \"node\": 2}",
                "{\"process\": 1, \"type\": \"ok\", \"f\": \"put\", \"key\": \"k\", \"time\": 2, \"index\": 17}");
        assertEquals(List.of(Operation.put(1, "k", "v", 1, 2)), ops);
    }

    private static final String PUT_INVOKE =
            "{\"process\": 1, \"type\": \"invoke\", \"f\": \"put\", \"key\": \"k\", \"value\": \"v\", \"time\": 10}";

    /** Line 2 of each case is bad, after a good invoke on line 1; the message must say why. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"process": 1, "type": "ok", "f": "put", "key": "k", "time": 20                | not valid JSON
            [1, 2]                                                                          | expected a JSON object
            {"type": "ok", "f": "put", "key": "k", "time": 20}                              | missing "process"
            {"process": "one", "type": "ok", "f": "put", "key": "k", "time": 20}            | "process" must be an integer
            {"process": 1.5, "type": "ok", "f": "put", "key": "k", "time": 20}              | "process" must be an integer
            {"process": 1, "type": "done", "f": "put", "key": "k", "time": 20}              | "type" must be invoke, ok, fail or info
            {"process": 1, "type": "ok", "f": "incr", "key": "k", "time": 20}               | "f" must be get, put, append, delete or cas
            {"process": 1, "type": "ok", "f": "put", "time": 20}                            | missing "key"
            {"process": 1, "type": "ok", "f": "put", "key": 7, "time": 20}                  | "key" must be a string
            {"process": 1, "type": "ok", "f": "put", "key": "k"}                            | missing "time"
            {"process": 1, "type": "ok", "f": "put", "key": "k", "time": 2.5}               | "time" must be an integer
            {"process": 1, "type": "ok", "f": "put", "key": "k", "time": 20} x              | not valid JSON
            {"process": 1, "type": "ok", "type": "ok", "f": "put", "key": "k", "time": 20}  | not valid JSON: Duplicate field
            {"process": 2, "type": "ok", "f": "put", "key": "k", "time": 20}                | ok of process 2 without a pending invoke
            {"process": 1, "type": "invoke", "f": "get", "key": "k", "time": 20}            | process 1 invokes again while its invoke on line 1 has no completion
            {"process": 1, "type": "ok", "f": "append", "key": "k", "time": 20}             | does not match the invoke on line 1
            {"process": 1, "type": "ok", "f": "put", "key": "other", "time": 20}            | does not match the invoke on line 1
            {"process": 1, "type": "ok", "f": "put", "key": "k", "time": 5}                 | completes at 5, before its invoke on line 1 at 10
            {"process": 2, "type": "invoke", "f": "append", "key": "k", "time": 20}         | missing "value"
            {"process": 2, "type": "invoke", "f": "put", "key": "k", "value": 3, "time": 20} | "value" must be a string
            {"process": 2, "type": "invoke", "f": "cas", "key": "k", "expected": 1, "value": "v", "time": 20} | "expected" must be a string or null
            """)
    void reportsMalformedLinesWithTheirNumber(String badLine, String problem) {
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read(PUT_INVOKE, badLine));
        assertEquals(2, e.lineNumber());
        assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), () -> "expected \"" + problem + "\" in: " + e.getMessage());
    }

    @Test
    void theOkOfAGetMustSayWhatItRead() {
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read(
                "{\"process\": 1, \"type\": \"invoke\", \"f\": \"get\", \"key\": \"k\", \"time\": 1}",
                "",
                "{\"process\": 1, \"type\": \"ok\", \"f\": \"get\", \"key\": \"k\", \"time\": 2}"));
        assertEquals(3, e.lineNumber(), "blank lines count");
        assertTrue(e.getMessage().contains("must carry \"value\" (null when the key was missing)"), e.getMessage());
    }
}
