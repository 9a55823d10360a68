package io.raftkv.security;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** Key pairs for the cluster's certificates, and whether a private key belongs to a certificate's public key. */
final class Keys {
  static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  /** A new EC P-256 key pair: small, fast to sign with, and accepted by every TLS 1.3 stack. */
  static KeyPair newEcP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
    }
  }

  /**
   * Whether {@code key} is the private half of {@code publicKey}: a signature made with one verifies
   * with the other. Signing works for every key type alike, where comparing key parameters would
   * need code per algorithm.
   */
  static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
      default -> throw new IllegalArgumentException("unsupported private key algorithm " + key.getAlgorithm() + " (use EC or RSA)");
    };
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) return false;
    try {
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. keys on different curves: not a pair
    }
  }
}
