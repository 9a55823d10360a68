package io.raftkv.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftkv.persistence.kv.KeyRevisions;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.KvResult;
import io.raftkv.persistence.kv.RequestId;
import io.raftkv.persistence.kv.TxnCompare;
import io.raftkv.persistence.kv.TxnOp;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code POST /v1/txn} and of its answer (docs/API.md, "Transactions"). Values are
 * given as UTF-8 text ({@code "value"}) or as base64 ({@code "valueBase64"}), and answered as
 * text when they are valid UTF-8, else as base64.
 */
public final class TxnJson {

  /** Where transactions are posted. */
  public static final String PATH = "/v1/txn";

  private static final Map<String, TxnCompare.Op> OPS = Map.of(
      "=", TxnCompare.Op.EQUAL, "!=", TxnCompare.Op.NOT_EQUAL, "<", TxnCompare.Op.LESS, ">", TxnCompare.Op.GREATER);

  private TxnJson() {}

  /**
   * The largest body a transaction these limits allow can take as JSON: its values in base64 (4
   * bytes per 3), and per comparison or operation a key written with every character escaped (6
   * bytes each) and room for the field names.
   */
  static long bodyBytesMax(KvLimits limits) {
    long values = (limits.txnBytesMax() + 2) / 3 * 4;
    long perEntry = 6L * limits.keyBytesMax() + 256;
    return values + 3L * KvLimits.TXN_OPS_PER_LIST_MAX * perEntry;
  }

