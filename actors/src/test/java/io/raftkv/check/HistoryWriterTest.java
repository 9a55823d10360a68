package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryWriterTest {

    @Test
    void writesTheDesignFormatWithAnExplicitNullForAMissingRead() throws Exception {
        StringWriter out = new StringWriter();
        try (HistoryWriter w = new HistoryWriter(out)) {
            w.write(HistoryEvent.invoke(3, OpType.PUT, "k1", "v7", null, 12345678));
            w.write(HistoryEvent.completion(3, EventType.OK, OpType.PUT, "k1", 12345690));
            w.write(HistoryEvent.invoke(4, OpType.CAS, "k1", "v8", null, 12345700));
            w.write(HistoryEvent.completion(4, EventType.FAIL, OpType.CAS, "k1", 12345710));
            w.write(HistoryEvent.invoke(4, OpType.GET, "k2", null, null, 12345720));
            w.write(HistoryEvent.okGet(4, "k2", null, 12345730));
        }
        assertEquals(String.join("\n",
                "{\"process\":3,\"type\":\"invoke\",\"f\":\"put\",\"key\":\"k1\",\"value\":\"v7\",\"time\":12345678}",
                "{\"process\":3,\"type\":\"ok\",\"f\":\"put\",\"key\":\"k1\",\"time\":12345690}",
                "{\"process\":4,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k1\",\"value\":\"v8\",\"expected\":null,\"time\":12345700}",
                "{\"process\":4,\"type\":\"fail\",\"f\":\"cas\",\"key\":\"k1\",\"time\":12345710}",
                "{\"process\":4,\"type\":\"invoke\",\"f\":\"get\",\"key\":\"k2\",\"time\":12345720}",
                "{\"process\":4,\"type\":\"ok\",\"f\":\"get\",\"key\":\"k2\",\"value\":null,\"time\":12345730}",
                ""), out.toString());
    }

    @Test
    void whatItWritesReadsBackAsTheSameOperations() throws Exception {
        List<Operation> ops = List.of(
                Operation.put(1, "k", "a\"quoted\"\n", 0, 10),
                Operation.append(2, "k", "x", 5, 20).unknown(),
                Operation.get(1, "k", "a\"quoted\"\n", 10, 30), // invoked the instant its predecessor returned
                Operation.cas(3, "k", null, "c", 1, 2).failed(),
                Operation.cas(3, "k", "a", "b", 3, 3),
                Operation.delete(2, "k", 25, 40),
                Operation.get(4, "j", null, 50, 60),
                Operation.put(5, "k", "last", 55, 70).unknown());
        StringWriter out = new StringWriter();
        try (HistoryWriter w = new HistoryWriter(out)) {
            w.writeAll(ops);
        }
        List<Operation> expected = new ArrayList<>(ops);
        expected.remove(3); // a fail did not happen
        expected.sort(java.util.Comparator.comparingLong(Operation::invokeTime));
        assertEquals(expected, HistoryReader.read(new StringReader(out.toString())));
    }

    @Test
    void refusesAnInvokeOfAWriteWithoutItsValue() {
        assertThrows(IllegalArgumentException.class, () -> HistoryEvent.invoke(1, OpType.APPEND, "k", null, null, 0));
    }

    @Test
    void refusesOverlappingOperationsOfOneProcess() {
        List<Operation> ops = List.of(Operation.put(1, "k", "a", 0, 10), Operation.put(1, "k", "b", 5, 15));
        assertThrows(IllegalArgumentException.class, () -> HistoryWriter.toEvents(ops));
    }
}
