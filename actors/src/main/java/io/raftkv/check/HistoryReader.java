package io.raftkv.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a history file (JSON lines, the format docs/CLIENT.md gives under check-history) into {@link Operation}s.
 *
 * <p>Each invoke is paired with the next completion of the same process. A {@code fail} did not
 * happen, so the operation is dropped. An {@code info}, or an invoke left without a completion at the
 * end of the file, has an unknown outcome: the operation is kept with outcome {@link Outcome#INFO}
 * and return time {@link Operation#NEVER}. Blank lines are skipped. Only the per-process order of
 * lines matters for pairing; the checker itself works from the {@code time} fields.
 */
public final class HistoryReader {
    private HistoryReader() {}

    /** The operations of the history in {@code file}, in the order of their invocations. */
    public static List<Operation> read(Path file) throws IOException, HistoryFormatException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        }
    }

    /** The operations of the history read from {@code in}, in the order of their invocations. */
    public static List<Operation> read(Reader in) throws IOException, HistoryFormatException {
        BufferedReader lines = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        HistoryLineParser parser = new HistoryLineParser();
        // slots.get(i) is the i-th invoked operation once it completes; null while pending or if it failed
        List<Operation> slots = new ArrayList<>();
        Map<Integer, Pending> pending = new HashMap<>();
        long lineNumber = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            HistoryEvent event = parser.parse(line, lineNumber);
            if (event.type() == EventType.INVOKE) {
                Pending previous = pending.get(event.process());
                if (previous != null) {
                    throw new HistoryFormatException(lineNumber, "process " + event.process()
                            + " invokes again while its invoke on line " + previous.lineNumber
                            + " has no completion (a process runs one operation at a time)");
                }
                pending.put(event.process(), new Pending(event, lineNumber, slots.size()));
                slots.add(null);
            } else {
                Pending started = pending.remove(event.process());
                if (started == null) {
                    throw new HistoryFormatException(lineNumber, event.type().wireName()
                            + " of process " + event.process() + " without a pending invoke");
                }
                slots.set(started.slot, complete(started, event, lineNumber));
            }
        }
        for (Pending p : pending.values()) {
            slots.set(p.slot, operation(p.invoke, Operation.NEVER, Outcome.INFO, null));
        }
        List<Operation> ops = new ArrayList<>(slots.size());
        for (Operation op : slots) {
            if (op != null) {
                ops.add(op);
            }
        }
        return ops;
    }

    /** The operation that {@code completion} ends, or null if it failed (did not happen). */
    private static Operation complete(Pending started, HistoryEvent completion, long lineNumber)
            throws HistoryFormatException {
        HistoryEvent invoke = started.invoke;
        if (completion.f() != invoke.f() || !completion.key().equals(invoke.key())) {
            throw new HistoryFormatException(lineNumber, "completion " + completion.f().wireName() + " "
                    + completion.key() + " does not match the invoke on line " + started.lineNumber + " ("
                    + invoke.f().wireName() + " " + invoke.key() + ")");
        }
        if (completion.time() < invoke.time()) {
            throw new HistoryFormatException(lineNumber, "completes at " + completion.time()
                    + ", before its invoke on line " + started.lineNumber + " at " + invoke.time());
        }
        switch (completion.type()) {
            case OK:
                return operation(invoke, completion.time(), Outcome.OK,
                        invoke.f() == OpType.GET ? completion.value() : null);
            case FAIL:
                return null;
            case INFO:
                return operation(invoke, Operation.NEVER, Outcome.INFO, null);
            default:
                throw new AssertionError(completion.type());
        }
    }

    private static Operation operation(HistoryEvent invoke, long returnTime, Outcome outcome, String read) {
        return new Operation(invoke.process(), invoke.f(), invoke.key(),
                invoke.f().writesValue() ? invoke.value() : null,
                invoke.f() == OpType.CAS ? invoke.expected() : null,
                invoke.time(), returnTime, outcome, read);
    }

    private record Pending(HistoryEvent invoke, long lineNumber, int slot) {}
}
