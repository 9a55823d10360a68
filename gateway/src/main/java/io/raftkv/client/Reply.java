package io.raftkv.client;

import java.net.URI;
import java.net.http.HttpHeaders;

/**
 * A node's answer to one request.
 *
 * @param node    the node's base URL
 * @param status  the HTTP status
 * @param headers the response headers
 * @param body    the body, at most the client's bound
 */
record Reply(URI node, int status, HttpHeaders headers, byte[] body) {
  boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
