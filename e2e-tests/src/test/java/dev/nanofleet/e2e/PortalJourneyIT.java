package dev.nanofleet.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.nanofleet.e2e.PortalBrowser.Width;
import dev.nanofleet.launcher.LocalPlatform;
import dev.nanofleet.testsupport.DemoImage;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The portal and the fleet dashboard in a real browser (the host's Chromium) against the whole platform: Keycloak's
 * login form, the real API, the node agent running the replicas. Each page the journeys visit is checked with axe-core
 * and photographed at 390 and 1440 px (target/screenshots; the README shows the best of them from docs/screenshots).
 * Replicas run in VMs: on this one-node platform another journey's tenant may own the node's shared kernel.
 */
class PortalJourneyIT {

    private static SharedPlatform platform;
    private static PortalBrowser browser;

    @BeforeAll
    static void startThePlatformAndTheBrowser() throws Exception {
        platform = SharedPlatform.get();
        browser = PortalBrowser.launch(platform.environment().get("NANOFLEET_PORTAL_URL"));
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void bob_deploys_through_the_form_sees_it_run_without_reloading_reads_its_logs_scales_it_and_deletes_it() {
        Page page = browser.signIn("bob", Width.DESKTOP);
        long firstView = firstViewMillis(page, "/deployments", "Deployments");
        System.out.println("portal first_view_ms=" + firstView);
        PortalBrowser.assertAccessible(page, "the deployments list");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Create deployment")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                .hasText("Create deployment");
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Name").setExact(true)).fill("portal-web");
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Image").setExact(true))
                .fill(platform.environment().get("NANOFLEET_DEMO_IMAGE"));
        page.getByRole(AriaRole.SPINBUTTON, new Page.GetByRoleOptions().setName("Memory (MiB)")).fill("64");
        page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Hardware: its own VM")).check();
        // a line of output first, then the demo image's own server
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Command (optional)"))
                .fill(String.join("\n", "/bin/sh", "-c",
                        "echo hello-from-the-portal; exec " + String.join(" ", DemoImage.ENTRYPOINT)));
        PortalBrowser.assertAccessible(page, "the create form");
        PortalBrowser.screenshot(page, "create-deployment");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create deployment")).click();

        // the deployment's page, turning RUNNING through the live stream: nothing reloads it
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("portal-web");
        Locator replicas = page.getByRole(AriaRole.TABLE,
                new Page.GetByRoleOptions().setName("Replicas of portal-web"));
        assertThat(replicas.getByText("running", new Locator.GetByTextOptions().setExact(true)))
                .isVisible(new LocatorAssertions.IsVisibleOptions()
                        .setTimeout(180_000));
        PortalBrowser.assertAccessible(page, "a deployment's page");
        PortalBrowser.screenshot(page, "deployment");

        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Logs")).click();
        assertThat(page.getByRole(AriaRole.LOG, new Page.GetByRoleOptions().setName("Log of portal-web #0")))
                .containsText("hello-from-the-portal",
                        new LocatorAssertions.ContainsTextOptions()
                                .setTimeout(60_000));
        PortalBrowser.assertAccessible(page, "the logs tab");
        PortalBrowser.screenshot(page, "logs");

        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Instances")).click();
        page.getByRole(AriaRole.SPINBUTTON, new Page.GetByRoleOptions().setName("Replicas")).fill("2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Scale")).click();
        assertThat(replicas.getByText("running", new Locator.GetByTextOptions().setExact(true)))
                .hasCount(2, new LocatorAssertions.HasCountOptions()
                        .setTimeout(180_000));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete").setExact(true)).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Delete deployment")).click();
        page.waitForURL(Pattern.compile(".*/deployments$"));
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("portal-web"))).hasCount(0);

        Page phone = browser.signIn("bob", Width.PHONE);
        for (String view : List.of("/deployments", "/usage", "/tokens", "/quotas")) {
            phone.navigate(browser.url(view));
            phone.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)).waitFor();
            PortalBrowser.assertAccessible(phone, view + " at 390 px");
            PortalBrowser.screenshot(phone, view.substring(1));
            page.navigate(browser.url(view));
            page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)).waitFor();
            PortalBrowser.assertAccessible(page, view);
            PortalBrowser.screenshot(page, view.substring(1));
        }
    }

    @Test
    void alice_sees_none_of_bobs_deployments_and_cannot_pick_a_shared_kernel() {
        String bob = platform.keycloak.passwordToken("bob", "nanofleet");
        String id = given().auth().oauth2(bob).contentType(ContentType.JSON)
                .body(Map.of("name", "bobs-secret-web", "image", platform.environment().get("NANOFLEET_DEMO_IMAGE"),
                        "replicas", 1, "resources", Map.of("cpuMillis", 100, "memoryMiB", 64), "isolation",
                        "hardware"))
                .post(platform.api + "/v1/deployments").then().statusCode(201).extract().path("id");
        try {
            Page page = browser.signIn("alice", Width.DESKTOP);
            page.navigate(browser.url("/deployments"));
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                    .hasText("Deployments");
            assertThat(page.getByText("bobs-secret-web")).hasCount(0);

            page.navigate(browser.url("/deployments/" + id));
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                    .hasText("No such deployment");
            assertThat(page.getByText("bobs-secret-web")).hasCount(0);

            page.navigate(browser.url("/deployments/new"));
            assertThat(page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Shared kernel")))
                    .isDisabled();
            assertThat(page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Hardware: its own VM")))
                    .isEnabled();
            PortalBrowser.assertAccessible(page, "alice's create form");
            // no operator views for a tenant
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Nodes"))).hasCount(0);

            // signing out ends the Keycloak session too: the portal asks for a login again
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
            page.locator("#username").waitFor();
            page.navigate(browser.url("/deployments"));
            page.locator("#username").waitFor();
        } finally {
            given().auth().oauth2(bob).delete(platform.api + "/v1/deployments/" + id).then().statusCode(202);
        }
    }

    @Test
    void ops_cordons_the_node_sees_a_new_replica_wait_with_the_schedulers_reason_uncordons_it_and_sees_it_placed() {
        String node = LocalPlatform.NODE_NAME;
        Page page = browser.signIn("ops", Width.DESKTOP);
        assertThat(page).hasURL(Pattern.compile(".*/fleet$"));
        PortalBrowser.assertAccessible(page, "the fleet overview");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Nodes").setExact(true)).click();
        Locator nodes = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Nodes"));
        PortalBrowser.assertAccessible(page, "the nodes table");
        PortalBrowser.screenshot(page, "nodes");
        nodes.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(node).setExact(true)).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Node " + node);
        PortalBrowser.assertAccessible(page, "a node's page");
        PortalBrowser.screenshot(page, "node");

        String bob = platform.keycloak.passwordToken("bob", "nanofleet");
        String ops = platform.keycloak.passwordToken("ops", "nanofleet");
        // the other nodes are cordoned through the API: the replica has nowhere to go but this node once uncordoned
        List<String> others = platform.nodeNames().stream().filter(n -> !n.equals(node)).toList();
        String id = null;
        try {
            for (String other : others) {
                given().auth().oauth2(ops).post(platform.api + "/v1/nodes/" + other + "/cordon").then()
                        .statusCode(200);
            }
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cordon node")).click();
            page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Cordon").setExact(true)).click();
            assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("cordoned")))
                    .isVisible();

            id = given().auth().oauth2(bob).contentType(ContentType.JSON)
                    .body(Map.of("name", "waits-for-a-node", "image",
                            platform.environment().get("NANOFLEET_DEMO_IMAGE"),
                            "replicas", 1, "resources", Map.of("cpuMillis", 100, "memoryMiB", 64), "isolation",
                            "hardware"))
                    .post(platform.api + "/v1/deployments").then().statusCode(201).extract().path("id");
            page.navigate(browser.url("/fleet/pending"));
            Locator waiting = page.getByRole(AriaRole.TABLE,
                    new Page.GetByRoleOptions().setName("Replicas waiting for a node"));
            // the scheduler's own words for the cordoned node, arriving live
            assertThat(
                    waiting.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("waits-for-a-node")))
                    .containsText("cordon",
                            new LocatorAssertions.ContainsTextOptions()
                                    .setIgnoreCase(true).setTimeout(60_000));
            PortalBrowser.assertAccessible(page, "the pending replicas");
            PortalBrowser.screenshot(page, "pending");

            page.navigate(browser.url("/fleet/nodes/" + node));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Uncordon node")).click();
            page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Uncordon").setExact(true)).click();
            assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Instances on this node")))
                    .containsText("waits-for-a-node",
                            new LocatorAssertions.ContainsTextOptions()
                                    .setTimeout(120_000));

            page.navigate(browser.url("/fleet/topology"));
            assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Node " + node)))
                    .containsText("waits-for-a-node");
            PortalBrowser.assertAccessible(page, "the topology");
            PortalBrowser.screenshot(page, "topology");
            // pictures of the fleet with a replica on it
            for (String view : List.of("/fleet", "/fleet/events", "/fleet/tenants", "/fleet/revenue")) {
                page.navigate(browser.url(view));
                page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)).waitFor();
                PortalBrowser.assertAccessible(page, view);
                PortalBrowser.screenshot(page, view.substring(1).replace('/', '-'));
            }
            Page phone = browser.signIn("ops", Width.PHONE);
            for (String view : List.of("/fleet", "/fleet/nodes", "/fleet/topology")) {
                phone.navigate(browser.url(view));
                phone.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)).waitFor();
                PortalBrowser.assertAccessible(phone, view + " at 390 px");
                PortalBrowser.screenshot(phone, view.substring(1).replace('/', '-'));
            }
        } finally {
            // every node must take replicas again whatever happened, or every later journey waits
            for (String any : platform.nodeNames()) {
                given().auth().oauth2(platform.keycloak.passwordToken("ops", "nanofleet"))
                        .post(platform.api + "/v1/nodes/" + any + "/uncordon").then().statusCode(200);
            }
            if (id != null) {
                given().auth().oauth2(bob).delete(platform.api + "/v1/deployments/" + id).then().statusCode(202);
            }
        }
    }

    /** Milliseconds from navigating to a fresh load of the view until its heading and first content show. */
    private static long firstViewMillis(Page page, String view, String heading) {
        long started = System.nanoTime();
        page.navigate(browser.url(view));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(heading);
        page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("Live")).waitFor();
        return (System.nanoTime() - started) / 1_000_000;
    }
}
