package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.serialization.RaftkvSerializable;
import java.util.Objects;

/**
 * One member of a Raft {@link Configuration}: its node id, how to reach it, the incarnation of its
 * data directory, and its role. Persisted (Kryo id 110) inside every configuration: never change
 * its shape.
 *
 * @param id the node id (>= 1), unique among the members; an id removed may be added again, for a node that starts from an empty data directory
 * @param host the host its Artery and HTTP ports listen on
 * @param arteryPort the port other nodes reach it on
 * @param httpPort the port of its HTTP gateway
 * @param incarnation the random id of its data directory, created when the directory was; 0 when
 *     not known (members of the bootstrap file, until they report it)
 * @param voter counts toward quorums and may campaign; a learner only receives the log
 * @param promote a learner that is promoted to voter once it has caught up and stayed caught up;
 *     false for a learner added to stay one (and for every voter)
 */
public record Member(int id, String host, int arteryPort, int httpPort, long incarnation, boolean voter, boolean promote)
    implements RaftkvSerializable {
  /** The longest host name (a DNS name has at most 253 characters). */
  public static final int HOST_CHARS_MAX = 253;

  public Member {
    Objects.requireNonNull(host, "host");
    if (host.length() > HOST_CHARS_MAX) throw new IllegalArgumentException("member " + id + ": host longer than " + HOST_CHARS_MAX + " characters");
    if (id < 1) throw new IllegalArgumentException("member id must be >= 1, was " + id);
    if (voter && promote) throw new IllegalArgumentException("member " + id + ": a voter is not promoted");
  }

  /** A voter of the bootstrap file, known by its id alone (its address lives in the cluster file). */
  public static Member bootstrapVoter(int id) {
    return new Member(id, "", 0, 0, 0, true, false);
  }

  public Member asVoter() {
    return new Member(id, host, arteryPort, httpPort, incarnation, true, false);
  }

  /** This member, known by the incarnation of its data directory. */
  public Member withIncarnation(long id) {
    return new Member(this.id, host, arteryPort, httpPort, id, voter, promote);
  }

  /** An incarnation or a cluster id as logs, files, messages and the API show it: 16 hex digits. */
  public static String hex(long incarnation) {
    return String.format("%016x", incarnation);
  }

  public String role() {
    return voter ? "voter" : "learner";
  }
}
