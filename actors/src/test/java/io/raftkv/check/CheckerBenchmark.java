package io.raftkv.check;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times the checker on a large generated history. Not a test (the name does not end in Test, so
 * Surefire skips it); run it by hand, see docs/PERFORMANCE.md:
 * {@code java -cp ... io.raftkv.check.CheckerBenchmark [operations keys clients unknownRate seed repeats [historyFile]]};
 * with a history file, the generated history is also saved there, for timing {@code check-history} on it.
 */
public final class CheckerBenchmark {
    private CheckerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        double unknownRate = args.length > 3 ? Double.parseDouble(args[3]) : 0.01;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        int repeats = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        Path historyFile = args.length > 6 ? Path.of(args[6]) : null;
        int processors = Runtime.getRuntime().availableProcessors();

        long t0 = System.nanoTime();
        List<Operation> history = RandomHistories.generate(seed, clients, keys, operations, unknownRate);
        long t1 = System.nanoTime();
        StringWriter file = new StringWriter();
        try (HistoryWriter w = new HistoryWriter(file)) {
            w.writeAll(history);
        }
        long t2 = System.nanoTime();
        List<Operation> read = HistoryReader.read(new StringReader(file.toString()));
        long t3 = System.nanoTime();
        long unknown = history.stream().filter(op -> op.outcome() == Outcome.INFO).count();
        long failed = history.stream().filter(op -> op.outcome() == Outcome.FAIL).count();
        System.out.printf(Locale.ROOT, "history: %d operations (%d failed cas, ignored; %d unknown outcome) on %d keys"
                + " from %d clients, seed %d%n", history.size(), failed, unknown, keys, clients, seed);
        System.out.printf(Locale.ROOT, "generate %.0f ms, write %d lines %.0f ms, read back %d operations %.0f ms"
                + " (one cold run each)%n", ms(t1 - t0), file.toString().lines().count(), ms(t2 - t1), read.size(),
                ms(t3 - t2));

        if (historyFile != null) {
            Files.writeString(historyFile, file.toString(), StandardCharsets.UTF_8);
            System.out.println("history saved to " + historyFile);
        }

        // the generated history itself: the same as the one read back, plus the failed cas the reader drops
        List<Operation> corrupted = RandomHistories.corruptOneRead(history, seed);
        String corruptedKey = corrupted.stream().filter(op -> RandomHistories.NEVER_WRITTEN.equals(op.read()))
                .findFirst().orElseThrow().key();
        // keys are checked in order and a failure abandons the larger ones, so this time depends on the key
        System.out.println("the corrupted read is on key " + corruptedKey);
        for (int threads : new int[] {processors, 1}) {
            report("linearizable", history, Verdict.LINEARIZABLE, threads, repeats);
            report("one read corrupted", corrupted, Verdict.NOT_LINEARIZABLE, threads, repeats);
        }
    }

    /** Runs the check once to warm up, then {@code repeats} times; prints the median and the range. */
    private static void report(String name, List<Operation> history, Verdict expected, int threads, int repeats) {
        LinearizabilityChecker checker = new LinearizabilityChecker(threads);
        checker.check(history);
        double[] times = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            CheckResult r = checker.check(history);
            times[i] = ms(System.nanoTime() - start);
            if (r.verdict() != expected) {
                throw new AssertionError(name + ": expected " + expected + ", got " + r.describe());
            }
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "check, %-18s %d thread(s): median %.0f ms (min %.0f, max %.0f) over %d runs%n",
                name, threads, times[repeats / 2], times[0], times[repeats - 1], repeats);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
