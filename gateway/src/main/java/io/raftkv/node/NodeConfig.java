package io.raftkv.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.raftkv.persistence.journal.RocksDbTuning;
import io.raftkv.persistence.kv.HistoryPolicy;
import io.raftkv.persistence.kv.LeasePolicy;
import io.raftkv.watch.WatchSettings;
import io.raftkv.persistence.kv.KvLimits;
import io.raftkv.persistence.kv.SessionPolicy;
import io.raftkv.raft.RaftSettings;
import io.raftkv.security.AuthSettings;
import io.raftkv.security.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one node needs, read and validated at start: the cluster layout, this node's place in
 * it, its Raft settings, the key-value limits and space quota ({@code quotaBytes}, raftkv.kv.quota-bytes),
 * TLS and the API's authentication (a host beyond loopback needs both, {@link Exposure}),
 * and the ActorSystem configuration built from them. A
 * setting that cannot work is refused here, with a message naming it, before anything starts.
 */
public record NodeConfig(ClusterLayout layout, ClusterLayout.Member self, Path dataDir, NodeIdentity identity, RaftSettings raft, KvLimits limits,
    SessionPolicy sessions, HistoryPolicy history, LeasePolicy leases, WatchSettings watch, GatewaySettings gateway, Config system, long quotaBytes, TlsSettings tls, AuthSettings auth) {

  /**
   * @param clusterFile the cluster layout (conf/cluster.conf)
   * @param overrides more settings (conf/application.conf's keys), or an empty config
   * @param baseDir where relative data directories live
   */
  public static NodeConfig load(int id, Path clusterFile, Config overrides, Path baseDir) {
    if (!Files.isRegularFile(clusterFile)) throw new IllegalArgumentException("cluster file " + clusterFile + " does not exist");
    Config file = ConfigFactory.parseFile(clusterFile.toFile());
    return of(id, overrides.withFallback(file), baseDir);
  }

  public static NodeConfig of(int id, Config given, Path baseDir) {
    return of(id, given, baseDir, false);
  }

  /**
   * @param joining the node joins a running cluster ({@link ClusterJoin}): the layout lists the
   *     members it was told of and itself, and it starts with no voters of its own (the leader's log
   *     makes it a member), so it never campaigns on a configuration it made up
   */
  public static NodeConfig of(int id, Config given, Path baseDir, boolean joining) {
    Config merged = given.withFallback(ConfigFactory.defaultReference()).resolve();
    ClusterLayout layout = ClusterLayout.from(merged);
    ClusterLayout.Member self = layout.member(id);
    Path dataDir = baseDir.resolve(self.dataDir()).toAbsolutePath().normalize();
    ensureWritable(dataDir, id);
    NodeIdentity identity;
    try {
      identity = NodeIdentity.loadOrCreate(dataDir, id);
    } catch (java.io.UncheckedIOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    RaftSettings raft;
    try {
      raft = RaftSettings.fromConfig(merged.getConfig("raftkv.raft"), id, joining ? List.of() : layout.ids()).withIncarnation(identity.incarnation());
    } catch (ConfigException e) {
      // A mistyped value: the section's reader names the key relative to raftkv.raft.
      throw new IllegalArgumentException("raftkv.raft: " + e.getMessage(), e);
    }
    // Read at their full keys and checked before narrowing to int, so a refusal names the key and a
    // size past 2 GiB is refused instead of wrapping round to another value.
    KvLimits limits = new KvLimits(bounded(merged, "raftkv.kv.key-bytes-max", true), bounded(merged, "raftkv.kv.value-bytes-max", true),
        bounded(merged, "raftkv.kv.scan-entries-max", false), bounded(merged, "raftkv.kv.scan-bytes-max", true));
    long quotaBytes = merged.getBytes("raftkv.kv.quota-bytes");
    if (quotaBytes < limits.valueBytesMax()) {
      throw new IllegalArgumentException("raftkv.kv.quota-bytes: must be at least raftkv.kv.value-bytes-max (" + limits.valueBytesMax()
          + " bytes), was " + quotaBytes + " (set in " + merged.getValue("raftkv.kv.quota-bytes").origin().description() + ")");
    }
    long sessionExpiry = merged.getLong("raftkv.kv.session-expiry-entries");
    if (sessionExpiry < 1) throw new IllegalArgumentException("raftkv.kv.session-expiry-entries: must be >= 1, was " + sessionExpiry);
    SessionPolicy sessions = new SessionPolicy(sessionExpiry, bounded(merged, "raftkv.kv.sessions-max", false));
    HistoryPolicy history = new HistoryPolicy(bounded(merged, "raftkv.kv.history-revisions-max", false),
        bounded(merged, "raftkv.kv.history-bytes-max", true));
    LeasePolicy leases = new LeasePolicy(bounded(merged, "raftkv.kv.leases-max", false), bounded(merged, "raftkv.kv.keys-per-lease-max", false));
    // The persistence plugins read these only when they start, after the node has announced itself.
    merged.getBoolean("raftkv.persistence.journal.fsync");
    merged.getBoolean("raftkv.persistence.snapshot-store.fsync");
    for (String plugin : new String[] {"raftkv.persistence.journal", "raftkv.persistence.snapshot-store"}) {
      RocksDbTuning.fromPluginConfig(merged.getConfig(plugin), plugin);
    }
    if (given.hasPath("raftkv.raft.log-events-per-pekko-snapshot")) {
      throw new IllegalArgumentException("raftkv.raft.log-events-per-pekko-snapshot: no longer used (remove it): the log now deletes"
          + " its journal events at each Raft snapshot, see snapshot-log-bytes-min and snapshot-log-bytes-max");
    }
    GatewaySettings gateway = GatewaySettings.fromConfig(merged.getConfig("raftkv.http"));
    WatchSettings watch;
    try {
      watch = WatchSettings.fromConfig(merged.getConfig("raftkv.watch"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("raftkv.watch: " + e.getMessage(), e);
    }
    if ((long) gateway.sessionsMax() * layout.ids().size() > sessions.sessionsMax()) {
      throw new IllegalArgumentException("raftkv.http.sessions-max (" + gateway.sessionsMax() + ") x " + layout.ids().size()
          + " nodes exceeds raftkv.kv.sessions-max (" + sessions.sessionsMax() + "): the gateways' sessions would evict each other");
    }
    // Every message between nodes must fit one Artery frame: derived from the limits, refused if none can hold them.
    ArteryFrame frame = ArteryFrame.derive(raft, limits);
    if (gateway.inboxBytesMax() < limits.commandBytesMax()) {
      throw new IllegalArgumentException("raftkv.http.inbox-bytes-max: " + gateway.inboxBytesMax() + " bytes cannot hold the largest write"
          + " the key-value limits allow (" + limits.commandBytesMax() + " bytes: a cas of raftkv.kv.key-bytes-max and two values of"
          + " raftkv.kv.value-bytes-max), which would always be refused");
    }

    TlsSettings tls;
    try {
      tls = TlsSettings.fromConfig(merged, id, baseDir);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(TlsSettings.KEY + ": " + e.getMessage(), e);
    }
    AuthSettings auth;
    try {
      auth = AuthSettings.fromConfig(merged, baseDir, tls.files());
    } catch (ConfigException e) {
      throw new IllegalArgumentException(AuthSettings.KEY + ": " + e.getMessage(), e);
    }
    BindAddresses.check(self);
    Exposure.check(merged, self, tls, auth);
    Config system = ConfigFactory.parseString(String.join("\n",
            "pekko.actor.provider = cluster",
            "pekko.remote.artery.transport = " + transport(given, tls),
            "pekko.cluster.seed-nodes = []"))
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(self.host()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(self.arteryPort()))
        .withFallback(arteryBind(given, self))
        .withValue("raftkv.node-id", ConfigValueFactory.fromAnyRef(id))
        .withValue("raftkv.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
        .withValue("raftkv.persistence.journal.dir", ConfigValueFactory.fromAnyRef(dataDir.resolve("journal").toString()))
        .withValue("raftkv.persistence.snapshot-store.dir", ConfigValueFactory.fromAnyRef(dataDir.resolve("snapshots").toString()))
        .withFallback(given)
        .withFallback(frame.settingsUnder(given))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    return new NodeConfig(layout, self, dataDir, identity, raft, limits, sessions, history, leases, watch, gateway, system, quotaBytes, tls, auth);
  }

  /**
   * Where Artery listens when the cluster file gives a {@code bind-host} other than {@code host}
   * (canonical stays {@code host}, the address peers dial); otherwise nothing, leaving a hand-set
   * {@code pekko.remote.artery.bind.hostname} as it was. Both at once, differing, is refused.
   */
  private static Config arteryBind(Config given, ClusterLayout.Member self) {
    if (self.bindHost().equals(self.host())) return ConfigFactory.empty();
    String key = "pekko.remote.artery.bind.hostname";
    if (given.hasPath(key) && !given.getString(key).isBlank() && !given.getString(key).equals(self.bindHost())) {
      throw new IllegalArgumentException(key + " = " + given.getString(key) + " (set in " + given.getValue(key).origin().description()
          + ") contradicts raftkv.cluster.nodes (id " + self.id() + ") bind-host = " + self.bindHost() + ": give bind-host only");
    }
    return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(self.bindHost()));
  }

  /** This node's HTTP API as clients reach it: https when TLS is on. */
  public String httpUrl() {
    String url = self.httpUrl();
    return tls.enabled() ? "https" + url.substring("http".length()) : url;
  }

  /**
   * Artery's transport: {@code tls-tcp} exactly when {@code raftkv.tls.enabled}. A transport set by
   * hand that says otherwise is refused, never overridden in silence: TLS between nodes is turned on
   * with raftkv.tls (which also checks each peer's node id), and Artery's other transports are not
   * supported.
   */
  private static String transport(Config given, TlsSettings tls) {
    String wanted = tls.enabled() ? "tls-tcp" : "tcp";
    String key = "pekko.remote.artery.transport";
    if (given.hasPath(key) && !given.getString(key).equals(wanted)) {
      throw new IllegalArgumentException(key + " = " + given.getString(key) + " (set in " + given.getValue(key).origin().description()
          + ") contradicts " + TlsSettings.KEY + ".enabled = " + (tls.enabled() ? "on" : "off") + ": remove it, and turn TLS between nodes"
          + " on or off with " + TlsSettings.KEY + ".enabled (the node then uses tls-tcp or tcp)");
    }
    return wanted;
  }

  /** Setting {@code key} (a size in bytes, or a count) as an int in [1, {@link KvLimits#ARRAY_BYTES_MAX}], or a refusal naming it. */
  private static int bounded(Config config, String key, boolean bytes) {
    long value = bytes ? config.getBytes(key) : config.getLong(key);
    if (value < 1 || value > KvLimits.ARRAY_BYTES_MAX) {
      throw new IllegalArgumentException(key + ": must be between 1 and " + KvLimits.ARRAY_BYTES_MAX + ", was " + value
          + " (set in " + config.getValue(key).origin().description() + ")");
    }
    return (int) value;
  }

  private static void ensureWritable(Path dir, int id) {
    String key = "raftkv.cluster.nodes (id " + id + ") data-dir";
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", "");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException(key + ": cannot write " + dir + " (" + e.getMessage() + ")", e);
    }
  }
}
