package io.raftkv.security;

import io.raftkv.node.ClusterLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code raftkv certs init}: the TLS material of a cluster file's nodes ({@link TlsFiles}), the
 * first API tokens, with the tokens themselves under the run directory (owner-only), and the key
 * of the API's session tags ({@link SessionTags}).
 *
 * <p>Run again, it keeps what is there and still good, and writes only what is missing or no longer
 * fits: a node added to the cluster file gets its pair; a pair whose key does not match, that another
 * CA issued, that names another node or no longer the node's host, or that expires within
 * {@link #RENEW_BEFORE}, is issued again. The session key is kept as long as it is one (replacing
 * it would refuse every session opened before). The CA itself is kept whatever it issued (replacing it
 * means every node needs its new certificate), unless {@code force}, which makes everything new,
 * tokens included. Each file written or kept is reported as one line.
 */
public final class TlsInit {
  /** The client certificate init issues, for the operator's own tools. */
  public static final String ADMIN_CLIENT = "admin";
  /** The tokens init mints: one per role. */
  public static final Map<String, Role> TOKENS = defaultTokens();
  /** A certificate that expires sooner than this is issued again. */
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private final TlsFiles files;
  private final Path runDir;
  private final boolean force;
  private final Consumer<String> report;
  private boolean freshCa;

  public TlsInit(TlsFiles files, Path runDir, boolean force, Consumer<String> report) {
    this.files = files;
    this.runDir = runDir;
    this.force = force;
    this.report = report;
  }

  /** Where the token named {@code name} is kept: {@code <run dir>/<name>.token}. */
  public static Path tokenFile(Path runDir, String name) {
    return runDir.resolve(name + ".token");
  }

  /**
   * Writes what {@code layout}'s nodes need.
   *
   * @throws IllegalArgumentException when existing material cannot be used and is not to be replaced
   *     (half a CA, an unreadable or expiring CA, a tokens file that does not load); names the file
   */
  public void run(ClusterLayout layout) throws IOException {
    CertificateAuthority ca = authority(layout.systemName() + " cluster CA");
    for (ClusterLayout.Member m : layout.members()) {
      List<String> hosts = m.advertisedHosts();
      leaf(ca, files.nodeCertificate(m.id()), files.nodeKey(m.id()), "node " + m.id() + " at " + String.join(", ", hosts),
          c -> CertificateIdentity.nodeId(c).equals(OptionalInt.of(m.id())) && hosts.stream().allMatch(h -> CertificateAuthority.namesHost(c, h)),
          () -> ca.issueNode(m.id(), hosts));
    }
    leaf(ca, files.clientCertificate(ADMIN_CLIENT), files.clientKey(ADMIN_CLIENT), "client " + ADMIN_CLIENT,
        c -> CertificateIdentity.clientName(c).equals(Optional.of(ADMIN_CLIENT)), () -> ca.issueClient(ADMIN_CLIENT));
    tokens();
    sessionKey();
  }

  private CertificateAuthority authority(String commonName) throws IOException {
    Path cert = files.caCertificate();
    Path key = files.caKey();
    boolean haveCert = Files.exists(cert);
    boolean haveKey = Files.exists(key);
    if (!force && haveCert && haveKey) {
      CertificateAuthority ca = CertificateAuthority.load(cert, key);
      if (expiresSoon(ca.certificate())) {
        throw new IllegalArgumentException(cert + ": the CA expires on " + day(ca.certificate())
            + "; make a new one with --force (every node then needs its new certificate)");
      }
      report.accept("kept   " + cert + "  " + describe(ca));
      report.accept("kept   " + key);
      return ca;
    }
    if (!force && (haveCert || haveKey)) {
      throw new IllegalArgumentException((haveCert ? key : cert) + " is missing while " + (haveCert ? cert : key)
          + " exists: restore it, or make everything new with --force (every node then needs its new certificate)");
    }
    CertificateAuthority ca = CertificateAuthority.create(commonName);
    PemFiles.writePrivateKey(key, ca.privateKey());
    report.accept("wrote  " + key + "  the CA's key: only 'raftkv certs' needs it, nodes do not");
    PemFiles.writeCertificates(cert, List.of(ca.certificate()));
    report.accept("wrote  " + cert + "  " + describe(ca));
    freshCa = true;
    return ca;
  }

  private void leaf(CertificateAuthority ca, Path cert, Path key, String what, Predicate<X509Certificate> names,
      Supplier<IssuedCertificate> issue) throws IOException {
    Optional<String> why = renewal(ca, cert, key, names);
    if (why.isEmpty()) {
      report.accept("kept   " + cert + "  " + what + ", valid until " + day(PemFiles.readCertificate(cert)));
      report.accept("kept   " + key);
      return;
    }
    IssuedCertificate issued = issue.get();
    PemFiles.writePrivateKey(key, issued.privateKey());
    report.accept("wrote  " + key);
    PemFiles.writeCertificates(cert, issued.chain());
    report.accept("wrote  " + cert + "  " + what + ", valid until " + day(issued.certificate()) + why.get());
  }

