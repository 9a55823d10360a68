package io.raftkv.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code raftkv} command line; {@code ./raftkv} at the repository root builds it on first use and runs it. */
@Command(
    name = "raftkv",
    mixinStandardHelpOptions = true,
    version = "raftkv 0.1.0",
    description = "A Raft-replicated key-value store on Apache Pekko.",
    subcommands = {UpCommand.class, DownCommand.class, NodeCommand.class, PutCommand.class, GetCommand.class, AppendCommand.class, DeleteCommand.class,
        CasCommand.class, ScanCommand.class, TxnCommand.class, CompactCommand.class, WatchCommand.class, LeaseCommand.class, LockCommand.class, BenchCoordinationCommand.class, StatusCommand.class, MemberCommand.class, StressCommand.class, CheckHistoryCommand.class, CertsCommand.class,
        CommandLine.HelpCommand.class})
public final class RaftkvCli implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (bad usage: picocli's 2, which is {@link ExitCodes#USAGE}). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with the built-in subcommands and every {@link CliExtension} on the class path. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new RaftkvCli());
    for (CliExtension extension : ServiceLoader.load(CliExtension.class)) {
      cli.addSubcommand(extension);
    }
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out); // no subcommand: show what there is
  }
}
