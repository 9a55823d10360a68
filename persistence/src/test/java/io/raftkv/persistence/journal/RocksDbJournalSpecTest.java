package io.raftkv.persistence.journal;

import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;

/** Pekko's journal TCK against {@link RocksDbJournal}, with every optional capability on. */
public class RocksDbJournalSpecTest extends JavaJournalSpec {
  public RocksDbJournalSpecTest() {
    // Fresh dir per instance: the TCK restarts its persistence ids at p-1 in every run.
    super(TestConfigs.plugins(TestConfigs.freshDir("journal-tck"), true));
  }

  @Override
  public CapabilityFlag supportsRejectingNonSerializableObjects() {
    return CapabilityFlag.on();
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
