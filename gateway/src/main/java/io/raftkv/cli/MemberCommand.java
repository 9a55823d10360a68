package io.raftkv.cli;

import io.raftkv.client.ClusterMembers;
import io.raftkv.client.RaftkvClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv member list|add|remove|promote}: the cluster's members, changed one at a time through the leader. */
@Command(name = "member", mixinStandardHelpOptions = true,
    description = {"Lists and changes the cluster's members (one change at a time, through the leader).",
        "A new member joins as a learner and is promoted to voter once caught up; see docs/OPERATIONS.md."},
    subcommands = {MemberCommand.ListMembers.class, MemberCommand.Add.class, MemberCommand.Remove.class, MemberCommand.Promote.class})
final class MemberCommand implements Runnable {
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: list, add, remove or promote");
  }

  /** {@code raftkv member list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"Lists the members as the leader sees them: role (voter or learner), addresses, the last log index",
          "the leader knows each holds (MATCH), how many entries it trails by (LAG), and its status."},
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:listed", "2:bad usage or input", "3:no answer in time",
          "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
  static final class ListMembers extends ClientCommand {
    private static final String[] HEADER = {"ID", "ROLE", "HOST", "ARTERY", "HTTP", "MATCH", "LAG", "STATUS"};

    @Override
    int run(RaftkvClient client) {
      ClusterMembers m = client.members();
      out().println((m.leader() != 0 ? "leader: node " + m.leader() : "leader: none known") + ", configuration at index "
          + m.configurationIndex() + (m.committed() ? "" : " (not committed yet: a change is under way)"));
      List<String[]> rows = new ArrayList<>();
      rows.add(HEADER);
      for (ClusterMembers.Member x : m.members()) {
        String role = x.voter() ? "voter" : x.promote() ? "learner" : "learner (stays)";
        rows.add(new String[] {Integer.toString(x.id()), role, x.host(), Integer.toString(x.arteryPort()), Integer.toString(x.httpPort()),
            x.matchIndex().isPresent() ? Long.toString(x.matchIndex().getAsLong()) : "-", x.lag().isPresent() ? Long.toString(x.lag().getAsLong()) : "-",
            x.status()});
      }
      Table.print(rows, out());
      return ExitCodes.OK;
    }
  }

  /** {@code raftkv member add ID --host H --artery-port P --http-port Q [--learner]}. */
  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Adds node ID as a learner: it receives the log (a snapshot if it is far behind) and the leader promotes",
          "it to voter once it has caught up and stayed so (raftkv.raft.learner-stabilization-time), unless --learner.",
          "Start the node itself with 'raftkv node --join', which does this step for you."},
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:committed", "2:bad usage or input, or refused by the leader (the reason is printed)",
          "3:no answer in time (the change may have taken effect: run 'raftkv member list')", "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
  static final class Add extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the new member's node id") int id;
    @Option(names = "--host", required = true, description = "the host it listens on") String host;
    @Option(names = "--artery-port", required = true, description = "the port other nodes reach it on") int arteryPort;
    @Option(names = "--http-port", required = true, description = "the port of its HTTP API") int httpPort;
    @Option(names = "--learner", description = "stay a learner: never promoted to voter") boolean learner;

    @Override
    int run(RaftkvClient client) {
      long index = client.addMember(id, host, arteryPort, httpPort, learner);
      out().println("node " + id + " added as a learner" + (learner ? " (it stays one)" : ", promoted once caught up")
          + "; configuration at index " + index);
      return ExitCodes.OK;
    }
  }

  /** A change of one member named by its id, answered with the new configuration's index. */
  abstract static class ChangeOfOne extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID") int id;

    abstract long change(RaftkvClient client);

    abstract String done();

    @Override
    final int run(RaftkvClient client) {
      long index = change(client);
      out().println(done() + "; configuration at index " + index);
      return ExitCodes.OK;
    }
  }

  /** {@code raftkv member remove ID}. */
  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Removes member ID. Removing the leader hands leadership to another voter first. A member that is down",
          "can be removed as long as a quorum of the remaining voters is up; a removed node stops serving."},
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:committed", "2:bad usage or input, or refused by the leader (the reason is printed)",
          "3:no answer in time (the change may have taken effect: run 'raftkv member list')", "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
  static final class Remove extends ChangeOfOne {
    @Override long change(RaftkvClient client) { return client.removeMember(id); }
    @Override String done() { return "node " + id + " removed"; }
  }

  /** {@code raftkv member promote ID}. */
  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Makes learner ID a voter now (refused if the voters would then lack a quorum of caught-up members).",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:committed", "2:bad usage or input, or refused by the leader (the reason is printed)",
          "3:no answer in time (the change may have taken effect: run 'raftkv member list')", "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
  static final class Promote extends ChangeOfOne {
    @Override long change(RaftkvClient client) { return client.promoteMember(id); }
    @Override String done() { return "node " + id + " is a voter"; }
  }
}
