package io.raftkv.gatling;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What every raftkv simulation shares: the settings ({@link LoadSettings}), the HTTP protocol, the
 * {@code put} and {@code get} requests, the loop of operations and the injection profile.
 *
 * <p>Each user loops: it draws its next operation from its own seeded {@code Random} (the key in
 * session attribute {@code key}, the value in {@code value}, put or get in {@code put}), then sends it
 * and waits for the answer. The loop ends after {@code ops} operations, if set, and in any case once
 * the duration has passed since the simulation started (no operation starts after it; one in flight
 * completes). {@link #HARD_STOP_GRACE} after the duration Gatling stops the run whatever is in flight.
 *
 * <p>Connections: Gatling gives every virtual user its own connection pool (no
 * {@code shareConnections()}), and a user sends one request at a time, so in the closed model
 * {@code users} is the number of keep-alive connections the gateways see.
 */
public abstract class RaftkvSimulation extends Simulation {
  /** How long after the duration Gatling stops the run even if a request is still in flight. */
  public static final Duration HARD_STOP_GRACE = Duration.ofSeconds(10);

  protected final LoadSettings settings = LoadSettings.fromSystemProperties();

  /** When no further operation may start ({@link System#nanoTime()}); set when the run starts. */
  private volatile long deadline = Long.MAX_VALUE;

  /** The duration this simulation runs for when the {@code duration} property is not set. */
  protected Duration defaultDuration() {
    return LoadSettings.DEFAULT_DURATION;
  }

  /** Operations per user: {@code ops}, else 1 per arriving user in the open model, else unbounded (the duration ends the run). */
  protected int opsPerUser() {
    return settings.ops().orElse(settings.rate().isPresent() ? 1 : Integer.MAX_VALUE);
  }

  protected final Duration duration() {
    return settings.duration(defaultDuration());
  }

  /** Work done before the measured run starts (not in the report); nothing by default. */
  protected void prepare() {}

  @Override
  public final void before() {
    System.out.println(getClass().getSimpleName() + ": " + settings + " (duration " + duration() + ")");
    prepare();
    deadline = System.nanoTime() + duration().toNanos();
  }

  /**
   * The gateways, users spread over them round-robin; no warm-up request (the run is offline). On a
   * secure cluster every request carries the API token of {@code RAFTKV_TOKEN} ({@link Credentials}).
   */
  protected HttpProtocolBuilder protocol() {
    HttpProtocolBuilder p = http.baseUrls(settings.urls()).disableWarmUp();
    return Credentials.token().map(t -> p.authorizationHeader("Bearer " + t)).orElse(p);
  }

  /** {@code PUT /v1/kv/#{key}} with body {@code #{value}}, named {@code put}: 204 expected. */
  protected static ChainBuilder put() {
    return exec(http("put").put("/v1/kv/#{key}")
        .header("Content-Type", "application/octet-stream")
        .body(ByteArrayBody(session -> session.<byte[]>get("value")))
        .check(status().is(204)));
  }

  /** {@code GET /v1/kv/#{key}}, named {@code get}: one of {@code statuses} expected. */
  protected static ChainBuilder get(Integer... statuses) {
    return exec(http("get").get("/v1/kv/#{key}").check(status().in(statuses)));
  }

  /**
   * A user's next operation, drawn from its random source: sets session attributes {@code key},
   * {@code value} and {@code put}. {@code user} is the user's number from 0, {@code op} the
   * operation's number from 0 within the user.
   */
  protected interface Operation {
    Session next(Session session, Random random, long user, int op);
  }

  /**
   * One user's scenario: a seeded random source, then operations drawn by {@code operation}, put
   * sent by {@link #put()}, others by {@code get}, until {@code ops} or the duration runs out.
   */
  protected final ChainBuilder operations(Operation operation, ChainBuilder get) {
    int ops = opsPerUser();
    return exec(session -> {
          long user = session.userId() - 1;
          return session.set("user", user).set("random", settings.randomFor(user));
        })
        .exec(asLongAs(session -> session.getInt("op") < ops && System.nanoTime() < deadline, "op").on(
            exec(session -> operation.next(session, session.get("random"), session.getLong("user"), session.getInt("op")))
                .exec(doIfOrElse(session -> session.getBoolean("put")).then(put()).orElse(get))));
  }

  /** {@code scenarioName} injected closed ({@code users} at once) or open ({@code rate} users/s during the duration). */
  protected final PopulationBuilder population(String scenarioName, ChainBuilder chain) {
    var scenario = scenario(scenarioName).exec(chain);
    return settings.rate().isPresent()
        ? scenario.injectOpen(constantUsersPerSec(settings.rate().getAsDouble()).during(duration()))
        : scenario.injectOpen(atOnceUsers(settings.users()));
  }

  /** Sets up {@code population} with the protocol, the hard stop and the failed-requests assertion (plus {@code more}). */
  protected final void run(PopulationBuilder population, Assertion... more) {
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(global().failedRequests().percent().lte(settings.maxFailedPct()));
    assertions.addAll(List.of(more));
    setUp(population).protocols(protocol()).maxDuration(duration().plus(HARD_STOP_GRACE)).assertions(assertions);
  }

  /** The seed's key of user {@code user}'s operation {@code op}: {@code key_<user>_<op>}. */
  protected static String seedKey(long user, int op) {
    return "key_" + user + "_" + op;
  }
}
