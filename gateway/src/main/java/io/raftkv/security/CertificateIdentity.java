package io.raftkv.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Who a certificate of the cluster CA speaks for, read from its URI subject alternative names: a
 * node ({@code urn:raftkv:node:<id>}) or a client ({@code urn:raftkv:client:<name>}).
 *
 * <p>The URI, not the common name or the host, is the identity: a node's host may change and is
 * shared by every node of one machine, while its id is its Raft identity. Parsing is strict, because
 * a lenient reading is a way for one certificate to pass for another: exactly one raftkv URI, of
 * the kind asked for, spelled exactly as {@link CertificateAuthority} writes it (a node id in
 * canonical decimal, at least 1; a client name matching {@link #NAME}). Anything else is empty.
 */
public final class CertificateIdentity {
  /** One rule for the names of clients, in certificates and in tokens alike: 1-64 of A-Z a-z 0-9 _ . - */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  static final String NODE_PREFIX = "urn:raftkv:node:";
  static final String CLIENT_PREFIX = "urn:raftkv:client:";
  private static final Pattern NODE_ID = Pattern.compile("[1-9][0-9]{0,9}"); // canonical: no sign, no leading zeros
  private static final int URI_NAME = 6; // GeneralName uniformResourceIdentifier, as X509Certificate reports it

  private CertificateIdentity() {}

  /** The URI naming node {@code id}. */
  public static String nodeUri(int id) {
    if (id < 1) throw new IllegalArgumentException("node id must be >= 1, not " + id);
    return NODE_PREFIX + id;
  }

  /** The URI naming client {@code name}. */
  public static String clientUri(String name) {
    if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("client name '" + name + "' must match " + NAME);
    return CLIENT_PREFIX + name;
  }

  /** The node id the certificate names, if it names exactly one node and nothing else of raftkv's. */
  public static OptionalInt nodeId(X509Certificate certificate) {
    Optional<String> id = only(certificate, NODE_PREFIX).filter(s -> NODE_ID.matcher(s).matches());
    if (id.isEmpty()) return OptionalInt.empty();
    long value = Long.parseLong(id.get());
    return value <= Integer.MAX_VALUE ? OptionalInt.of((int) value) : OptionalInt.empty();
  }

  /** The client name the certificate names, if it names exactly one client and nothing else of raftkv's. */
  public static Optional<String> clientName(X509Certificate certificate) {
    return only(certificate, CLIENT_PREFIX).filter(s -> NAME.matcher(s).matches());
  }

  /** What follows {@code prefix} in the certificate's one raftkv URI, if it has one and it starts so. */
  private static Optional<String> only(X509Certificate certificate, String prefix) {
    List<String> ours = new ArrayList<>();
    for (String uri : uris(certificate)) {
      if (uri.regionMatches(true, 0, "urn:raftkv:", 0, "urn:raftkv:".length())) ours.add(uri);
    }
    if (ours.size() != 1 || !ours.get(0).startsWith(prefix)) return Optional.empty();
    return Optional.of(ours.get(0).substring(prefix.length()));
  }

  private static List<String> uris(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of(); // an unreadable extension names no one
    }
    List<String> uris = new ArrayList<>();
    if (names == null) return uris;
    for (List<?> name : names) {
      if (name.size() == 2 && Integer.valueOf(URI_NAME).equals(name.get(0)) && name.get(1) instanceof String uri) uris.add(uri);
    }
    return uris;
  }
}
