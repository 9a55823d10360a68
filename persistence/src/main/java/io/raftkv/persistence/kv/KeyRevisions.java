package io.raftkv.persistence.kv;

/**
 * Where a key's value stands in history, as etcd reports it.
 *
 * @param createRevision the revision that created the key (its first write since it was absent)
 * @param modRevision the revision that wrote this value
 * @param version the number of writes since the key was created, this one included: 1 for a key
 *     just created
 */
public record KeyRevisions(long createRevision, long modRevision, long version) {

  /** Revisions of a value built by hand, not read from a store (tests, old answers). */
  public static final KeyRevisions NONE = new KeyRevisions(0, 0, 0);

  public KeyRevisions {
    if (createRevision < 0 || modRevision < createRevision || version < 0) {
      throw new IllegalArgumentException("bad revisions: create " + createRevision + ", mod "
          + modRevision + ", version " + version);
    }
  }
}
