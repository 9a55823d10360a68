package io.raftkv.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.raft.PeerAuthenticator.Opened;
import io.raftkv.raft.RaftMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node opens a peer's message only when its proof names the sender it claims and this node, signed with that sender's key. */
class PeerProofsTest {
  private static IssuedCertificate n1, n2, n3;

  @BeforeAll
  static void issue() {
    CertificateAuthority ca = CertificateAuthority.create("proofs test CA");
    n1 = ca.issueNode(1, "127.0.0.1");
    n2 = ca.issueNode(2, "127.0.0.1");
    n3 = ca.issueNode(3, "127.0.0.1");
  }

  /** Node 1's side, having seen nodes 2's and 3's certificates in handshakes. */
  private static PeerProofs receiver() {
    PeerCertificates seen = new PeerCertificates();
    seen.seen(2, n2.certificate());
    seen.seen(3, n3.certificate());
    return new PeerProofs(1, n1.privateKey(), seen);
  }

  private static final RaftMessage FROM_TWO = new RaftMessage.HeartbeatResult(4, 2, 7);

  @Test
  void aSealedMessageOpensAtItsReceiverAsOftenAsItComes() {
    PeerProofs one = receiver();
    RaftMessage sealed = new PeerProofs(2, n2.privateKey(), new PeerCertificates()).seal(1, FROM_TWO);
    for (int i = 0; i < 3; i++) { // the first verifies the signature, the rest compare bytes
      Opened o = one.open(sealed);
      assertNull(o.refusal());
      assertEquals(FROM_TWO, o.message());
    }
  }

  @Test
  void forgedSendersAreRefused() {
    PeerProofs one = receiver();
    String otherNodesProof = one.open(new PeerProofs(3, n3.privateKey(), new PeerCertificates()).seal(1, FROM_TWO)).refusal();
    assertTrue(otherNodesProof.contains("with node 3's proof: forged"), otherNodesProof);
    String wrongKey = one.open(new PeerProofs(2, n3.privateKey(), new PeerCertificates()).seal(1, FROM_TWO)).refusal();
    assertTrue(wrongKey.contains("does not verify with node 2's certificate"), wrongKey);
    String bare = one.open(FROM_TWO).refusal();
    assertTrue(bare.contains("carries no proof"), bare);
  }

  @Test
  void aProofForAnotherReceiverOrFromANodeNeverSeenIsRefused() {
    PeerProofs one = receiver();
    String elsewhere = one.open(new PeerProofs(2, n2.privateKey(), new PeerCertificates()).seal(3, FROM_TWO)).refusal();
    assertTrue(elsewhere.contains("made for node 3, not this node (1)"), elsewhere);
    PeerProofs blind = new PeerProofs(1, n1.privateKey(), new PeerCertificates());
    String unseen = blind.open(new PeerProofs(2, n2.privateKey(), new PeerCertificates()).seal(1, FROM_TWO)).refusal();
    assertTrue(unseen.contains("no certificate of node 2 was seen"), unseen);
  }

  @Test
  void aTamperedSignatureIsRefusedEvenAfterAGoodProofWasCached() {
    PeerProofs one = receiver();
    RaftMessage.Vouched good = (RaftMessage.Vouched) new PeerProofs(2, n2.privateKey(), new PeerCertificates()).seal(1, FROM_TWO);
    assertNull(one.open(good).refusal());
    byte[] tampered = good.proof().clone();
    tampered[tampered.length - 1] ^= 1;
    String refusal = one.open(new RaftMessage.Vouched(tampered, FROM_TWO)).refusal();
    assertTrue(refusal != null && (refusal.contains("does not verify") || refusal.contains("cannot be checked")), refusal);
  }
}
