package io.raftkv.check;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code check-history FILE [--timeout-seconds N]}: checks a history file for linearizability.
 * Exit codes as docs/CLIENT.md gives them: 0 linearizable, 1 not linearizable, 2 bad usage or input,
 * 3 unknown (the time bound ran out). The verdict goes to stdout, problems to stderr.
 */
public final class CheckHistoryMain {
    static final int EXIT_BAD_INPUT = 2;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final String USAGE = String.join("\n",
            "Usage: check-history FILE [--timeout-seconds N]",
            "",
            "Checks that the key-value history in FILE is linearizable. FILE has one JSON event per",
            "line, in real-time order, e.g.",
            "  {\"process\": 3, \"type\": \"invoke\", \"f\": \"put\", \"key\": \"k1\", \"value\": \"v7\", \"time\": 12345678}",
            "type: invoke, ok, fail (no effect) or info (unknown); f: get, put, append, delete or cas",
            "(with \"expected\", null = missing); the ok of a get carries the value read (null = missing).",
            "",
            "  --timeout-seconds N  give up after N seconds (decimals allowed) and answer UNKNOWN;",
            "                       default " + DEFAULT_TIMEOUT.toSeconds(),
            "  -h, --help           show this help",
            "",
            "Exit codes: 0 linearizable, 1 not linearizable, 2 bad usage or input,",
            "3 unknown (the time bound ran out).",
            "");

    private CheckHistoryMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Does the work of {@link #main} and returns the exit code instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        Duration timeout = DEFAULT_TIMEOUT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.print(USAGE);
                return 0;
            } else if (arg.equals("--timeout-seconds") || arg.startsWith("--timeout-seconds=")) {
                String n = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                        : i + 1 < args.length ? args[++i] : null;
                timeout = parseSeconds(n);
                if (timeout == null) {
                    return usageError(err, "--timeout-seconds needs a positive number, found " + n);
                }
            } else if (arg.startsWith("-")) {
                return usageError(err, "unknown option " + arg);
            } else if (file == null) {
                file = arg;
            } else {
                return usageError(err, "one history file at a time; found " + file + " and " + arg);
            }
        }
        if (file == null) {
            return usageError(err, "missing FILE");
        }

        List<Operation> history;
        try {
            history = HistoryReader.read(Path.of(file));
        } catch (InvalidPathException e) {
            err.println("check-history: not a file name: " + file);
            return EXIT_BAD_INPUT;
        } catch (NoSuchFileException e) {
            err.println("check-history: no such file: " + file);
            return EXIT_BAD_INPUT;
        } catch (IOException e) {
            err.println("check-history: cannot read " + file + ": " + e);
            return EXIT_BAD_INPUT;
        } catch (HistoryFormatException e) {
            err.println("check-history: " + file + ": " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        CheckResult result = new LinearizabilityChecker().check(history, timeout);
        out.print(result.describe());
        return result.verdict().exitCode();
    }

    /** Seconds as a Duration, or null if not a positive number. */
    private static Duration parseSeconds(String n) {
        if (n == null) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(n);
            if (seconds.signum() <= 0) {
                return null;
            }
            BigDecimal nanos = seconds.movePointRight(9);
            // beyond ~292 years a bound does not fit in nanoseconds; it is no bound in practice
            return nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? ChronoUnit.FOREVER.getDuration()
                    : Duration.ofNanos(Math.max(1, nanos.longValue()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int usageError(PrintStream err, String problem) {
        err.println("check-history: " + problem);
        err.print(USAGE);
        return EXIT_BAD_INPUT;
    }
}
