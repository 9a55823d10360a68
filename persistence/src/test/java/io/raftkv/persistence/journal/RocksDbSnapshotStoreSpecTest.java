package io.raftkv.persistence.journal;

import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.snapshot.JavaSnapshotStoreSpec;

/** Pekko's snapshot store TCK against {@link RocksDbSnapshotStore}, every capability on. */
public class RocksDbSnapshotStoreSpecTest extends JavaSnapshotStoreSpec {
  public RocksDbSnapshotStoreSpecTest() {
    super(TestConfigs.plugins(TestConfigs.freshDir("snapshot-tck"), true));
  }

  @Override
  public CapabilityFlag supportsSerialization() {
    return CapabilityFlag.on();
  }

  @Override
  public CapabilityFlag supportsMetadata() {
    return CapabilityFlag.on();
  }
}
