package io.raftkv.raft;

/**
 * Who may speak as which node. The transport's TLS proves who is at the other end of a connection,
 * but a Raft message names its sender in its own fields ({@link RaftMessage#from()}); this binds
 * the two: the sender seals each message with a proof only the holder of that node's key can make
 * ({@link RaftMessage.Vouched}), and the receiver opens it only when the proof holds for the id the
 * message claims, before the message counts for anything. Kept out of the Raft core: it is the
 * shell's, like the transport.
 */
public interface PeerAuthenticator {
  /** No proofs: messages go as they are, and a sealed one is refused (the cluster's nodes disagree on TLS). */
  PeerAuthenticator NONE = new PeerAuthenticator() {
    @Override
    public RaftMessage seal(int to, RaftMessage message) {
      return message;
    }

    @Override
    public Opened open(RaftMessage received) {
      return received instanceof RaftMessage.Vouched
          ? Opened.refused("it carries a proof of its sender, and this node checks none (TLS is off here, on at the sender)")
          : Opened.ok(received);
    }
  };

  /** The message as it goes to peer {@code to}. */
  RaftMessage seal(int to, RaftMessage message);

  /** What a peer sent, unwrapped from its proof when the proof holds for the sender it claims, or the refusal. */
  Opened open(RaftMessage received);

  /**
   * What {@link #open} made of a message: the message inside (an {@link RaftMessage.Identified} or
   * a bare one), or why it was refused (then {@code message} is null).
   */
  record Opened(RaftMessage message, String refusal) {
    public static Opened ok(RaftMessage message) {
      return new Opened(message, null);
    }

    public static Opened refused(String why) {
      return new Opened(null, why);
    }
  }
}
