package io.raftkv.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.raftkv.node.GatewaySettings;
import io.raftkv.node.NodeConfig;
import java.time.Duration;

/**
 * How long a client may take to send a request, and how large its parts may be, before the
 * gateway refuses it (gateway/src/main/resources/reference.conf documents the settings).
 *
 * @param headTimeout from the first byte of a request to the end of its headers
 *     ({@value #HEAD_TIMEOUT}); a slower client gets 408 and the connection is closed
 * @param bodyTimeout from the end of the headers to the end of the body ({@value #BODY_TIMEOUT})
 * @param bodyBytesMax the largest request body of any request but a transaction: the largest value
 * @param txnBodyBytesMax the largest body of {@code POST /v1/txn}: the JSON of the largest
 *     transaction ({@link TxnJson#bodyBytesMax})
 * @param uriLengthMin the shortest request target the server must accept: two of the longest key
 *     (a scan's prefix and the key it starts after), every byte percent-encoded, with room for the
 *     path around them and the rest of the query
 */
record RequestBounds(Duration headTimeout, Duration bodyTimeout, long bodyBytesMax, long txnBodyBytesMax, int uriLengthMin) {
  static final String HEAD_TIMEOUT = "raftkv.http.request-head-timeout";
  static final String BODY_TIMEOUT = "raftkv.http.request-body-timeout";
  static final String VALUE_BYTES_MAX = "raftkv.kv.value-bytes-max";
  /** Room beside the keys in a request target: "/v1/kv/", "/append", "?consistency=serializable", "&limit=", a short cas expected value. */
  private static final int URI_ROOM = 1024;

  /** The bounds of {@code config}'s node; a duration that is not positive is refused, naming its setting. */
  static RequestBounds of(NodeConfig config) {
    Config c = config.system();
    return new RequestBounds(positive(c, HEAD_TIMEOUT), positive(c, BODY_TIMEOUT), config.limits().valueBytesMax(),
        TxnJson.bodyBytesMax(config.limits()), (int) Math.min(Integer.MAX_VALUE, 2 * 3L * config.limits().keyBytesMax() + URI_ROOM));
  }

  /** The largest body a request to {@code path} may carry. */
  long bodyBytesMaxFor(String path) {
    return path.equals(TxnJson.PATH) ? txnBodyBytesMax : bodyBytesMax;
  }

  private static Duration positive(Config c, String key) {
    try {
      return GatewaySettings.positive(key, c.getDuration(key));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }
}
