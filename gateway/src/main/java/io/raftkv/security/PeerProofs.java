package io.raftkv.security;

import io.raftkv.raft.PeerAuthenticator;
import io.raftkv.raft.RaftMessage;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proofs of sender between nodes whose connections are mutual TLS ({@link PeerTls}): each message
 * a node sends to peer {@code to} is sealed with a proof (format 1, sender id, receiver id, the
 * time it was made, then the sender's ECDSA signature over those with the key of its node
 * certificate); the receiver opens a message only when its proof names the sender the message
 * claims and itself, and verifies with the certificate that node showed in its TLS handshake
 * ({@link PeerCertificates}). So a member cannot speak as another: it holds no other member's key.
 *
 * <p>Why a signature and not a MAC: the sender needs nothing of the receiver's to make it (its
 * first message may leave before any handshake with the receiver), and the receiver has the
 * sender's certificate before the message arrives. Why it costs little: a node signs once per
 * peer and process, and a receiver verifies a proof once and then compares bytes. The proof is
 * seen only by its receiver, over TLS, and names it, so nobody else can reuse it.
 */
public final class PeerProofs implements PeerAuthenticator {
  private static final byte FORMAT = 1;
  private static final int HEADER_BYTES = 1 + 4 + 4 + 8;
  private static final String ALGORITHM = "SHA256withECDSA";

  private final int selfId;
  private final PrivateKey key;
  private final PeerCertificates certificates;
  private final Map<Integer, byte[]> sealed = new ConcurrentHashMap<>(); // by receiver: this node's proof for it
  private final Map<Integer, byte[]> verified = new ConcurrentHashMap<>(); // by sender: the proof last verified

  public PeerProofs(int selfId, PrivateKey key, PeerCertificates certificates) {
    this.selfId = selfId;
    this.key = key;
    this.certificates = certificates;
  }

  @Override
  public RaftMessage seal(int to, RaftMessage message) {
    return new RaftMessage.Vouched(sealed.computeIfAbsent(to, this::prove), message);
  }

  private byte[] prove(int to) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).put(FORMAT).putInt(selfId).putInt(to).putLong(System.currentTimeMillis());
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(header.array());
      byte[] signature = s.sign();
      return ByteBuffer.allocate(HEADER_BYTES + signature.length).put(header.array()).put(signature).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("node " + selfId + " cannot sign with its key (" + key.getAlgorithm() + "): " + e.getMessage(), e);
    }
  }

  @Override
  public Opened open(RaftMessage received) {
    if (!(received instanceof RaftMessage.Vouched v)) {
      return Opened.refused("it carries no proof of its sender, and this node's peers must prove theirs (TLS is on here, off at the sender?)");
    }
    int claimed = v.message().from();
    byte[] proof = v.proof();
    if (Arrays.equals(proof, verified.get(claimed))) return Opened.ok(v.message());
    String problem = problem(claimed, proof);
    if (problem != null) return Opened.refused(problem);
    verified.put(claimed, proof.clone());
    return Opened.ok(v.message());
  }

  /** Why {@code proof} does not show that node {@code claimed} sent this to this node, or null when it does. */
  private String problem(int claimed, byte[] proof) {
    if (proof.length <= HEADER_BYTES) return "its proof of sender is " + proof.length + " bytes, too short";
    ByteBuffer b = ByteBuffer.wrap(proof);
    byte format = b.get();
    int from = b.getInt();
    int to = b.getInt();
    if (format != FORMAT) return "its proof of sender is of format " + format + ", this node knows " + FORMAT;
    if (from != claimed) return "it claims to come from node " + claimed + " with node " + from + "'s proof: forged";
    if (to != selfId) return "its proof of sender was made for node " + to + ", not this node (" + selfId + ")";
    Optional<X509Certificate> certificate = certificates.of(claimed);
    if (certificate.isEmpty()) return "no certificate of node " + claimed + " was seen in a handshake to check its proof against";
    PublicKey publicKey = certificate.get().getPublicKey();
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(publicKey);
      s.update(proof, 0, HEADER_BYTES);
      if (!s.verify(proof, HEADER_BYTES, proof.length - HEADER_BYTES)) return "its proof of sender does not verify with node " + claimed + "'s certificate: forged";
    } catch (GeneralSecurityException e) {
      return "its proof of sender cannot be checked with node " + claimed + "'s certificate: " + e.getMessage();
    }
    return null;
  }
}
