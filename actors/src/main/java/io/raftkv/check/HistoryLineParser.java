package io.raftkv.check;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns one JSON line into a {@link HistoryEvent}, or says precisely what is wrong with it.
 * Strict on purpose: a recorder's bug should surface here, not as a puzzling verdict.
 * Unknown fields are ignored, so recorders may add their own (a node id, a request id).
 */
final class HistoryLineParser {
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    HistoryEvent parse(String line, long lineNumber) throws HistoryFormatException {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            throw new HistoryFormatException(lineNumber, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new HistoryFormatException(lineNumber, "expected a JSON object, found: " + abbreviate(line));
        }
        int process = intField(node, "process", lineNumber);
        EventType type = EventType.fromWireName(stringField(node, "type", lineNumber));
        if (type == null) {
            throw new HistoryFormatException(lineNumber,
                    "\"type\" must be invoke, ok, fail or info, found " + node.get("type"));
        }
        OpType f = OpType.fromWireName(stringField(node, "f", lineNumber));
        if (f == null) {
            throw new HistoryFormatException(lineNumber,
                    "\"f\" must be get, put, append, delete or cas, found " + node.get("f"));
        }
        String key = stringField(node, "key", lineNumber);
        long time = longField(node, "time", lineNumber);

        String value = null;
        String expected = null;
        if (type == EventType.INVOKE && f.writesValue()) {
            value = stringField(node, "value", lineNumber);
        }
        if (type == EventType.INVOKE && f == OpType.CAS) {
            expected = nullableStringField(node, "expected", lineNumber);
        }
        if (type == EventType.OK && f == OpType.GET) {
            if (!node.has("value")) {
                // absent and null would otherwise be confused: a recorder must say "missing" explicitly
                throw new HistoryFormatException(lineNumber,
                        "the ok of a get must carry \"value\" (null when the key was missing)");
            }
            value = nullableStringField(node, "value", lineNumber);
        }
        return new HistoryEvent(process, type, f, key, value, expected, time);
    }

    private static int intField(JsonNode node, String name, long lineNumber) throws HistoryFormatException {
        JsonNode v = required(node, name, lineNumber);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new HistoryFormatException(lineNumber, "\"" + name + "\" must be an integer, found " + v);
        }
        return v.intValue();
    }

    private static long longField(JsonNode node, String name, long lineNumber) throws HistoryFormatException {
        JsonNode v = required(node, name, lineNumber);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new HistoryFormatException(lineNumber,
                    "\"" + name + "\" must be an integer (nanoseconds), found " + v);
        }
        return v.longValue();
    }

    private static String stringField(JsonNode node, String name, long lineNumber) throws HistoryFormatException {
        JsonNode v = required(node, name, lineNumber);
        if (!v.isTextual()) {
            throw new HistoryFormatException(lineNumber, "\"" + name + "\" must be a string, found " + v);
        }
        return v.textValue();
    }

    /** A string, or null when the field is null or absent (both mean "missing" in this format). */
    private static String nullableStringField(JsonNode node, String name, long lineNumber)
            throws HistoryFormatException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new HistoryFormatException(lineNumber,
                    "\"" + name + "\" must be a string or null, found " + v);
        }
        return v.textValue();
    }

    private static JsonNode required(JsonNode node, String name, long lineNumber) throws HistoryFormatException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new HistoryFormatException(lineNumber, "missing \"" + name + "\"");
        }
        return v;
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
