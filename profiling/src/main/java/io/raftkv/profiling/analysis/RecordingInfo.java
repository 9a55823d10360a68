package io.raftkv.profiling.analysis;

import java.util.List;

/**
 * The recording as a whole.
 *
 * @param start the earliest event start (ISO-8601, UTC), null if the file holds no events
 * @param end the latest event end
 * @param jvm JVM name and version ({@code jdk.JVMInformation}), null if not recorded
 * @param javaArguments the main class and its arguments, null if not recorded
 * @param eventTypeCount how many event types the recording holds
 * @param eventTypes the top N event types by number of events
 */
public record RecordingInfo(String file, long fileBytes, String start, String end, double durationSeconds,
                            String jvm, String javaArguments, long events, int eventTypeCount,
                            List<Share> eventTypes) {}
