package io.raftkv.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random histories that are linearizable by construction: concurrent clients run operations on a
 * sequential key-value map, in a seeded random interleaving, and each operation takes effect at a
 * random instant inside its interval (invoke, effect and return are three separate steps, with other
 * clients' steps in between). Some operations end with an unknown outcome: half of those took effect,
 * half never did; a client that saw one goes on as a new process, as in Jepsen.
 */
final class RandomHistories {
    /** The value no operation writes, for corrupting a read. */
    static final String NEVER_WRITTEN = "<never written>";

    private RandomHistories() {}

    /**
     * @param unknownRate the probability that an operation's outcome is unknown
     */
    static List<Operation> generate(long seed, int clients, int keys, int operations, double unknownRate) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, String> store = new HashMap<>();
        Client[] cs = new Client[clients];
        for (int c = 0; c < clients; c++) {
            cs[c] = new Client(c);
        }
        List<Operation> history = new ArrayList<>(operations);
        int invoked = 0;
        int busy = 0;
        long time = 0;
        while (invoked < operations || busy > 0) {
            time += 1 + random.nextInt(3);
            Client c = cs[random.nextInt(clients)];
            switch (c.phase) {
                case IDLE:
                    if (invoked < operations) {
                        c.op = newOperation(random, c, keys, store, invoked, time);
                        c.lost = random.nextDouble() < unknownRate / 2;
                        c.unknown = c.lost || random.nextDouble() < unknownRate / 2;
                        c.phase = Phase.INVOKED;
                        invoked++;
                        busy++;
                    }
                    break;
                case INVOKED:
                    if (!c.lost) {
                        c.op = takeEffect(c.op, store);
                    }
                    c.phase = Phase.APPLIED;
                    break;
                case APPLIED:
                    history.add(complete(c.op, c.unknown, time));
                    if (c.unknown) {
                        c.process += clients; // its client no longer knows where it stands
                    }
                    c.phase = Phase.IDLE;
                    busy--;
                    break;
                default:
                    throw new AssertionError(c.phase);
            }
        }
        return history;
    }

    /** {@code history} with one OK get, chosen by {@code seed}, reading a value nobody wrote. */
    static List<Operation> corruptOneRead(List<Operation> history, long seed) {
        List<Integer> gets = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Operation op = history.get(i);
            if (op.f() == OpType.GET && op.outcome() == Outcome.OK) {
                gets.add(i);
            }
        }
        int victim = gets.get(new SplittableRandom(seed).nextInt(gets.size()));
        List<Operation> corrupted = new ArrayList<>(history);
        corrupted.set(victim, history.get(victim).withRead(NEVER_WRITTEN));
        return corrupted;
    }

    private static Operation newOperation(
            SplittableRandom random, Client c, int keys, Map<String, String> store, int n, long time) {
        String key = String.format("k%03d", random.nextInt(keys));
        String value = "c" + c.id + "." + n + ";"; // unique, so a read tells which writes it saw
        int dice = random.nextInt(100);
        long returnLater = time; // the real return time is set at completion
        if (dice < 35) {
            return Operation.get(c.process, key, null, time, returnLater);
        } else if (dice < 55) {
            return Operation.put(c.process, key, value, time, returnLater);
        } else if (dice < 75) {
            return Operation.append(c.process, key, value, time, returnLater);
        } else if (dice < 80) {
            return Operation.delete(c.process, key, time, returnLater);
        } else {
            // mostly a fair chance to win: the value seen now, which may change before the cas takes effect
            int which = random.nextInt(4);
            String expected = which < 2 ? store.get(key) : which == 2 ? null : "c0.0;";
            return Operation.cas(c.process, key, expected, value, time, returnLater);
        }
    }

    /** Applies {@code op} to the store now and returns it with what it observed. */
    private static Operation takeEffect(Operation op, Map<String, String> store) {
        String current = store.get(op.key());
        if (!KvModel.isLegal(current, op)) {
            if (op.f() == OpType.GET) {
                return op.withRead(current);
            }
            return op.failed(); // a cas that found another value
        }
        String next = KvModel.apply(current, op);
        if (next == null) {
            store.remove(op.key());
        } else {
            store.put(op.key(), next);
        }
        return op;
    }

    private static Operation complete(Operation op, boolean unknown, long time) {
        Operation done = new Operation(op.process(), op.f(), op.key(), op.value(), op.expected(),
                op.invokeTime(), time, op.outcome(), op.read());
        // a lost or timed-out operation: the client cannot tell whether it happened, so its get read nothing
        return unknown ? done.unknown() : done;
    }

    private enum Phase { IDLE, INVOKED, APPLIED }

    private static final class Client {
        final int id;
        int process;
        Phase phase = Phase.IDLE;
        Operation op;
        boolean lost;
        boolean unknown;

        Client(int id) {
            this.id = id;
            this.process = id;
        }
    }
}
