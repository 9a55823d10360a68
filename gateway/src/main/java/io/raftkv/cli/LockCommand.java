package io.raftkv.cli;

import io.raftkv.client.Lock;
import io.raftkv.client.RaftkvClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftkv lock NAME [--ttl DURATION] -- COMMAND ARGS...}. */
@Command(name = "lock", mixinStandardHelpOptions = true,
    description = {"Runs COMMAND while holding the lock NAME: waits until no one else holds it, runs COMMAND with the lock's",
        "fencing token in RAFTKV_FENCING_TOKEN, keeps the lock's lease alive meanwhile, and releases the lock when COMMAND ends.",
        "Pass the token on to what the lock guards, and have it refuse a token smaller than one it has seen: a holder that",
        "stalls longer than the TTL loses the lock without knowing at once (docs/API.md, \"Leases and locks\").",
        "If the lock is lost while COMMAND runs, COMMAND is stopped."},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"COMMAND's:the lock was held while COMMAND ran",
        "2:bad usage or input; COMMAND could not be started", "3:no answer in time", "4:the cluster could not be reached",
        "10:the lock was lost while COMMAND ran (its lease ran out); COMMAND was stopped", ExitCodes.DENIED_HELP})
final class LockCommand extends ClientCommand {
  /** The exit code when the lock was lost under a running command. */
  static final int LOST = 10;

  @Parameters(index = "0", paramLabel = "NAME", description = "the lock's name (its key is lock/NAME)") String name;
  @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "1..*", description = "the command and its arguments, after --")
  List<String> command;
  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "the lease's TTL: how long the lock outlives a holder that stopped keeping it alive (default: ${DEFAULT-VALUE})")
  Duration ttl;

  @Override
  int run(RaftkvClient client) {
    Lock lock;
    try {
      lock = client.lock(name, ttl);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(ExitCodes.UNKNOWN, "interrupted while waiting for the lock");
    }
    try {
      ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
      builder.environment().put("RAFTKV_FENCING_TOKEN", Long.toString(lock.fencingToken()));
      builder.environment().put("RAFTKV_LOCK_KEY", Lock.key(name));
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        return fail(ExitCodes.USAGE, "cannot start " + command.get(0) + ": " + e.getMessage());
      }
      lock.lost().thenAccept(reason -> {
        if (process.isAlive()) {
          err().println("raftkv lock: lost the lock " + name + " (" + reason + "); stopping " + command.get(0));
          process.destroy();
        }
      });
      int code = process.waitFor();
      return lock.lost().isDone() ? LOST : code; // done before close only when lost
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.UNKNOWN;
    } finally {
      lock.close();
    }
  }
}
