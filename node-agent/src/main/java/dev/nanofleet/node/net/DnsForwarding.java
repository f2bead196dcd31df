package dev.nanofleet.node.net;

import dev.nanofleet.nodeapi.EgressPolicy;
import java.util.Map;

/**
 * Who a tenant bridge's DNS ({@link InternalDns}) answers how: pure. Names under {@code .internal} are answered from
 * the tenant's own directory, always. Any other name is forwarded to the node's upstream resolvers only for a source
 * address that is one of the bridge's instances (the anti-spoofing rules make the source trustworthy) whose egress
 * policy is not deny-all: an instance that may reach nothing outside must not learn about the outside either, nor use
 * DNS as a way out. Everyone else is refused.
 */
final class DnsForwarding {

    enum Route {
        /** Answered from the tenant's directory ({@link DnsAnswers}). */
        INTERNAL,
        /** Asked of an upstream resolver, its answer relayed. */
        FORWARD,
        /** Answered REFUSED. */
        REFUSE
    }

    private DnsForwarding() {
    }

    /**
     * @param source the query's source address, dotted
     * @param instances the bridge's attached instances: address to egress policy
     */
    static Route route(DnsQuery.Question question, String source, Map<String, EgressPolicy> instances) {
        if (question.internal()) {
            return Route.INTERNAL;
        }
        EgressPolicy policy = instances.get(source);
        if (policy == null || policy.mode() == EgressPolicy.Mode.DENY_ALL) {
            return Route.REFUSE;
        }
        return Route.FORWARD;
    }
}
