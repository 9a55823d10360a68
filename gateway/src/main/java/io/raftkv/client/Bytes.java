package io.raftkv.client;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Showing values to people: text when they are printable UTF-8, base64 otherwise. */
public final class Bytes {
  private Bytes() {}

  /**
   * {@code value} as UTF-8 text when it decodes strictly and has no control characters (so one
   * value stays on one line of output); otherwise {@code base64:} and its base64 form.
   */
  public static String show(byte[] value) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value)).toString();
      if (text.codePoints().noneMatch(Character::isISOControl) && !text.startsWith("base64:")) {
        return text;
      }
    } catch (CharacterCodingException e) {
      // not text: fall through to base64
    }
    return "base64:" + Base64.getEncoder().encodeToString(value);
  }
}
