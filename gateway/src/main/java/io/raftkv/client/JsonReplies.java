package io.raftkv.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/** Parses the JSON bodies of the HTTP contract (docs/API.md). */
final class JsonReplies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonReplies() {}

  /** {@code {"clientId": 17}}. */
  static long sessionId(Reply reply) {
    JsonNode id = parse(reply, false).path("clientId");
    if (!id.canConvertToLong() || id.asLong() < 1) {
      throw bad(reply, "no positive \"clientId\"", false);
    }
    return id.asLong();
  }

  /** {@code {"clientId": 17, "sessionTag": "..."}}: the tag, or null when the cluster does not authenticate. */
  static String sessionTag(Reply reply) {
    JsonNode tag = parse(reply, false).path("sessionTag");
    if (tag.isMissingNode() || tag.isNull()) return null;
    if (!tag.isTextual() || !tag.asText().matches("[A-Za-z0-9_-]{1,64}")) throw bad(reply, "a \"sessionTag\" that is no tag", false);
    return tag.asText();
  }

  /** {@code {"entries":[{"key":"k","value":"<base64>"}],"truncated":false}}. */
  static ScanResult scan(Reply reply) {
    JsonNode root = parse(reply, false);
    JsonNode entries = root.path("entries");
    if (!entries.isArray()) {
      throw bad(reply, "no \"entries\" array", false);
    }
    List<KvEntry> out = new ArrayList<>(entries.size());
    for (JsonNode e : entries) {
      JsonNode key = e.path("key");
      JsonNode value = e.path("value");
      if (!key.isTextual() || !value.isTextual()) {
        throw bad(reply, "an entry without a text \"key\" and \"value\"", false);
      }
      try {
        out.add(new KvEntry(key.asText(), Base64.getDecoder().decode(value.asText())));
      } catch (IllegalArgumentException e2) {
        throw bad(reply, "the value of " + key.asText() + " is not base64", false);
      }
    }
    boolean truncated = root.path("truncated").asBoolean(false);
    if (truncated && out.isEmpty()) {
      throw bad(reply, "\"truncated\" with no entries: no key to continue after", false);
    }
    return new ScanResult(out, truncated);
  }

  /** {@code {"succeeded":true,"revision":42,"results":[...]}}: the transaction's answer, kept whole too. */
  static TxnReply txn(Reply reply) {
    JsonNode root = parse(reply, true);
    JsonNode succeeded = root.path("succeeded");
    JsonNode revision = root.path("revision");
    if (!succeeded.isBoolean() || !revision.isIntegralNumber() || !root.path("results").isArray()) {
      throw bad(reply, "no boolean \"succeeded\", number \"revision\" and \"results\" list", true);
    }
    return new TxnReply(succeeded.asBoolean(), revision.asLong(), root.toString());
  }

  /** {@code {"leader":1,"term":3,"nodes":[{"id":1,"http":"...","role":"LEADER",...}]}}. */
  static ClusterStatus cluster(Reply reply) {
    JsonNode root = parse(reply, false);
    JsonNode leader = root.path("leader");
    JsonNode nodes = root.path("nodes");
    if (!nodes.isArray()) {
      throw bad(reply, "no \"nodes\" array", false);
    }
    List<NodeStatus> out = new ArrayList<>(nodes.size());
    for (JsonNode n : nodes) {
      if (!n.path("id").canConvertToInt()) {
        throw bad(reply, "a node without an \"id\"", false);
      }
      out.add(new NodeStatus(n.path("id").asInt(), n.path("http").asText(""), n.path("role").asText("UNKNOWN"),
          n.path("term").asLong(-1), n.path("commitIndex").asLong(-1), n.path("appliedIndex").asLong(-1),
          n.path("reachable").asBoolean(false), n.path("stateBytes").asLong(-1), n.path("quotaBytes").asLong(-1),
          n.path("quotaAlarm").asBoolean(false)));
    }
    out.sort(Comparator.comparingInt(NodeStatus::id));
    return new ClusterStatus(leader.canConvertToInt() ? OptionalInt.of(leader.asInt()) : OptionalInt.empty(),
        root.path("term").asLong(-1), out);
  }

  static ClusterMembers members(Reply reply) {
    JsonNode root = parse(reply, false);
    JsonNode members = root.path("members");
    if (!members.isArray()) {
      throw bad(reply, "no \"members\" array", false);
    }
    List<ClusterMembers.Member> out = new ArrayList<>(members.size());
    for (JsonNode m : members) {
      if (!m.path("id").canConvertToInt()) {
        throw bad(reply, "a member without an \"id\"", false);
      }
      out.add(new ClusterMembers.Member(m.path("id").asInt(), m.path("role").asText("unknown"), m.path("promote").asBoolean(false),
          m.path("host").asText(""), m.path("arteryPort").asInt(0), m.path("httpPort").asInt(0),
          m.has("matchIndex") ? java.util.OptionalLong.of(m.get("matchIndex").asLong()) : java.util.OptionalLong.empty(),
          m.has("lag") ? java.util.OptionalLong.of(m.get("lag").asLong()) : java.util.OptionalLong.empty(), m.path("status").asText("")));
    }
    return new ClusterMembers(root.path("leader").asInt(0), root.path("configurationIndex").asLong(0), root.path("committed").asBoolean(false), out);
  }

  /** The {@code configurationIndex} of a membership change's answer. */
  static long configurationIndex(Reply reply) {
    JsonNode root = parse(reply, true);
    if (!root.path("configurationIndex").canConvertToLong()) {
      throw bad(reply, "no \"configurationIndex\"", true);
    }
    return root.get("configurationIndex").asLong();
  }

  /** {@code {"id":N,"ttlSeconds":T}}: a lease's TTL. */
  static long leaseTtlSeconds(Reply reply) {
    JsonNode root = parse(reply, true);
    if (!root.path("ttlSeconds").canConvertToLong()) {
      throw bad(reply, "no lease \"ttlSeconds\"", true);
    }
    return root.get("ttlSeconds").asLong();
  }

  /** {@code {"id":N,"ttlSeconds":T}}: a lease's id. */
  static long leaseId(Reply reply) {
    JsonNode root = parse(reply, true);
    if (!root.path("id").canConvertToLong()) {
      throw bad(reply, "no lease \"id\"", true);
    }
    return root.get("id").asLong();
  }

  /** The {@code error} and {@code detail} of an error body; empty strings when it has none. */
  static String[] error(Reply reply) {
    try {
      JsonNode root = MAPPER.readTree(reply.body());
      if (root != null && root.isObject()) {
        return new String[] {root.path("error").asText(""), root.path("detail").asText("")};
      }
    } catch (IOException e) {
      // not JSON (a proxy's HTML page, say): no fields
    }
    return new String[] {"", ""};
  }

  /** The {@code stateBytes} and {@code quotaBytes} of a 507's body; -1 for each it does not have. */
  static long[] quota(Reply reply) {
    try {
      JsonNode root = MAPPER.readTree(reply.body());
      if (root != null && root.isObject()) {
        return new long[] {root.path("stateBytes").asLong(-1), root.path("quotaBytes").asLong(-1)};
      }
    } catch (IOException e) {
      // not JSON: no sizes
    }
    return new long[] {-1, -1};
  }

  private static JsonNode parse(Reply reply, boolean effectful) {
    try {
      JsonNode root = MAPPER.readTree(reply.body());
      if (root == null || !root.isObject()) {
        throw bad(reply, "not a JSON object", effectful);
      }
      return root;
    } catch (IOException e) {
      throw new RaftkvProtocolException(reply.node() + " answered JSON that does not parse: " + e.getMessage(),
          effectful, e);
    }
  }

  private static RaftkvProtocolException bad(Reply reply, String what, boolean effectful) {
    return new RaftkvProtocolException(reply.node() + " answered " + what, effectful, null);
  }
}
