package dev.nanofleet.controlapi.exec;

import dev.nanofleet.nodeapi.ExecChannels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.controlapi.logs.LogsConfig;
import dev.nanofleet.controlapi.logs.LogsSigner;
import dev.nanofleet.controlapi.node.AgentAddress;
import dev.nanofleet.controlapi.node.AgentUrlRules;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import dev.nanofleet.controlapi.security.Tenant;
import dev.nanofleet.nodeapi.NodeApi;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code GET /v1/instances/{id}/exec}: a WebSocket into a process started in a running instance of the caller's tenant
 * (scope {@code exec}). Everything is checked before the upgrade, so every refusal is a problem: 401 without a
 * credential, 403 without the scope, 400 for a bad query, 404 for another tenant's or an unknown instance, 409 when it
 * is not running, 502/503 when its node refuses or cannot be reached. Only then is the client's connection upgraded,
 * joined to the node agent's ({@code /v1/agent/instances/{id}/exec}, with an exec grant for that node, instance and
 * command only), and every message relayed after checking its channel and size. Each session is recorded as
 * {@code ExecSessionStarted} and {@code ExecSessionEnded} events.
 *
 * <p>
 * A plain Vert.x route rather than a websockets-next endpoint: websockets-next refuses an upgrade with a bare status,
 * and here the refusal must be a problem document; the relay also needs each side's write queue for backpressure.
 */
@ApplicationScoped
public class ExecRoute {

    private static final Logger LOG = Logger.getLogger(ExecRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/v1/instances/:id/exec";

    private final ExecService service;
    private final LogsSigner signer;
    private final WebSocketClient agents;

    ExecRoute(ExecService service, LogsSigner signer, LogsConfig config, Vertx vertx) {
        this.service = service;
        this.signer = signer;
        this.agents = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout((int) config.agentTimeout().toMillis())
                .setMaxMessageSize(ExecChannels.MAX_MESSAGE).setMaxFrameSize(ExecChannels.MAX_MESSAGE));
    }

    void routes(@Observes Router router) {
        router.get(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause(); // until the upgrade: the checks below take a while
        if (request.getHeader("Authorization") == null) {
            ExecProtocol.bearerFromProtocols(request.getHeader("Sec-WebSocket-Protocol"))
                    .ifPresent(token -> request.headers().set("Authorization", "Bearer " + token));
        }
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(identity -> {
            if (identity == null || identity.isAnonymous()) {
                problem(ctx, new ProblemException(ProblemType.UNAUTHORIZED,
                        "a bearer token is required (Authorization header, or the " + ExecProtocol.BEARER_PREFIX
                                + "<token> subprotocol)"));
                return;
            }
            ctx.vertx().<Session>executeBlocking(() -> authorize(ctx, identity), false)
                    .onSuccess(session -> {
                        // checked last, so that a plain GET learns whether the upgrade would be allowed
                        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
                            problem(ctx, ProblemException.invalid(List.of(new FieldError("Upgrade",
                                    "a WebSocket upgrade is required (Upgrade: websocket)"))));
                            return;
                        }
                        connectAgent(ctx, session);
                    })
                    .onFailure(e -> problem(ctx, e));
        }, e -> problem(ctx, new ProblemException(ProblemType.UNAUTHORIZED, "the credential is not valid")));
    }

