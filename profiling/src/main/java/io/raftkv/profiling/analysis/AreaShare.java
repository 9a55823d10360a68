package io.raftkv.profiling.analysis;

/**
 * The samples of one area, their share of all samples and, for raftkv's own areas ({@link Area#raftkvOwn()}),
 * their share of raftkv's own samples (all but the JVM runtime's); percentages 0-100.
 *
 * @param ownPercent null for {@link Area#JVM_RUNTIME}
 */
public record AreaShare(Area area, long samples, double percent, Double ownPercent) {}
