package io.raftkv.profiling.run;

import java.util.List;
import java.util.Optional;

/**
 * What a load driver is pointed at: the gateways' base URLs ({@code https://} on a secure cluster)
 * and, on a secure cluster, the credentials every request needs.
 */
public record LoadTarget(List<String> urls, Optional<ClusterCredentials> credentials) {
  public LoadTarget {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) throw new IllegalArgumentException("no gateway to drive");
  }
}
