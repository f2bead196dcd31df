package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.DemoImage;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API consumer's whole path on the real platform, with the CLI only: an operator creates a tenant and its first
 * user; that user signs in for the first time, makes a deploy-scoped token, and a CI script deploys with nothing but
 * that token (the tenant is untrusted, so "auto" is its own VM); the tenant's quota refuses a deployment too many for
 * it, saying why.
 */
class AutomationJourneyIT {

    private static SharedPlatform platform;

    @TempDir
    Path work;

    @BeforeAll
    static void startThePlatform() throws Exception {
        platform = SharedPlatform.get();
    }

    @Test
    void an_operator_makes_a_tenant_its_user_makes_a_deploy_token_and_a_ci_script_deploys_with_only_that_token()
            throws Exception {
        CliProcess cli = new CliProcess(work);
        String tenant = "ci" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String user = "dev-" + tenant;

        // the operator
        Map<String, String> ops = CliProcess.environment(platform, Files.createDirectories(work.resolve("ops")));
        CliProcess.Result opsLogin = cli.run(ops, "nanofleet\n", "login", "--username", "ops", "--password-stdin");
        assertThat(opsLogin.exitCode()).as(opsLogin.toString()).isZero();
        CliProcess.Result created = cli.run(ops, "", "tenants", "create", tenant, "--name", "CI " + tenant, "--trust",
                "untrusted", "--first-user", user, "--json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String temporary = JsonPath.from(created.out()).getString("firstUser.temporaryPassword");
        assertThat(temporary).isNotBlank();

        // the one-time password signs nobody in until its user chose their own
        Map<String, String> dev = CliProcess.environment(platform, Files.createDirectories(work.resolve("dev")));
        CliProcess.Result tooEarly = cli.run(dev, temporary + "\n", "login", "--username", user, "--password-stdin");
        assertThat(tooEarly.exitCode()).as(tooEarly.toString()).isNotZero();
        platform.keycloak.completeFirstSignIn(user, "chosen-by-" + user);
        CliProcess.Result login = cli.run(dev, "chosen-by-" + user + "\n", "login", "--username", user,
                "--password-stdin");
        assertThat(login.exitCode()).as(login.toString()).isZero();
        CliProcess.Result token = cli.run(dev, "", "tokens", "create", "--name", "ci", "--scope", "read,deploy",
                "--json");
        assertThat(token.exitCode()).as(token.toString()).isZero();
        String secret = JsonPath.from(token.out()).getString("secret");

        // the CI script: a fresh machine with nothing but the token
        Map<String, String> ci = CliProcess.environment(platform, Files.createDirectories(work.resolve("ci")));
        ci.put("NANOFLEET_TOKEN", secret);
        Path file = work.resolve("nanofleet.yaml");
        Files.writeString(file, """
                name: ci-web
                image: %s
                replicas: 1
                resources: {cpuMillis: 100, memoryMiB: 64}
                isolation: auto
                command: ["/bin/sh", "-c", "exec %s"]
                """.formatted(platform.environment().get("NANOFLEET_DEMO_IMAGE"),
                String.join(" ", DemoImage.ENTRYPOINT)));
        CliProcess.Result deployed = cli.run(ci, "", "deploy", "-f", file.toString(), "--wait", "--timeout", "3m");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("isolation hardware");
        CliProcess.Result whoami = cli.run(ci, "", "whoami", "--json");
        assertThat(JsonPath.from(whoami.out()).getString("tenant")).isEqualTo(tenant);
        assertThat(JsonPath.from(whoami.out()).getString("kind")).isEqualTo("token");
        // a deploy token cannot make tokens
        assertThat(cli.run(ci, "", "tokens", "create", "--name", "more", "--scope", "read").exitCode()).isEqualTo(1);

        // an untrusted tenant's "auto" is its own VM; the operator lowers its hardware instance quota to what it holds,
        // and the next deploy is refused, naming the quota
        String opsToken = platform.keycloak.passwordToken("ops", "nanofleet");
        given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body("{\"quotas\": {\"hardware\": {\"instances\": 1}}}").patch(platform.api + "/v1/tenants/" + tenant)
                .then().statusCode(200);
        CliProcess.Result refused = cli.run(ci, "", "deploy", "--name", "ci-second", "--image",
                platform.environment().get("NANOFLEET_DEMO_IMAGE"), "--replicas", "1", "--cpu", "100", "--memory",
                "64", "--isolation", "hardware");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("Quota exceeded", "hardware.instances", "1 in use");
        CliProcess.Result quota = cli.run(ci, "", "quota", "--json");
        assertThat(quota.exitCode()).as(quota.toString()).isZero();
        assertThat(JsonPath.from(quota.out())
                .getInt("quotas.find { it.isolation == 'hardware' && it.resource == 'instances' }.used")).isEqualTo(1);

        assertThat(cli.run(ci, "", "delete", "ci-web", "--yes").exitCode()).isZero();
    }
}