  /** Why a pair is to be written ("" when it is new), or empty when the one there is kept. */
  private Optional<String> renewal(CertificateAuthority ca, Path cert, Path key, Predicate<X509Certificate> names) {
    if (force) return Optional.of(" (--force: all new)");
    if (freshCa) return Optional.of(Files.exists(cert) ? " (replaces one of the previous CA)" : "");
    if (!Files.exists(cert) && !Files.exists(key)) return Optional.of("");
    try {
      List<X509Certificate> chain = PemFiles.readCertificates(cert);
      PrivateKey privateKey = PemFiles.readPrivateKey(key);
      if (!Keys.belongTogether(privateKey, chain.get(0).getPublicKey())) return replaces("its key did not belong to it");
      if (expiresSoon(chain.get(0))) return replaces("it expires on " + day(chain.get(0)));
      Pkix.verify(chain, List.of(ca.certificate()));
      if (!names.test(chain.get(0))) return replaces("it named another node, client or host");
    } catch (IllegalArgumentException e) {
      return replaces(e.getMessage());
    } catch (GeneralSecurityException e) {
      return replaces("the CA in " + files.caCertificate() + " did not issue it: " + e.getMessage());
    }
    return Optional.empty();
  }

  private static Optional<String> replaces(String why) {
    return Optional.of(" (replaces one that could not be kept: " + why + ")");
  }

  private void tokens() throws IOException {
    Path file = files.tokens();
    if (force || !Files.exists(file)) {
      Map<String, String> minted = new LinkedHashMap<>();
      List<TokenEntry> entries = new ArrayList<>();
      TOKENS.forEach((name, role) -> {
        String token = Tokens.newToken();
        minted.put(name, token);
        entries.add(new TokenEntry(name, role, Tokens.sha256Hex(token)));
      });
      Tokens.write(file, entries);
      report.accept("wrote  " + file + "  the hashes of the tokens " + String.join(", ", TOKENS.keySet()));
      for (Map.Entry<String, String> m : minted.entrySet()) writeToken(m.getKey(), m.getValue());
      return;
    }
    Tokens tokens = Tokens.load(file);
    List<String> kept = TOKENS.keySet().stream().filter(name -> tokens.entry(name).isPresent()).toList();
    if (!kept.isEmpty()) report.accept("kept   " + file + "  the tokens " + String.join(", ", kept));
    for (Map.Entry<String, Role> t : TOKENS.entrySet()) {
      Optional<TokenEntry> entry = tokens.entry(t.getKey());
      if (entry.isPresent()) {
        keptToken(tokens, entry.get());
        continue;
      }
      String token = Tokens.newToken();
      Tokens.append(file, new TokenEntry(t.getKey(), t.getValue(), Tokens.sha256Hex(token)));
      report.accept("wrote  " + file + "  added the token " + t.getKey() + " (" + t.getValue() + ")");
      writeToken(t.getKey(), token);
    }
  }

  private void sessionKey() throws IOException {
    Path file = files.sessionKey();
    String why = "";
    if (!force && Files.exists(file)) {
      long size = Files.size(file);
      if (size == SessionTags.KEY_BYTES) {
        report.accept("kept   " + file);
        return;
      }
      why = " (replaces one that could not be kept: it held " + size + " bytes, not " + SessionTags.KEY_BYTES + ")";
    } else if (force) {
      why = " (--force: all new)";
    }
    SecretFiles.writeOwnerOnly(file, SessionTags.newKey());
    report.accept("wrote  " + file + "  the key of the API's session tags: the same on every node" + why);
  }

  /** Says whether the run directory still holds the token of an entry that is kept; a hash cannot give it back. */
  private void keptToken(Tokens tokens, TokenEntry entry) throws IOException {
    Path tokenFile = tokenFile(runDir, entry.name());
    if (!Files.exists(tokenFile)) {
      report.accept("note   " + tokenFile + " is missing, and a token cannot be made again from its hash: mint another with"
          + " 'raftkv certs token', or start over with --force");
    } else if (!tokens.find(Files.readString(tokenFile, StandardCharsets.UTF_8).strip()).equals(Optional.of(entry))) {
      report.accept("note   " + tokenFile + " does not hold the token " + entry.name() + " of " + files.tokens());
    } else {
      report.accept("kept   " + tokenFile + "  the " + entry.name() + " token (" + entry.role() + ")");
    }
  }

  private void writeToken(String name, String token) throws IOException {
    Path tokenFile = tokenFile(runDir, name);
    SecretFiles.writeOwnerOnly(tokenFile, (token + "\n").getBytes(StandardCharsets.US_ASCII));
    report.accept("wrote  " + tokenFile + "  the " + name + " token (" + TOKENS.get(name) + ")");
  }

  private static String describe(CertificateAuthority ca) {
    return "the cluster CA " + ca.certificate().getSubjectX500Principal().getName() + ", valid until " + day(ca.certificate());
  }

  private static boolean expiresSoon(X509Certificate certificate) {
    return certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE));
  }

  private static LocalDate day(X509Certificate certificate) {
    return LocalDate.ofInstant(certificate.getNotAfter().toInstant(), ZoneOffset.UTC);
  }

  private static Map<String, Role> defaultTokens() {
    Map<String, Role> tokens = new LinkedHashMap<>();
    tokens.put("admin", Role.ADMIN);
    tokens.put("writer", Role.READ_WRITE);
    tokens.put("reader", Role.READ_ONLY);
    return Collections.unmodifiableMap(tokens);
  }
}
