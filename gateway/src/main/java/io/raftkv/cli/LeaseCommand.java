package io.raftkv.cli;

import io.raftkv.client.RaftkvClient;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv lease grant|keep-alive|revoke}: leases, whose keys are deleted when they run out. */
@Command(name = "lease", mixinStandardHelpOptions = true,
    description = {"Grants, keeps alive and revokes leases. A key put with --lease ID is deleted when its lease ends:",
        "revoked, or not kept alive for its TTL (the leader decides, and the deletion is replicated). See docs/API.md, \"Leases and locks\"."},
    subcommands = {LeaseCommand.Grant.class, LeaseCommand.KeepAlive.class, LeaseCommand.Revoke.class})
final class LeaseCommand implements Runnable {
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: grant, keep-alive or revoke");
  }

  /** {@code raftkv lease grant TTL}. */
  @Command(name = "grant", mixinStandardHelpOptions = true, description = "Grants a lease of TTL (e.g. 10s, 2m; whole seconds, at least 2 s) and prints its id.",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:granted", "2:bad usage or input (a TTL out of range)", "3:no answer in time",
          "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
  static final class Grant extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TTL", converter = DurationConverter.class) Duration ttl;

    @Override
    int run(RaftkvClient client) {
      out().println(client.grantLease(ttl));
      return ExitCodes.OK;
    }
  }

  /** {@code raftkv lease keep-alive ID [--once]}. */
  @Command(name = "keep-alive", mixinStandardHelpOptions = true,
      description = {"Keeps lease ID alive, every third of its TTL, until interrupted or until the lease is gone; with --once, once.",
          "Prints the TTL after each keep-alive."},
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:kept alive (--once)", "1:the lease is gone (ran out or revoked)",
          "2:bad usage or input", "3:no answer in time", "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
  static final class KeepAlive extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID") long id;
    @Option(names = "--once", description = "keep it alive once, then exit") boolean once;

    @Override
    int run(RaftkvClient client) {
      while (true) {
        OptionalLong ttl = client.keepAliveLease(id);
        if (ttl.isEmpty()) {
          return fail(ExitCodes.NO, "lease " + id + " is gone: it ran out or was revoked");
        }
        out().println("lease " + id + " kept alive for " + ttl.getAsLong() + " s");
        out().flush();
        if (once) {
          return ExitCodes.OK;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(ttl.getAsLong() * 1000 / 3); // the keep-alive period, not synchronization
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return ExitCodes.OK;
        }
      }
    }
  }

  /** {@code raftkv lease revoke ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Ends lease ID now, deleting every key attached to it (at one revision).",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:revoked", "1:the lease was gone already", "2:bad usage or input",
          "3:no answer in time", "4:the cluster could not be reached", ExitCodes.DENIED_HELP})
  static final class Revoke extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID") long id;

    @Override
    int run(RaftkvClient client) {
      if (!client.revokeLease(id)) {
        return fail(ExitCodes.NO, "lease " + id + " was gone already");
      }
      out().println("OK");
      return ExitCodes.OK;
    }
  }
}
