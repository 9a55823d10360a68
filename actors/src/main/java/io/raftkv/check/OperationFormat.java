package io.raftkv.check;

import java.util.ArrayList;
import java.util.List;

/** Renders operations for people: one line each, aligned columns, values quoted, long values abbreviated. */
public final class OperationFormat {
    private static final int VALUE_CHARS_MAX = 40;

    private OperationFormat() {}

    /**
     * A table of {@code ops} (one key's history), one line per operation in the given order.
     *
     * @param linearizedAt for each operation, its position (1-based) in a linearization to show, or 0
     */
    public static String table(List<Operation> ops, int[] linearizedAt) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"lin", "process", "invoked", "returned", "operation", "result"});
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            rows.add(new String[] {
                linearizedAt[i] == 0 ? "-" : Integer.toString(linearizedAt[i]),
                "p" + op.process(),
                Long.toString(op.invokeTime()),
                op.returnTime() == Operation.NEVER ? "never" : Long.toString(op.returnTime()),
                call(op),
                result(op)
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            sb.append(' ');
            for (int c = 0; c < row.length; c++) {
                boolean number = c <= 3 && c != 1;
                String cell = row[c];
                String pad = " ".repeat(widths[c] - cell.length());
                sb.append(' ').append(number ? pad + cell : (c == row.length - 1 ? cell : cell + pad));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The call, e.g. {@code put("v7")}, {@code cas(missing -> "a")}, {@code get()}. */
    public static String call(Operation op) {
        switch (op.f()) {
            case GET:
            case DELETE:
                return op.f().wireName() + "()";
            case CAS:
                return "cas(" + value(op.expected()) + " -> " + value(op.value()) + ")";
            default:
                return op.f().wireName() + "(" + value(op.value()) + ")";
        }
    }

    /** The outcome, with the value read for an OK get. */
    public static String result(Operation op) {
        switch (op.outcome()) {
            case OK:
                return op.f() == OpType.GET ? "ok, read " + value(op.read()) : "ok";
            case FAIL:
                return "fail (no effect)";
            case INFO:
                return "info (unknown: took effect later or never)";
            default:
                throw new AssertionError(op.outcome());
        }
    }

    /** A value as a quoted, escaped string; {@code missing} (unquoted) for no value. */
    public static String value(String v) {
        if (v == null) {
            return "missing";
        }
        boolean abbreviated = v.length() > VALUE_CHARS_MAX;
        String shown = !abbreviated ? v
                : v.substring(0, VALUE_CHARS_MAX / 2) + "..." + v.substring(v.length() - VALUE_CHARS_MAX / 2);
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < shown.length(); i++) {
            char ch = shown.charAt(i);
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        sb.append('"');
        if (abbreviated) {
            sb.append(" (").append(v.length()).append(" chars)");
        }
        return sb.toString();
    }
}
