package io.raftkv.cli;

import io.raftkv.client.RaftkvAccessDeniedException;
import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvException;
import io.raftkv.client.RaftkvProtocolException;
import io.raftkv.client.RaftkvQuotaExceededException;
import io.raftkv.client.RaftkvRejectedException;
import io.raftkv.client.RaftkvTimeoutException;
import io.raftkv.client.RaftkvUnavailableException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the cluster: builds the client from the shared options and turns the
 * client's failures into the exit codes docs/CLIENT.md gives, with one line on stderr (a refusal of
 * the credentials, 401 or 403, is {@link ExitCodes#DENIED}).
 */
abstract class ClientCommand implements Callable<Integer> {
  @Mixin ClientOptions connection;

  @Spec CommandSpec spec;

  /** Does the command's work; returns its exit code. */
  abstract int run(RaftkvClient client);

  /** Adds this command's settings to the client's (none by default). */
  RaftkvClient.Builder configure(RaftkvClient.Builder builder) {
    return builder;
  }

  @Override
  public final Integer call() {
    RaftkvClient client;
    try {
      client = configure(connection.builder()).build();
    } catch (IllegalArgumentException e) {
      return fail(ExitCodes.USAGE, e.getMessage());
    }
    try {
      return run(client);
    } catch (RaftkvTimeoutException e) {
      return fail(ExitCodes.UNKNOWN, "no answer in time, the outcome is unknown" + effect(e) + ": " + e.getMessage());
    } catch (RaftkvUnavailableException e) {
      return fail(ExitCodes.UNREACHABLE, "the cluster could not be reached" + effect(e) + ": " + e.getMessage());
    } catch (RaftkvQuotaExceededException e) {
      return fail(ExitCodes.NO_SPACE, "refused, nothing written: the cluster is out of space: " + e.detail());
    } catch (RaftkvAccessDeniedException e) {
      return fail(ExitCodes.DENIED, denied(e));
    } catch (RaftkvRejectedException e) {
      return fail(e.isClientError() ? ExitCodes.USAGE : ExitCodes.UNKNOWN, "refused: " + e.getMessage());
    } catch (RaftkvProtocolException e) {
      return fail(ExitCodes.UNKNOWN, "an answer outside the HTTP contract" + effect(e) + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return fail(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** What the cluster refused of the credentials, and what to do about it. */
  private String denied(RaftkvAccessDeniedException e) {
    if (!e.unauthenticated()) return "not allowed (403): " + e.detail();
    if (connection.token().isEmpty()) {
      return "not authenticated (401): the cluster asks for an API token: give --token TOKEN or set " + ClientOptions.TOKEN_ENV
          + " (raftkv up --secure says where its tokens are)";
    }
    return "not authenticated (401): the cluster does not accept this token (" + e.detail() + ")";
  }

  private static String effect(RaftkvException e) {
    return e.mayHaveTakenEffect() ? " (the write may have taken effect)" : "";
  }

  /** Prints {@code raftkv NAME: message} to stderr and returns {@code code}. */
  int fail(int code, String message) {
    err().println("raftkv " + spec.name() + ": " + message);
    return code;
  }

  // System.out/err as they are now, not as they were when picocli started: tests replace them
  PrintStream out() {
    return System.out;
  }

  PrintStream err() {
    return System.err;
  }
}
