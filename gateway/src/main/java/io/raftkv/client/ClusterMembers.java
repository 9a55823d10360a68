package io.raftkv.client;

import java.util.List;
import java.util.OptionalLong;

/**
 * The cluster's members ({@code GET /v1/members}), as the leader sees them when one answers.
 *
 * @param leader the leader's id, or 0 when the answering node knows none
 * @param configurationIndex the log index of the configuration in force
 * @param committed whether that configuration is committed (a change is under way when not)
 */
public record ClusterMembers(int leader, long configurationIndex, boolean committed, List<Member> members) {
  public ClusterMembers {
    members = List.copyOf(members);
  }

  /**
   * One member.
   *
   * @param role "voter" or "learner"
   * @param promote a learner the leader promotes once caught up (false for one added to stay a learner, and for voters)
   * @param matchIndex the last log index the leader knows it holds (empty when not seen from a leader)
   * @param lag entries it trails the leader's log by (empty when not seen from a leader)
   * @param status "leader", "caught up", "behind", or why it is not known
   */
  public record Member(int id, String role, boolean promote, String host, int arteryPort, int httpPort, OptionalLong matchIndex,
      OptionalLong lag, String status) {
    public boolean voter() {
      return role.equals("voter");
    }
  }
}
