package io.raftkv.security;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * {@code raftkv.auth}: whether the HTTP API asks every request (but {@code /health}) for an API
 * token, {@code Authorization: Bearer <token>}, and what it checks them against. When on, the
 * tokens file ({@link Tokens}) and the session key ({@link SessionTags}, {@code session.key} in the
 * TLS directory) are read when the node starts, so that a missing or malformed file is named then.
 *
 * @param tokens the tokens the node accepts; null when off
 * @param sessionTags the tags binding a session to its token; null when off
 */
public record AuthSettings(boolean enabled, Path tokensFile, Tokens tokens, SessionTags sessionTags) {
  public static final String KEY = "raftkv.auth";

  /** Settings with authentication off. */
  public static AuthSettings off(Path tokensFile) {
    return new AuthSettings(false, tokensFile, null, null);
  }

  /**
   * The settings of {@code raftkv.auth} of {@code config}: a relative tokens file is resolved against
   * {@code baseDir}, the session key is {@code tls}'s. Refuses a tokens file or session key that
   * cannot be used, naming the file and the command that makes it.
   */
  public static AuthSettings fromConfig(Config config, Path baseDir, TlsFiles tls) {
    boolean enabled = config.getBoolean(KEY + ".enabled");
    Path tokensFile = baseDir.resolve(config.getString(KEY + ".tokens-file")).toAbsolutePath().normalize();
    if (!enabled) return off(tokensFile);
    Tokens tokens;
    SessionTags tags;
    try {
      tokens = Tokens.load(tokensFile);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(KEY + ".enabled = on, but " + KEY + ".tokens-file " + e.getMessage() + fix(tokensFile, tls), e);
    }
    try {
      tags = SessionTags.load(tls.sessionKey());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(KEY + ".enabled = on, but the session key (in " + TlsSettings.KEY + ".dir) " + e.getMessage()
          + fix(tls.sessionKey(), tls), e);
    }
    return new AuthSettings(true, tokensFile, tokens, tags);
  }

  /** What makes a missing file; nothing for one that is there (its refusal says what is wrong in it). */
  private static String fix(Path file, TlsFiles tls) {
    return java.nio.file.Files.exists(file) ? "" : ": run 'raftkv certs init' (it writes " + tls.tokens().getFileName() + " and "
        + tls.sessionKey().getFileName() + ") and copy both to every node";
  }
}
