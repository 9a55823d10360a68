package io.raftkv.persistence.kv;

/**
 * Bounds on the leases of a {@link KvStateMachine}. They decide what {@code apply} answers, so
 * configure the same on every node.
 *
 * @param leasesMax the most leases alive at once; a grant beyond is refused
 * @param keysPerLeaseMax the most keys attached to one lease; a put that would attach one more is
 *     refused (a revoke deletes all of a lease's keys in one entry, and a watch sends them in one line)
 */
public record LeasePolicy(int leasesMax, int keysPerLeaseMax) {

  public static final String LEASES_MAX = "leasesMax";
  public static final String KEYS_PER_LEASE_MAX = "keysPerLeaseMax";

  /** 100,000 leases, 10,000 keys each. */
  public static final LeasePolicy DEFAULT = new LeasePolicy(100_000, 10_000);

  public LeasePolicy {
    if (leasesMax < 1 || keysPerLeaseMax < 1) {
      throw new IllegalArgumentException("leasesMax and keysPerLeaseMax must be >= 1, got " + leasesMax + " and " + keysPerLeaseMax);
    }
  }
}
