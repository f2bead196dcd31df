package dev.nanofleet.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PortalPagesTest {

    @Test
    void the_start_page_is_the_built_portal_and_is_asked_for_again_on_every_visit() {
        given().get("/").then().statusCode(200).header("Cache-Control", equalTo("no-cache"))
                .body(containsString("<div id=\"root\">"));
    }

    @Test
    void a_view_address_answers_the_same_page_so_reloads_and_shared_links_work() {
        String start = given().get("/").then().statusCode(200).extract().asString();
        for (String view : new String[]{"/deployments", "/deployments/0b6f0a3e-8f8e-4d7c-9d4e-5b0f4b1c2a11",
                "/fleet/nodes/local-1", "/usage", "/auth/callback"}) {
            given().get(view).then().statusCode(200).contentType(containsString("text/html"))
                    .body(equalTo(start));
        }
    }

    @Test
    void an_address_outside_the_portal_stays_not_found() {
        given().get("/deploymentsx").then().statusCode(404);
        given().get("/etc/passwd").then().statusCode(404);
        given().get("/assets/missing.js").then().statusCode(404);
    }

    @Test
    void built_assets_are_served_compressed_and_cacheable_for_a_year() {
        String page = given().get("/").then().extract().asString();
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(page);
        assertThat(script.find()).as("the page names its script").isTrue();
        given().header("Accept-Encoding", "gzip").get(script.group(1)).then().statusCode(200)
                .header("Cache-Control", equalTo("public, max-age=31536000, immutable"))
                .header("Content-Encoding", equalTo("gzip"));
    }
}
