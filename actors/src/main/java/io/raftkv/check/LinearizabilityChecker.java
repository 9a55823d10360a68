package io.raftkv.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks that a key-value history is linearizable against {@link KvModel}.
 *
 * <p>The store is a product of independent registers, one per key, and linearizability is local
 * (Herlihy and Wing): a history is linearizable iff each key's sub-history is. So each key is
 * searched alone ({@link KeySearch}), on up to {@code threads} threads.
 *
 * <p>The answer does not depend on scheduling: keys are taken in String order, and when a key fails
 * only the keys after it are abandoned, so the failing key reported is the smallest one that fails.
 * Only a time bound or the memory budget running out can make it depend on speed, and then the
 * answer says UNKNOWN (or, if a failing key was found meanwhile, NOT_LINEARIZABLE, which is certain).
 *
 * <p>Instances are immutable and may be shared.
 */
public final class LinearizabilityChecker {
    private final int threads;
    private final long memoryBudgetBytes;

    /** Uses every available processor and half of the heap. */
    public LinearizabilityChecker() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Uses up to {@code threads} threads and half of the heap. */
    public LinearizabilityChecker(int threads) {
        this(threads, Runtime.getRuntime().maxMemory() / 2);
    }

    /**
     * @param threads           how many keys to search at once
     * @param memoryBudgetBytes roughly how much memory the searches' memo may hold in all; a key whose
     *                          search needs more is UNKNOWN (the budget is shared out between threads)
     */
    public LinearizabilityChecker(int threads, long memoryBudgetBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("memoryBudgetBytes must be positive: " + memoryBudgetBytes);
        }
        this.threads = threads;
        this.memoryBudgetBytes = memoryBudgetBytes;
    }

    /** Checks with no time bound. */
    public CheckResult check(List<Operation> history) {
        return check(history, null);
    }

    /**
     * Checks {@code history}; answers UNKNOWN for keys still undecided after {@code timeout}
     * (null = no bound).
     */
    public CheckResult check(List<Operation> history, Duration timeout) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(start, timeout);
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        List<String> keys = new ArrayList<>(byKey.keySet());
        List<List<Operation>> partitions = new ArrayList<>(byKey.values());
        for (List<Operation> ops : partitions) {
            ops.sort(Comparator.comparingLong(Operation::invokeTime));
        }
        Run run = new Run(partitions, deadline, memoryBudgetBytes / Math.min(threads, Math.max(1, keys.size())));
        run.execute(threads);

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int failing = run.smallestFailure.get();
        if (failing != Integer.MAX_VALUE) {
            List<Operation> ops = partitions.get(failing);
            List<Operation> checked = searched(ops);
            List<Operation> longest = new ArrayList<>();
            for (int i : run.longest[failing]) {
                longest.add(checked.get(i));
            }
            return new CheckResult(Verdict.NOT_LINEARIZABLE, history.size(), keys.size(), keys.get(failing), ops,
                    longest, List.of(), elapsed);
        }
        List<String> undecided = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (run.results[i] != KeySearch.Result.LINEARIZABLE) {
                undecided.add(keys.get(i));
            }
        }
        Verdict verdict = undecided.isEmpty() ? Verdict.LINEARIZABLE : Verdict.UNKNOWN;
        return new CheckResult(verdict, history.size(), keys.size(), null, List.of(), List.of(), undecided, elapsed);
    }

    /**
     * The operations the search must place: a FAIL did not happen, and a get with an unknown outcome
     * observed nothing and changed nothing, so neither constrains the history.
     */
    static List<Operation> searched(List<Operation> ops) {
        List<Operation> kept = new ArrayList<>(ops.size());
        for (Operation op : ops) {
            boolean failed = op.outcome() == Outcome.FAIL;
            boolean unknownRead = op.outcome() == Outcome.INFO && op.f() == OpType.GET;
            if (!failed && !unknownRead) {
                kept.add(op);
            }
        }
        return kept;
    }

    /** One check's shared state: the keys, a cursor over them, and what each search found. */
    private static final class Run {
        final List<List<Operation>> partitions;
        final Deadline deadline;
        final long budgetPerSearch;
        final AtomicInteger nextKey = new AtomicInteger();
        /** Index of the smallest key known to fail; MAX_VALUE while none. Only ever decreases. */
        final AtomicInteger smallestFailure = new AtomicInteger(Integer.MAX_VALUE);
        final KeySearch.Result[] results;
        final int[][] longest;
        final AtomicReference<Throwable> crash = new AtomicReference<>();

        Run(List<List<Operation>> partitions, Deadline deadline, long budgetPerSearch) {
            this.partitions = partitions;
            this.deadline = deadline;
            this.budgetPerSearch = budgetPerSearch;
            this.results = new KeySearch.Result[partitions.size()];
            this.longest = new int[partitions.size()][];
        }

        void execute(int threads) {
            int workers = Math.min(threads, partitions.size());
            if (workers <= 1) {
                work();
                return;
            }
            List<Thread> started = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Thread t = new Thread(this::guardedWork, "linearizability-check-" + w);
                t.setDaemon(true); // a check abandoned by an interrupted caller must not keep the JVM alive
                t.start();
                started.add(t);
            }
            try {
                for (Thread t : started) {
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                smallestFailure.set(-1); // stops every search and every worker: -1 is below every key
                throw new IllegalStateException("interrupted while checking", e);
            }
            Throwable t = crash.get();
            if (t != null) {
                throw new IllegalStateException("a checker thread failed", t);
            }
        }

        private void guardedWork() {
            try {
                work();
            } catch (RuntimeException | Error e) {
                crash.compareAndSet(null, e);
                smallestFailure.set(-1); // stops every search; -1 is never reported since execute rethrows
            }
        }

        private void work() {
            int i;
            while ((i = nextKey.getAndIncrement()) < partitions.size()) {
                final int key = i;
                if (smallestFailure.get() < key || deadline.passed()) {
                    results[key] = KeySearch.Result.STOPPED;
                    continue;
                }
                KeySearch search = new KeySearch(searched(partitions.get(key)), budgetPerSearch);
                KeySearch.Result r = search.run(
                        () -> smallestFailure.get() < key || deadline.passed());
                results[key] = r;
                if (r == KeySearch.Result.NOT_LINEARIZABLE) {
                    longest[key] = search.longestLinearization();
                    smallestFailure.accumulateAndGet(key, Math::min);
                }
            }
        }
    }

    /** A point in System.nanoTime's scale, or none; compared by difference, as nanoTime requires. */
    private static final class Deadline {
        private final boolean bounded;
        private final long at;

        private Deadline(boolean bounded, long at) {
            this.bounded = bounded;
            this.at = at;
        }

        static Deadline after(long start, Duration timeout) {
            if (timeout == null) {
                return new Deadline(false, 0);
            }
            long nanos;
            try {
                nanos = Math.max(0, timeout.toNanos());
            } catch (ArithmeticException tooLong) {
                return new Deadline(false, 0); // centuries: no bound in practice
            }
            return new Deadline(true, start + nanos);
        }

        boolean passed() {
            return bounded && System.nanoTime() - at >= 0;
        }
    }
}
