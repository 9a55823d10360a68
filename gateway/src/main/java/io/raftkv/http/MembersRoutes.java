package io.raftkv.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.integerSegment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftkv.node.MemberDirectory;
import io.raftkv.node.Membership;
import io.raftkv.persistence.raftlog.Member;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.core.ConfigurationChange;
import io.raftkv.security.Role;
import java.io.IOException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code /v1/members}: the cluster's members (GET), adding one (POST), removing one (DELETE
 * {@code /v1/members/ID}) and promoting a learner (POST {@code /v1/members/ID/promote}). Changes go
 * to the leader wherever it is (docs/API.md). Reading them is for any token, changing them for an
 * admin's ({@link ApiAccess}).
 */
final class MembersRoutes extends AllDirectives {
  private final Membership membership;
  private final MemberDirectory directory;
  private final ApiAccess access;

  MembersRoutes(Membership membership, MemberDirectory directory, ApiAccess access) {
    this.membership = membership;
    this.directory = directory;
    this.access = access;
  }

  Route route() {
    return concat(
        pathEnd(() -> concat(
            get(() -> access.allow(Role.READ_ONLY, () -> completeWithFuture(list()))),
            post(() -> access.allow(Role.ADMIN, () -> entity(Unmarshaller.entityToString(), body -> completeWithFuture(add(body))))))),
        pathPrefix(integerSegment(), id -> concat(
            pathEnd(() -> delete(() -> access.allow(Role.ADMIN, () -> completeWithFuture(change(new ConfigurationChange.Remove(id)))))),
            path("promote", () -> post(() -> access.allow(Role.ADMIN, () -> completeWithFuture(change(new ConfigurationChange.Promote(id)))))))));
  }

  private CompletionStage<HttpResponse> list() {
    return membership.members().thenApply(m -> {
      if (m == null) return HttpErrors.unavailable("this node did not answer", 1);
      return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, toJson(m, directory).toString());
    });
  }

  /** The members as JSON: for each, its role, address, and (from a leader's view) its match index and lag. */
  static ObjectNode toJson(RaftNode.Members m, MemberDirectory directory) {
    ObjectNode body = HttpErrors.JSON.createObjectNode().put("leader", m.leaderId()).put("configurationIndex", m.configurationIndex())
        .put("committed", m.committed()).put("clusterId", Member.hex(m.configuration().clusterId()));
    ArrayNode members = body.putArray("members");
    for (Member member : m.configuration().members()) {
      ObjectNode n = members.addObject().put("id", member.id()).put("role", member.voter() ? "voter" : "learner");
      if (!member.voter()) n.put("promote", member.promote());
      MemberDirectory.Address a = member.host().isEmpty() ? directory.address(member.id()) : null;
      n.put("host", a != null ? a.host() : member.host()).put("arteryPort", a != null ? a.arteryPort() : member.arteryPort())
          .put("httpPort", a != null ? a.httpPort() : member.httpPort()).put("incarnation", Member.hex(member.incarnation()));
      if (member.id() == m.nodeId() && m.leaderId() == m.nodeId()) {
        n.put("matchIndex", m.lastIndex()).put("lag", 0).put("status", "leader");
      } else if (m.matchIndexes().containsKey(member.id())) {
        long match = m.matchIndexes().get(member.id());
        long lag = Math.max(0, m.lastIndex() - match);
        n.put("matchIndex", match).put("lag", lag).put("status", lag == 0 ? "caught up" : "behind");
      } else {
        n.put("status", m.leaderId() == m.nodeId() ? "unknown" : "not seen from a leader");
      }
    }
    return body;
  }

  private CompletionStage<HttpResponse> add(String body) {
    Member member;
    long clusterId;
    try {
      member = parseMember(body);
      clusterId = hex(HttpErrors.JSON.readTree(body), "clusterId");
    } catch (IllegalArgumentException | IOException e) {
      return java.util.concurrent.CompletableFuture.completedFuture(HttpErrors.badRequest(e.getMessage()));
    }
    if (clusterId == 0) return change(new ConfigurationChange.Add(member));
    // A node whose data directory belongs to another cluster is refused here, before any change.
    return membership.members().thenCompose(m -> {
      long ours = m == null ? 0 : m.configuration().clusterId();
      if (ours != 0 && ours != clusterId) {
        return java.util.concurrent.CompletableFuture.completedFuture(HttpErrors.error(StatusCodes.CONFLICT, "refused", "node " + member.id()
            + "'s data directory belongs to cluster " + Member.hex(clusterId) + ", this is cluster " + Member.hex(ours)
            + ": start it with an empty data directory to join this one"));
      }
      return change(new ConfigurationChange.Add(member));
    });
  }

  /**
   * {@code {"id": 4, "host": "h", "arteryPort": 2554, "httpPort": 8084, "learner": false,
   * "incarnation": "16 hex digits", "clusterId": "16 hex digits"}}: a new learner (incarnation and
   * cluster id, of the node's data directory, are optional).
   */
  static Member parseMember(String body) throws IOException {
    JsonNode json = HttpErrors.JSON.readTree(body);
    if (json == null || !json.isObject()) throw new IllegalArgumentException("expected a JSON object with id, host, arteryPort and httpPort");
    int id = requiredInt(json, "id", 1, Integer.MAX_VALUE);
    JsonNode host = json.get("host");
    if (host == null || !host.isTextual() || host.asText().isBlank()) throw new IllegalArgumentException("host: a host name or address is required");
    int artery = requiredInt(json, "arteryPort", 1, 65535);
    int http = requiredInt(json, "httpPort", 1, 65535);
    boolean stayLearner = json.path("learner").asBoolean(false);
    long incarnation = hex(json, "incarnation");
    return new Member(id, host.asText(), artery, http, incarnation, false, !stayLearner);
  }

  /** An optional id of 16 hex digits (as {@link Member#hex} writes it), or 0. */
  private static long hex(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) return 0;
    if (!v.isTextual() || !v.asText().matches("[0-9a-fA-F]{1,16}")) throw new IllegalArgumentException(field + ": up to 16 hex digits expected");
    return Long.parseUnsignedLong(v.asText(), 16);
  }

  private static int requiredInt(JsonNode json, String field, int min, int max) {
    JsonNode v = json.get(field);
    if (v == null || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      throw new IllegalArgumentException(field + ": an integer in " + min + ".." + max + " is required");
    }
    return v.asInt();
  }

  private CompletionStage<HttpResponse> change(ConfigurationChange change) {
    return membership.change(change).thenApply(outcome -> {
      if (outcome instanceof Membership.Changed c) {
        return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
            HttpErrors.JSON.createObjectNode().put("configurationIndex", c.index()).toString());
      }
      if (outcome instanceof Membership.Refused r) return HttpErrors.error(StatusCodes.CONFLICT, "refused", r.reason());
      return HttpErrors.unavailable(((Membership.NoLeader) outcome).reason(), 1);
    });
  }
}
