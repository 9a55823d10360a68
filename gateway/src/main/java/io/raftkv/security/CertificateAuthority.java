package io.raftkv.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's own certificate authority: a self-signed EC P-256 CA that issues the nodes' and
 * clients' certificates, so that a peer is trusted for holding a certificate of this CA and no other
 * (no public CA, whose certificates anyone can get). It only issues; it keeps no record of what it
 * issued, and revocation is by replacing the CA ({@code raftkv certs init --force}).
 *
 * <p>Node certificates name the node by {@code urn:raftkv:node:<id>} ({@link CertificateIdentity})
 * and its host by an IP or DNS name, and serve both ends of a connection (serverAuth and
 * clientAuth): every node both accepts and dials. Client certificates name
 * {@code urn:raftkv:client:<name>} and serve the dialling end only. The cryptography is the JDK's
 * (SunEC); BouncyCastle only encodes the certificates.
 */
public final class CertificateAuthority {
  public static final Period CA_VALIDITY = Period.ofYears(10);
  /** Leaves: 825 days, the longest that TLS clients such as macOS's accept for a server certificate. */
  public static final Period LEAF_VALIDITY = Period.ofDays(825);
  /** How far back a certificate's validity starts, so that a peer whose clock is a little behind accepts it at once. */
  static final Duration CLOCK_SKEW = Duration.ofHours(1);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  private final X509Certificate certificate;
  private final PrivateKey key;

  /** A CA from its certificate and key, checked to be a CA certificate and a pair. */
  public CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("'" + certificate.getSubjectX500Principal() + "' is not a CA certificate (basicConstraints)");
    }
    if (!Keys.belongTogether(key, certificate.getPublicKey())) {
      throw new IllegalArgumentException("the CA key does not belong to the CA certificate '" + certificate.getSubjectX500Principal() + "'");
    }
    this.certificate = certificate;
    this.key = key;
  }

  /** Reads a CA from its certificate and key files; failures name the file. */
  public static CertificateAuthority load(Path certificatePem, Path keyPem) {
    X509Certificate certificate = PemFiles.readCertificate(certificatePem);
    PrivateKey key = PemFiles.readPrivateKey(keyPem);
    try {
      return new CertificateAuthority(certificate, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(certificatePem + ", " + keyPem + ": " + e.getMessage(), e);
    }
  }

  /** A new CA named {@code commonName}, valid for {@link #CA_VALIDITY}, allowed to issue leaves only (path length 0). */
  public static CertificateAuthority create(String commonName) {
    KeyPair pair = Keys.newEcP256();
    X500Name name = commonName(commonName);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = builder(name, name, pair.getPublic(), CA_VALIDITY)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make a CA certificate", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return key;
  }

  /**
   * A certificate for node {@code id} at {@code host} (an IP address or a DNS name, as in the cluster
   * file). A loopback host also gets {@code localhost} and {@code 127.0.0.1}, for whoever dials the
   * node by either name.
   */
  public IssuedCertificate issueNode(int id, String host) {
    return issueNode(id, List.of(host));
  }

  /** A node certificate naming every one of {@code hosts}: where peers reach it, and where clients do when that differs (http-host). */
  public IssuedCertificate issueNode(int id, List<String> hosts) {
    Set<GeneralName> names = new LinkedHashSet<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, CertificateIdentity.nodeUri(id)));
    for (String host : hosts) names.addAll(hostNames(host));
    return issue(commonName("raftkv-node-" + id), new GeneralNames(names.toArray(GeneralName[]::new)),
        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
  }

  /** A certificate for client {@code name} (letters, digits, {@code _ . -}; at most 64). */
  public IssuedCertificate issueClient(String name) {
    GeneralName uri = new GeneralName(GeneralName.uniformResourceIdentifier, CertificateIdentity.clientUri(name));
    return issue(commonName(name), new GeneralNames(uri), KeyPurposeId.id_kp_clientAuth);
  }

  /** A leaf certificate with a new key: any names, for the tests of what {@link CertificateIdentity} refuses. */
  IssuedCertificate issue(X500Name subject, GeneralNames alternativeNames, KeyPurposeId... purposes) {
    KeyPair pair = Keys.newEcP256();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = builder(commonNameOf(certificate), subject, pair.getPublic(), LEAF_VALIDITY)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
          .addExtension(Extension.subjectAlternativeName, false, alternativeNames)
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate.getPublicKey()));
      return new IssuedCertificate(pair.getPrivate(), List.of(sign(builder, key), certificate));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + subject, e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey publicKey, Period validity) {
    Instant notBefore = Instant.now().minus(CLOCK_SKEW);
    Instant notAfter = notBefore.atOffset(ZoneOffset.UTC).plus(validity).toInstant();
    // 159 random bits: positive and within RFC 5280's 20 octets; bit 0 set so that it is never zero
    BigInteger serial = new BigInteger(159, Keys.RANDOM).setBit(0);
    return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, publicKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X500Name commonName(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }

  private static X500Name commonNameOf(X509Certificate certificate) {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  /** The names of {@code host}: an IP address as an IP name, anything else as a DNS name; loopback adds both local names. */
  static List<GeneralName> hostNames(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    Set<GeneralName> names = new LinkedHashSet<>();
    boolean loopback;
    if (IPV4.matcher(h).matches() || h.contains(":")) {
      loopback = literal(h).isLoopbackAddress();
      names.add(new GeneralName(GeneralName.iPAddress, h));
    } else {
      names.add(new GeneralName(GeneralName.dNSName, h));
      loopback = h.toLowerCase(Locale.ROOT).equals("localhost");
    }
    if (loopback) {
      names.add(new GeneralName(GeneralName.dNSName, "localhost"));
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }
    return List.copyOf(names);
  }

  /** Whether {@code certificate} names every name of {@code host} that {@link #issueNode} would give it. */
  static boolean namesHost(X509Certificate certificate, String host) {
    try {
      Extension names = new JcaX509CertificateHolder(certificate).getExtension(Extension.subjectAlternativeName);
      // compared as encoded: an IPv6 address written two ways is the same 16 bytes
      return names != null && List.of(GeneralNames.getInstance(names.getParsedValue()).getNames()).containsAll(hostNames(host));
    } catch (CertificateEncodingException e) {
      return false;
    }
  }

  /** An IP literal as an address, never looked up: an IPv4 octet over 255 would otherwise send it to DNS as a name. */
  private static InetAddress literal(String ip) {
    boolean v4OutOfRange = IPV4.matcher(ip).matches() && Arrays.stream(ip.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255);
    if (v4OutOfRange) throw new IllegalArgumentException("host '" + ip + "' is not a valid IP address");
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("host '" + ip + "' is not a valid IP address", e);
    }
  }
}
