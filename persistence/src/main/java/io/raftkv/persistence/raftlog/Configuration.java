package io.raftkv.persistence.raftlog;

import io.raftkv.persistence.statemachine.StateMachineCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who is in the cluster: its voters and learners (dissertation §4). A configuration is a log
 * entry's command (the state machine never sees it) and takes effect on each node as soon as the
 * node appends it, committed or not (§4.1); the configuration as of a snapshot's index is kept with
 * the snapshot. Persisted (Kryo id 111): never change its shape.
 *
 * @param clusterId the cluster's id, created at bootstrap; 0 until the first leader assigns it
 * @param members every member, ascending by id, ids unique
 */
public record Configuration(long clusterId, List<Member> members) implements StateMachineCommand {
  /** Members a configuration holds at most: bounds the messages that carry one. */
  public static final int MEMBERS_MAX = 64;

  /** {@link #sizeBytes()} of the largest configuration. */
  public static final int BYTES_MAX = 16 + MEMBERS_MAX * (40 + 3 * Member.HOST_CHARS_MAX);

  public Configuration {
    if (members.size() > MEMBERS_MAX) throw new IllegalArgumentException(members.size() + " members, at most " + MEMBERS_MAX);
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparingInt(Member::id));
    Set<Integer> ids = new HashSet<>();
    for (Member m : sorted) if (!ids.add(m.id())) throw new IllegalArgumentException("member " + m.id() + " appears twice in " + members);
    members = List.copyOf(sorted);
  }

  /** The configuration of the bootstrap file: these voters, known by id. */
  public static Configuration bootstrap(List<Integer> voters) {
    return new Configuration(0, voters.stream().map(Member::bootstrapVoter).toList());
  }

  public List<Integer> voters() {
    return members.stream().filter(Member::voter).map(Member::id).toList();
  }

  public List<Integer> learners() {
    return members.stream().filter(m -> !m.voter()).map(Member::id).toList();
  }

  /** Every member's id, ascending. */
  public List<Integer> ids() {
    return members.stream().map(Member::id).toList();
  }

  public boolean contains(int id) {
    return member(id) != null;
  }

  public boolean isVoter(int id) {
    Member m = member(id);
    return m != null && m.voter();
  }

  /** The member {@code id}, or null. */
  public Member member(int id) {
    for (Member m : members) if (m.id() == id) return m;
    return null;
  }

  /** This configuration with {@code member} added, or replacing the member of its id. */
  public Configuration with(Member member) {
    List<Member> next = new ArrayList<>(members.size() + 1);
    for (Member m : members) if (m.id() != member.id()) next.add(m);
    next.add(member);
    return new Configuration(clusterId, next);
  }

  public Configuration without(int id) {
    return new Configuration(clusterId, members.stream().filter(m -> m.id() != id).toList());
  }

  public Configuration withClusterId(long id) {
    return new Configuration(id, members);
  }

  @Override
  public int sizeBytes() {
    int bytes = 16;
    for (Member m : members) bytes += 40 + 3 * m.host().length(); // a UTF-8 char takes at most 3 bytes here
    return bytes;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Configuration[voters=").append(voters());
    if (!learners().isEmpty()) s.append(", learners=").append(learners());
    return s.append(']').toString();
  }
}
