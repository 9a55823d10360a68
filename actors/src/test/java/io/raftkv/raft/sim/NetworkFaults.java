package io.raftkv.raft.sim;

/**
 * How the simulated network and disks misbehave. Delays are in ticks (one tick is 10 ms of
 * simulated time with the default settings).
 *
 * @param requestDropRate chance that a request (vote, append, snapshot chunk) is lost
 * @param replyDropRate chance that a reply is lost
 * @param duplicateRate chance that a message is delivered twice
 * @param delayTicksMin least delivery delay
 * @param delayTicksMax greatest delivery delay; different delays reorder messages
 * @param longDelayRate chance that a reply is held back by long reordering
 * @param longDelayTicksMax greatest extra delay of long reordering
 * @param diskTicksMin least time for the log to make a batch durable
 * @param diskTicksMax greatest such time (a slow disk)
 */
public record NetworkFaults(double requestDropRate, double replyDropRate, double duplicateRate, int delayTicksMin, int delayTicksMax,
    double longDelayRate, int longDelayTicksMax, int diskTicksMin, int diskTicksMax) {

  /** A reliable network: nothing lost, delays of 0-1 tick (the lab's reliable network has none). */
  public static NetworkFaults reliable() {
    return new NetworkFaults(0, 0, 0, 0, 1, 0, 0, 0, 1);
  }

  /** The lab's unreliable network: 10% of requests and 10% of replies dropped, delays 0-26 ms, plus duplicates. */
  public static NetworkFaults unreliable() {
    return new NetworkFaults(0.1, 0.1, 0.05, 0, 2, 0, 0, 0, 1);
  }

  /** Long reordering (the lab's Figure8Unreliable): 2/3 of replies delayed 200-2200 ms. */
  public NetworkFaults withLongReordering() {
    return new NetworkFaults(requestDropRate, replyDropRate, duplicateRate, delayTicksMin, delayTicksMax, 0.66, 220, diskTicksMin, diskTicksMax);
  }

  public NetworkFaults withSlowDisk(int ticksMax) {
    return new NetworkFaults(requestDropRate, replyDropRate, duplicateRate, delayTicksMin, delayTicksMax, longDelayRate, longDelayTicksMax, diskTicksMin, ticksMax);
  }
}