  /** A malformed transaction: the message says what is wrong, for a 400. */
  public static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses a transaction; the {@link KvLimits} are checked later, by the key-value layer.
   *
   * @throws Malformed for JSON that is not a transaction
   */
  public static KvCommand.Txn parse(byte[] body, RequestId id) throws Malformed {
    JsonNode root;
    try {
      root = HttpErrors.JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new Malformed("the body is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("a transaction is a JSON object with \"compare\", \"success\" and \"failure\" lists");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!List.of("compare", "success", "failure").contains(name)) {
        throw new Malformed("unknown field \"" + name + "\"; a transaction has \"compare\", \"success\" and \"failure\"");
      }
    }
    List<TxnCompare> compares = new ArrayList<>();
    for (JsonNode c : list(root, "compare")) {
      compares.add(compare(c));
    }
    try {
      return new KvCommand.Txn(id, compares, ops(list(root, "success"), "success"), ops(list(root, "failure"), "failure"));
    } catch (IllegalArgumentException e) {
      throw new Malformed(e.getMessage());
    }
  }

  private static List<JsonNode> list(JsonNode root, String field) throws Malformed {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new Malformed("\"" + field + "\" must be a list");
    }
    if (node.size() > KvLimits.TXN_OPS_PER_LIST_MAX) {
      throw new Malformed("\"" + field + "\" has " + node.size() + " entries, over " + KvLimits.TXN_OPS_MAX + " = "
          + KvLimits.TXN_OPS_PER_LIST_MAX);
    }
    List<JsonNode> entries = new ArrayList<>();
    node.forEach(entries::add);
    return entries;
  }

  private static TxnCompare compare(JsonNode c) throws Malformed {
    String key = text(c, "key", "a comparison");
    String target = text(c, "target", "a comparison");
    TxnCompare.Op op = OPS.get(text(c, "op", "a comparison"));
    if (op == null) {
      throw new Malformed("a comparison's \"op\" is one of =, !=, <, >; got " + c.get("op"));
    }
    try {
      return switch (target) {
        case "value" -> TxnCompare.value(key, op, value(c, "a value comparison"));
        case "version" -> TxnCompare.number(key, TxnCompare.Target.VERSION, op, number(c));
        case "create" -> TxnCompare.number(key, TxnCompare.Target.CREATE, op, number(c));
        case "mod" -> TxnCompare.number(key, TxnCompare.Target.MOD, op, number(c));
        default -> throw new Malformed("a comparison's \"target\" is value, version, create or mod; got \"" + target + "\"");
      };
    } catch (IllegalArgumentException e) {
      throw new Malformed("comparison of key '" + key + "': " + e.getMessage());
    }
  }

  private static long number(JsonNode c) throws Malformed {
    JsonNode n = c.get("number");
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new Malformed("a version or revision comparison needs an integer \"number\"");
    }
    return n.asLong();
  }

  private static List<TxnOp> ops(List<JsonNode> nodes, String branch) throws Malformed {
    List<TxnOp> ops = new ArrayList<>();
    for (JsonNode o : nodes) {
      String kind = text(o, "op", "an operation of \"" + branch + "\"");
      String key = text(o, "key", "an operation of \"" + branch + "\"");
      try {
        ops.add(switch (kind) {
          case "put" -> new TxnOp.Put(key, value(o, "a put"), lease(o));
          case "delete" -> new TxnOp.Delete(key);
          case "get" -> new TxnOp.Get(key);
          default -> throw new Malformed("an operation's \"op\" is put, delete or get; got \"" + kind + "\"");
        });
      } catch (IllegalArgumentException e) {
        throw new Malformed(kind + " of key '" + key + "': " + e.getMessage());
      }
    }
    return ops;
  }

  /** A put's optional "lease": a lease's id, or 0 when absent. */
  private static long lease(JsonNode op) throws Malformed {
    JsonNode lease = op.get("lease");
    if (lease == null || lease.isNull()) {
      return 0;
    }
    if (!lease.isIntegralNumber() || lease.asLong() < 1) {
      throw new Malformed("a put's \"lease\" is a lease's id, a number >= 1; got " + lease);
    }
    return lease.asLong();
  }

    private static String text(JsonNode node, String field, String what) throws Malformed {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isTextual()) {
      throw new Malformed(what + " needs a text \"" + field + "\"");
    }
    return value.asText();
  }

  /** "value" as UTF-8 text, or "valueBase64": exactly one. */
  private static byte[] value(JsonNode node, String what) throws Malformed {
    JsonNode text = node.get("value");
    JsonNode base64 = node.get("valueBase64");
    if ((text == null) == (base64 == null)) {
      throw new Malformed(what + " needs either \"value\" (text) or \"valueBase64\"");
    }
    if (text != null) {
      if (!text.isTextual()) {
        throw new Malformed(what + "'s \"value\" must be text");
      }
      return text.asText().getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(base64.asText());
    } catch (IllegalArgumentException e) {
      throw new Malformed(what + "'s \"valueBase64\" is not base64: " + e.getMessage());
    }
  }

  /**
   * The answer to {@code txn}, applied at {@code revision}: per operation of the branch taken, its
   * kind and outcome.
   */
  static String render(KvCommand.Txn txn, KvResult.TxnResult result, long revision) {
    ObjectNode body = HttpErrors.JSON.createObjectNode();
    body.put("succeeded", result.succeeded()).put("revision", revision);
    ArrayNode results = body.putArray("results");
    List<TxnOp> ops = result.succeeded() ? txn.success() : txn.failure();
    for (int i = 0; i < ops.size(); i++) {
      TxnOp op = ops.get(i);
      KvResult r = result.results().get(i);
      ObjectNode entry = results.addObject().put("key", op.key());
      if (op instanceof TxnOp.Put) {
        entry.put("op", "put");
      } else if (op instanceof TxnOp.Delete) {
        entry.put("op", "delete").put("deleted", r instanceof KvResult.Ok);
      } else {
        entry.put("op", "get").put("found", r instanceof KvResult.Value);
        if (r instanceof KvResult.Value v) {
          putValue(entry, v.value());
          putRevisions(entry, v.revisions());
        }
      }
    }
    try {
      return HttpErrors.JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of text and numbers always renders", e);
    }
  }

  /** {@code "value"} when {@code value} is valid UTF-8, else {@code "valueBase64"}. */
  public static void putValue(ObjectNode node, byte[] value) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value)).toString();
      node.put("value", text);
    } catch (CharacterCodingException e) {
      node.put("valueBase64", Base64.getEncoder().encodeToString(value));
    }
  }

  public static void putRevisions(ObjectNode node, KeyRevisions revisions) {
    node.put("createRevision", revisions.createRevision()).put("modRevision", revisions.modRevision())
        .put("version", revisions.version());
  }
}