    /** The caller, its scope and tenant, the instance and its node: in a request context with the identity. */
    private Session authorize(RoutingContext ctx, SecurityIdentity identity) {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            Arc.container().instance(CurrentIdentityAssociation.class).get().setIdentity(identity);
            Tenant tenant = Arc.container().instance(Caller.class).get().tenant(Scope.EXEC);
            HttpServerRequest r = ctx.request();
            ExecQuery query = ExecQuery.parse(r.params().getAll("command"), r.getParam("tty"), r.getParam("stdin"));
            ExecService.Target target = service.target(tenant, ctx.pathParam("id"));
            return new Session(UUID.randomUUID(), target, query);
        } finally {
            requestContext.terminate();
        }
    }

    private void connectAgent(RoutingContext ctx, Session s) {
        AgentAddress agent;
        try {
            agent = AgentUrlRules.parse(s.target.agentUrl());
        } catch (IllegalArgumentException e) {
            problem(ctx, new ProblemException(ProblemType.NODE_UNAVAILABLE, "node '" + s.target.node()
                    + "' registered an agent URL control-api does not call; it must register again"));
            return;
        }
        // built from the registered address and encoded parts, never by appending to the node's text
        URI base = agent.uri(NodeApi.AGENT_INSTANCE_EXEC.replace("{instanceId}", s.target.instanceId().toString()),
                null);
        StringBuilder query = new StringBuilder();
        for (String arg : s.query.command()) {
            query.append("command=").append(encode(arg)).append('&');
        }
        query.append("tty=").append(s.query.tty()).append("&stdin=").append(s.query.stdin());
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost())
                .setPort(base.getPort()).setURI(base.getRawPath() + "?" + query).addHeader("Authorization",
                        "Bearer " + signer.execGrant(s.target.node(), s.target.instanceId(), s.id, s.query.command(),
                                s.query.tty(), s.query.stdin()));
        agents.connect(options).onSuccess(agentWs -> acceptClient(ctx, s, agentWs)).onFailure(e -> {
            if (e instanceof UpgradeRejectedException rejected) {
                int status = rejected.getStatus();
                LOG.warnf("exec refused by node=%s instance=%s status=%d", s.target.node(), s.target.instanceId(),
                        status);
                problem(ctx, status == 409 || status == 404
                        ? new ProblemException(ProblemType.CONFLICT, "instance '" + s.target.instanceId()
                                + "' is not running on node '" + s.target.node() + "' (yet, or any more)")
                        : status == 503
                                ? new ProblemException(ProblemType.NODE_UNAVAILABLE, "node '" + s.target.node()
                                        + "' cannot exec into instance '" + s.target.instanceId() + "'")
                                : new ProblemException(ProblemType.NODE_BAD_ANSWER, "node '" + s.target.node()
                                        + "' answered " + status + " to the exec upgrade"));
            } else {
                LOG.warnf("exec unreachable node=%s instance=%s reason=%s", s.target.node(), s.target.instanceId(),
                        e.toString());
                problem(ctx, new ProblemException(ProblemType.NODE_UNREACHABLE, "node '" + s.target.node()
                        + "' cannot be reached to exec into instance '" + s.target.instanceId() + "'"));
            }
        });
    }

    private void acceptClient(RoutingContext ctx, Session s, WebSocket agentWs) {
        agentWs.pause();
        ctx.request().toWebSocket().onSuccess(clientWs -> {
            ctx.vertx().executeBlocking(() -> {
                service.started(s.target, s.id, s.query);
                return null;
            }, false).onComplete(r -> {
                if (r.failed()) {
                    LOG.errorf(r.cause(), "exec session %s not recorded", s.id);
                }
            });
            new ExecRelay(clientWs, agentWs, (exitCode, reason) -> ctx.vertx().executeBlocking(() -> {
                service.ended(s.target, s.id, exitCode, reason);
                return null;
            }, false)).start();
            agentWs.resume();
        }).onFailure(e -> {
            agentWs.close();
            LOG.warnf("exec upgrade failed instance=%s reason=%s", s.target.instanceId(), e.toString());
        });
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void problem(RoutingContext ctx, Throwable e) {
        ProblemException p = e instanceof ProblemException pe
                ? pe
                : new ProblemException(ProblemType.INTERNAL, "the exec session could not be opened");
        if (!(e instanceof ProblemException)) {
            LOG.error("exec failed", e);
        }
        Problem body = new Problem(p.type().uri(), p.type().title(), p.type().status(), p.getMessage(),
                URI.create(ctx.request().path()), p.errors());
        try {
            ctx.response().setStatusCode(p.type().status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            ctx.response().setStatusCode(500).end();
        }
    }

    /** One session being opened. */
    private record Session(UUID id, ExecService.Target target, ExecQuery query) {
    }

    /** Reads the exit code and reason from the agent's status message. */
    static ExecRelay.Status status(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            Integer code = node.path("exitCode").isInt() ? node.path("exitCode").asInt() : null;
            String reason = node.path("reason").isTextual() ? node.path("reason").asText() : null;
            return new ExecRelay.Status(code, reason == null
                    ? null
                    : reason.substring(0, Math.min(200,
                            reason.length())));
        } catch (java.io.IOException e) {
            return new ExecRelay.Status(null, "the node sent an unreadable status");
        }
    }
}
