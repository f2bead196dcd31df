package dev.nanofleet.launcher;

import java.io.PrintStream;
import java.util.Map;

/** What to do once the platform is up: the same walk-through as the README, with this platform's addresses. */
final class NextSteps {

    private NextSteps() {
    }

    static void print(Map<String, String> env, PrintStream out) {
        out.printf(
                """

                        Nanofleet is up. Demo logins (development only): alice (tenant acme, untrusted), bob (tenant globex,
                        trusted), ops (operator); password "nanofleet" for all.

                          . .fleet/env
                          TOKEN=$(curl -s -d grant_type=password -d client_id=nanofleet-cli -d username=bob -d password=nanofleet \\
                              "$NANOFLEET_TOKEN_URL" | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                          curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                              -d '{"name":"hello","image":"'$NANOFLEET_DEMO_IMAGE'","replicas":1,"ports":[{"containerPort":8080}],
                                   "resources":{"cpuMillis":250,"memoryMiB":64},"isolation":"auto"}' \\
                              "$NANOFLEET_API_URL/v1/deployments"
                          curl -s -H "Authorization: Bearer $TOKEN" "$NANOFLEET_API_URL/v1/deployments"
                          # an instance's output; ?follow=true keeps streaming (curl -N)
                          curl -s -H "Authorization: Bearer $TOKEN" "$NANOFLEET_API_URL/v1/instances/<instance id>/logs"
                          # its URL through the edge (TLS by the local CA whose root is $NANOFLEET_EDGE_CA)
                          curl --cacert "$NANOFLEET_EDGE_CA" "https://hello-globex.$NANOFLEET_APPS_DOMAIN:$NANOFLEET_EDGE_PORT/"

                        API %s (reference at /q/swagger-ui, OpenAPI at /q/openapi), portal %s, Keycloak %s.
                        ./fleet status shows what runs; ./fleet down stops it (--purge also deletes the data).
                        """,
                env.get("NANOFLEET_API_URL"), env.get("NANOFLEET_PORTAL_URL"), env.get("NANOFLEET_OIDC_ISSUER"));
    }
}
