package io.raftkv.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a history file (JSON lines, the format docs/CLIENT.md gives under check-history) that {@link HistoryReader} reads.
 *
 * <p>Recorders (the simulator, the stress tester) call {@link #write} as events happen; it is
 * thread-safe. Lines should be in real-time order: a multi-threaded recorder should take the time
 * stamp and write the line under one lock, or the file's order and its times may disagree (the
 * reader tolerates that across processes, but it is confusing to read).
 */
public final class HistoryWriter implements Closeable, Flushable {
    private final Writer out;
    private final ObjectMapper mapper = new ObjectMapper();

    public HistoryWriter(Writer out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** A writer to {@code file} (created or truncated), UTF-8. */
    public static HistoryWriter create(Path file) throws IOException {
        return new HistoryWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Appends one line. */
    public synchronized void write(HistoryEvent event) throws IOException {
        out.write(toJson(event));
        out.write('\n');
    }

    /** Appends the events of {@code operations}, as {@link #toEvents} orders them. */
    public synchronized void writeAll(List<Operation> operations) throws IOException {
        for (HistoryEvent e : toEvents(operations)) {
            write(e);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** One JSON line, without its newline; fields in the order docs/CLIENT.md shows them. */
    String toJson(HistoryEvent e) {
        ObjectNode node = mapper.createObjectNode();
        node.put("process", e.process());
        node.put("type", e.type().wireName());
        node.put("f", e.f().wireName());
        node.put("key", e.key());
        if (e.hasValueField()) {
            node.put("value", e.value()); // an explicit null: a get's "missing" must not look like a forgotten field
        }
        if (e.type() == EventType.INVOKE && e.f() == OpType.CAS) {
            node.put("expected", e.expected());
        }
        node.put("time", e.time());
        return node.toString();
    }

    /**
     * The invoke and completion events of {@code operations}, in time order (ties keep each process's
     * own order). An {@code INFO} operation has no return time, so its {@code info} line is placed at
     * the process's next invocation, or at the history's last time stamp if the process did nothing
     * more: where a client would have given up at the latest.
     *
     * @throws IllegalArgumentException if two operations of one process overlap
     */
    public static List<HistoryEvent> toEvents(List<Operation> operations) {
        long lastTime = Long.MIN_VALUE;
        Map<Integer, List<Operation>> byProcess = new LinkedHashMap<>();
        for (Operation op : operations) {
            byProcess.computeIfAbsent(op.process(), p -> new ArrayList<>()).add(op);
            lastTime = Math.max(lastTime, op.returnTime() == Operation.NEVER ? op.invokeTime() : op.returnTime());
        }
        List<HistoryEvent> events = new ArrayList<>(2 * operations.size());
        for (List<Operation> ops : byProcess.values()) {
            ops.sort(Comparator.comparingLong(Operation::invokeTime));
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                long completionTime = op.outcome() != Outcome.INFO ? op.returnTime()
                        : i + 1 < ops.size() ? ops.get(i + 1).invokeTime() : lastTime;
                if (i + 1 < ops.size() && ops.get(i + 1).invokeTime() < completionTime) {
                    throw new IllegalArgumentException("process " + op.process()
                            + " has overlapping operations: " + op + " and " + ops.get(i + 1));
                }
                events.add(HistoryEvent.invoke(op.process(), op.f(), op.key(), op.value(), op.expected(),
                        op.invokeTime()));
                events.add(completion(op, completionTime));
            }
        }
        // a stable sort: equal times keep the per-process order built above (invoke before its completion)
        events.sort(Comparator.comparingLong(HistoryEvent::time));
        return events;
    }

    private static HistoryEvent completion(Operation op, long time) {
        switch (op.outcome()) {
            case OK:
                return op.f() == OpType.GET
                        ? HistoryEvent.okGet(op.process(), op.key(), op.read(), time)
                        : HistoryEvent.completion(op.process(), EventType.OK, op.f(), op.key(), time);
            case FAIL:
                return HistoryEvent.completion(op.process(), EventType.FAIL, op.f(), op.key(), time);
            case INFO:
                return HistoryEvent.completion(op.process(), EventType.INFO, op.f(), op.key(), time);
            default:
                throw new AssertionError(op.outcome());
        }
    }
}
