package io.raftkv.cli;

import io.raftkv.client.ClusterStatus;
import io.raftkv.client.NodeStatus;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvException;
import com.typesafe.config.ConfigFactory;
import io.raftkv.node.ClusterLayout;
import io.raftkv.node.FatalStop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code raftkv status}: the cluster as one node sees it, as a table. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows the cluster as the first node that answers sees it: per node its role, term,",
        "commit and applied index, its key-value state's size against its space quota (raftkv.kv.quota-bytes;",
        "ALARM NOSPACE: over it, writes that would grow the state are refused) and whether it is reachable;",
        "the leader is marked with *. With a cluster file, a node of this machine that stopped itself is named",
        "below the table with the reason it left in its data directory (STOPPED)."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:shown", "2:bad usage or input", "3:no answer in time",
        "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
final class StatusCommand extends ClientCommand {
  private static final String[] HEADER = {"NODE", "ROLE", "TERM", "COMMIT", "APPLIED", "STATE", "QUOTA", "ALARM", "REACHABLE", "HTTP"};

  @Override
  int run(RaftkvClient client) {
    List<String> stopped = stoppedNodes();
    ClusterStatus status;
    try {
      status = client.clusterStatus();
    } catch (RaftkvException e) {
      stopped.forEach(err()::println); // the nodes that stopped themselves may be why none answers
      throw e;
    }
    out().println((status.leader().isPresent() ? "leader: node " + status.leader().getAsInt() : "leader: none known")
        + ", term " + number(status.term()));
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (NodeStatus n : status.nodes()) {
      boolean leader = status.leader().isPresent() && status.leader().getAsInt() == n.id();
      rows.add(new String[] {n.id() + (leader ? " *" : ""), n.role(), number(n.term()), number(n.commitIndex()),
          number(n.appliedIndex()), size(n.stateBytes()), size(n.quotaBytes()), n.stateBytes() < 0 ? "-" : n.quotaAlarm() ? "NOSPACE" : "none",
          n.reachable() ? "yes" : "no", n.http()});
    }
    Table.print(rows, out());
    stopped.forEach(out()::println);
    return ExitCodes.OK;
  }

  /**
   * For a cluster file's nodes on this machine, the line each left in its data directory when it
   * stopped itself ({@link FatalStop}); data directories resolve against the working directory, as
   * the nodes' do. None for {@code --nodes}, which names no data directories.
   */
  private List<String> stoppedNodes() {
    if (connection.nodes != null) return new ArrayList<>();
    Path file = connection.clusterFile != null ? connection.clusterFile : ClientOptions.DEFAULT_CLUSTER_FILE;
    List<String> lines = new ArrayList<>();
    try {
      ClusterLayout layout = ClusterLayout.from(ConfigFactory.parseFile(file.toFile()).resolve());
      for (ClusterLayout.Member m : layout.members()) {
        FatalStop.read(Path.of("").toAbsolutePath().resolve(m.dataDir())).ifPresent(lines::add);
      }
    } catch (RuntimeException e) {
      // not a full cluster file (a client's list of URLs only): nothing to say
    }
    return lines;
  }

  private static String number(long n) {
    return n < 0 ? "-" : Long.toString(n);
  }

  /** Bytes in the largest binary unit that leaves at least 1 (1023 B, 1.5 KiB, 2.0 GiB); "-" when unknown. */
  static String size(long bytes) {
    if (bytes < 0) return "-";
    if (bytes < 1024) return bytes + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
