package dev.nanofleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import dev.nanofleet.testsupport.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The host's Chromium (Debian's package, never a downloaded browser) driven by Playwright, signed in to the portal
 * through Keycloak's real login form. Every page a test visits can be checked with axe-core and photographed at the
 * two widths the portal is made for.
 */
final class PortalBrowser implements AutoCloseable {

    /** A phone (390 px) and a desktop (1440 px). */
    enum Width {
        PHONE(390, 844), DESKTOP(1440, 900);

        final int width;
        final int height;

        Width(int width, int height) {
            this.width = width;
            this.height = height;
        }
    }

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String PASSWORD = "nanofleet";

    private final Playwright playwright;
    private final Browser browser;
    private final String portal;

    private PortalBrowser(Playwright playwright, Browser browser, String portal) {
        this.playwright = playwright;
        this.browser = browser;
        this.portal = portal;
    }

    /** Chromium, headless; skips (or fails under CI) when the host has none. */
    static PortalBrowser launch(String portal) {
        Path chromium = HostTools.require("chromium");
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run")));
        return new PortalBrowser(playwright, browser, portal);
    }

    String url(String path) {
        return portal + path;
    }

    /** A fresh browser (its own cookies and storage) at this width, signed in as the user, on the portal's start. */
    Page signIn(String user, Width width) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(width.width, width.height).setLocale("en-GB").setTimezoneId("UTC"));
        context.setDefaultTimeout(30_000);
        Page page = context.newPage();
        page.navigate(portal + "/");
        // Keycloak's own login form: the portal never sees the password
        page.locator("#username").fill(user);
        page.locator("#password").fill(PASSWORD);
        page.locator("#kc-login").click();
        page.waitForURL(url -> url.startsWith(portal + "/") && !url.contains("/auth/callback"));
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main")).waitFor();
        return page;
    }

    /** No serious or critical axe-core violation on the page as it is now. */
    static void assertAccessible(Page page, String what) {
        List<Rule> serious = new AxeBuilder(page).analyze().getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                .toList();
        assertThat(serious).as("axe-core violations on %s: %s", what, serious.stream()
                .map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                        + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget()))
                                .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "))).isEmpty();
    }

    /** A full-page picture into target/screenshots/NAME-WIDTH.png (the README shows the best, copied to docs/). */
    static Path screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve(name + "-" + page.viewportSize().width + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
