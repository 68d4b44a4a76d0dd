package dev.tailor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;


import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through its chromedriver) against a real Tailor:
 * signing in, uploads and releases through the page, a build's log streaming to its end, a failed build's
 * diagnostics with their source lines, the fleet charts drawn, the ladders and the resolver. Each section is saved
 * as a screenshot under target/screenshots/. Skipped only where chromium or chromedriver is not installed
 * (scripts/install-test-services.sh installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest extends ApiTestBase {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private WebDriver driver;
    private Path uploads;

    @BeforeAll
    void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromium-driver are not installed (scripts/install-test-services.sh installs them)");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()) // never Selenium Manager: nothing is downloaded
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--remote-debugging-address=127.0.0.1", "--no-first-run", "--disable-extensions");
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        Files.createDirectories(SCREENSHOTS);
        uploads = Files.createTempDirectory("tailor-dashboard-uploads");
    }

    @AfterAll
    void quitBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @BeforeEach
    void freshSession() {
        driver.get(base() + "/");
        js("sessionStorage.clear();");
        driver.get(base() + "/");
    }

    @Test
    void chartJs_isServedByTailorItself() {
        web.get().uri("/webjars/chart.js/4.4.1/dist/chart.umd.js").exchange().expectStatus().isOk()
                .expectBody(String.class).value(s -> assertThat(s).contains("Chart"));
        assertThat(js("return typeof Chart;")).isEqualTo("function");
        // nothing on the page comes from outside Tailor
        @SuppressWarnings("unchecked")
        List<String> sources = (List<String>) js("return [...document.querySelectorAll('script[src],link[href]')]"
                + ".map(e => e.src || e.href);");
        assertThat(sources).isNotEmpty().allMatch(s -> s.startsWith(base() + "/"));
    }

    @Test
    void signingIn_showsTheApps_andKeepsTheTokenForTheSessionOnly() throws IOException {
        upload("dash-signin", hello("dash-signin").tarGz());
        signIn(adminToken);
        waitFor(By.cssSelector("article[data-app='dash-signin']"));
        assertThat(js("return sessionStorage.getItem('tailor-token');")).isEqualTo(adminToken);
        assertThat(js("return localStorage.length;")).isEqualTo(0L);
        screenshot("apps", By.id("apps"));
    }

    @Test
    void everyControlIsLabelled_signingInWorksByKeyboardAlone_andTextMeetsAaContrast() {
        upload("dash-a11y", hello("dash-a11y").tarGz());
        // keyboard only: focus the token box, type, press Enter
        WebElement box = waitFor(By.id("token"));
        box.clear();
        box.sendKeys(adminToken, org.openqa.selenium.Keys.ENTER);
        waitFor(By.id("signout"));
        waitFor(By.cssSelector("article[data-app='dash-a11y']"));

        @SuppressWarnings("unchecked")
        java.util.List<String> unlabelled = (java.util.List<String>) js("""
                return [...document.querySelectorAll('input, select, textarea, button')]
                  .filter(e => e.type !== 'hidden')
                  .filter(e => !((e.labels && e.labels.length) || e.getAttribute('aria-label')
                      || e.getAttribute('aria-labelledby') || (e.tagName === 'BUTTON' && e.textContent.trim())))
                  .map(e => e.outerHTML.slice(0, 120));""");
        assertThat(unlabelled).as("controls without an accessible name").isEmpty();

        // WCAG 2.1 contrast of every visible text element against the first opaque background behind it
        @SuppressWarnings("unchecked")
        java.util.List<String> low = (java.util.List<String>) js("""
                const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
                const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
                    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
                const bg = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                    if (c.length === 3 || c[3] > 0.9) return c.slice(0, 3); } return [255, 255, 255]; };
                return [...document.querySelectorAll('body *')]
                  .filter(e => e.offsetParent !== null && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                  .filter(e => !e.closest('canvas'))
                  .map(e => { const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
                      return [e, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; })
                  .filter(([e, ratio]) => ratio < 4.5)
                  .map(([e, ratio]) => e.tagName + ' "' + e.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2));""");
        assertThat(low).as("text below 4.5:1").isEmpty();
    }

    @Test
    void aBadToken_showsTheProblemsDetail() {
        String detail = problemDetail(web.get().uri("/v1/apps").header("Authorization", "Bearer not-a-token"));
        signIn("not-a-token");
        WebElement error = until(
                ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
        until(d -> error.getText().contains(detail));
        assertThat(error.getAttribute("role")).isEqualTo("alert");
        assertThat(driver.findElement(By.id("app-list")).getText()).contains("Sign in");
        assertThat(js("return sessionStorage.getItem('tailor-token');")).isNull();
        screenshot("sign-in-refused", By.tagName("body"));

        driver.findElement(By.id("token")).clear();
        driver.findElement(By.id("signin-button")).click();
        until(d -> error.getText().contains("Enter a token"));
    }

    @Test
    void aBundle_isUploadedThroughThePage_releasedToAChannel_andInItsHistory() throws IOException {
        signIn(adminToken);
        Path archive = write("dash-hello.tar.gz", hello("dash-hello").tarGz());
        driver.findElement(By.id("upload-app")).sendKeys("dash-hello");
        driver.findElement(By.id("upload-file")).sendKeys(archive.toAbsolutePath().toString());
        driver.findElement(By.id("upload-button")).click();
        String digest = waitFor(By.id("uploaded-digest")).getText();
        assertThat(digest).startsWith("sha256:");
        assertThat(driver.findElement(By.id("release-bundle")).getAttribute("value")).isEqualTo(digest);

        WebElement channel = driver.findElement(By.id("release-channel"));
        channel.clear();
        channel.sendKeys("beta");
        driver.findElement(By.id("release-button")).click();
        By history = By.cssSelector("article[data-app='dash-hello'] [data-channel='beta'] table");
        waitFor(history);
        // the app list is redrawn as the release lands: read the table that is there now
        until(d -> d.findElement(history).getText().contains(digest));
        String table = until(d -> d.findElement(history).getText());
        assertThat(table).contains(digest).contains("admin");
        until(d -> d.findElement(By.id("status")).getText().contains("Released"));
        screenshot("upload-and-release", By.id("apps"));
    }

    @Test
    void aBundleDroppedOnThePage_isUploaded() {
        signIn(adminToken);
        driver.findElement(By.id("upload-app")).sendKeys("dash-dropped");
        // what a drag from the desktop delivers: a drop event whose DataTransfer holds the file
        js("const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
                + "const data = new DataTransfer(); data.items.add(new File([bytes], 'dropped.zip'));"
                + "const zone = document.getElementById('dropzone');"
                + "zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));"
                + "zone.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));",
                java.util.Base64.getEncoder().encodeToString(hello("dash-dropped").zip()));
        String digest = waitFor(By.id("uploaded-digest")).getText();
        assertThat(digest).startsWith("sha256:");
        waitFor(By.cssSelector("article[data-app='dash-dropped']"));
        assertThat(driver.findElement(By.id("dropzone")).getText()).contains("dropped.zip");
    }

    @Test
    void refusedUploads_showTheProblemsDetail_andEachManifestError() throws IOException {
        signIn(adminToken);
        uploadThroughPage("dash-refused", write("traversal.tar.gz",
                hello("dash-refused").file("../evil.c", "int x;\n").tarGz()));
        WebElement error = driver.findElement(By.id("upload-error"));
        until(d -> error.getText().contains("bundle.path_traversal"));
        assertThat(error.getText()).contains("..").contains("evil.c");

        uploadThroughPage("dash-refused", write("no-manifest.tar",
                Archives.of().file("src/main.c", "int main(void) { return 0; }\n").tar()));
        until(d -> error.getText().contains("manifest.missing"));
        assertThat(error.getText()).contains("tailor.yaml");

        uploadThroughPage("dash-refused", write("invalid.zip", Archives.of()
                .file("tailor.yaml", "name: dash-refused\nversion: 1.0.0\nsources: [src/*.c]\nsource: [x]\noptimize: fast\n")
                .file("src/main.c", "int main(void) { return 0; }\n").zip()));
        until(d -> error.getText().contains("manifest.invalid"));
        List<WebElement> errors = error.findElements(By.tagName("li"));
        assertThat(errors).hasSizeGreaterThanOrEqualTo(2);
        assertThat(error.getText()).contains("source").contains("optimize");
        screenshot("upload-refused", By.id("upload"));
    }

    @Test
    void aBuildStartedOnThePage_streamsItsLogToTheEnd() throws IOException {
        // many functions: the compile takes long enough to be watched
        StringBuilder source = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            source.append("int f").append(i).append("(int x) { for (int k = 0; k < x; k++) x ^= k * ").append(i)
                    .append("; return x; }\n");
        }
        source.append("int main(void) { return f1(3) == -1; }\n");
        String digest = upload("dash-build", Archives.of()
                .file("tailor.yaml", "name: dash-build\nversion: 1.0.0\nsources: [src/*.c]\narchs: [x86_64]\n")
                .file("src/main.c", source.toString()).tarGz());
        release("dash-build", "stable", digest);
        signIn(adminToken);
        waitFor(By.cssSelector("article[data-app='dash-build']"));

        driver.findElement(By.id("build-app")).sendKeys("dash-build");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("build-target"))).selectByVisibleText("x86_64-v2");
        driver.findElement(By.id("build-start")).click();
        waitFor(By.id("build-status"));
        until(d -> d.findElement(By.id("build-status")).getText().equals("succeeded"));
        String log = driver.findElement(By.id("build-log")).getText();
        assertThat(log.lines().count()).as(log).isGreaterThan(0);
        String mode = driver.findElement(By.id("build-log-mode")).getText();
        assertThat(mode).matches("\\((streamed live, ended: succeeded|complete)\\)");
        System.out.println("DashboardBrowserTest: the build's log was " + mode + "; " + log.lines().count() + " lines");
        screenshot("build-log", By.id("builds"));
    }

    @Test
    void theServerSentEventsParser_splitsEventsAcrossChunks() {
        Object events = js("const got = []; const p = window.tailorDashboard.sseParser(e => got.push(e.event + '=' + e.data));"
                + "p.push('event:log\\ndata:first li'); p.push('ne\\n\\nevent: log\\r\\ndata: second\\n\\n:comment\\n\\n');"
                + "p.push('event:end\\ndata:succeeded'); p.end(); return got;");
        assertThat(events).isEqualTo(List.of("log=first line", "log=second", "end=succeeded"));
    }

    @Test
    void aFailedBuild_showsItsDiagnostics_withTheSourceLine() throws IOException {
        String digest = upload("dash-broken", Archives.of()
                .file("tailor.yaml", "name: dash-broken\nversion: 1.0.0\nsources: [src/*.c]\narchs: [x86_64]\n")
                .file("src/broken.c", "int main(void) {\n    return undefined_name + ;\n}\n").tarGz());
        JsonNode build = post("/v1/builds?wait=60", "{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\"}");
        assertThat(build.path("status").asString()).isEqualTo("failed");
        String id = build.path("id").asString();

        signIn(adminToken);
        clickWhenShown(By.cssSelector("button[data-build='" + id + "']")); // the build list may be redrawn meanwhile
        WebElement diagnostics = waitFor(By.cssSelector("#build-diagnostics .diagnostic pre"));
        String text = driver.findElement(By.id("build-diagnostics")).getText();
        assertThat(text).containsPattern("src/broken\\.c:2:\\d+: error: ");
        assertThat(diagnostics.getText()).contains("return undefined_name + ;").contains("^");
        assertThat(driver.findElement(By.id("build-status")).getText()).isEqualTo("failed");
        screenshot("build-failed", By.id("build-detail"));
    }

    @Test
    void theFleetCharts_areDrawn_andAnUnmeasuredAppSaysSo() throws IOException {
        String digest = upload("dash-fleet", Archives.of()
                .file("tailor.yaml", "name: dash-fleet\nversion: 1.0.0\nsources: [src/*.c]\narchs: [x86_64]\npayoff: true\n")
                .file("src/main.c", "int main(void) { volatile int s = 0; for (int i = 0; i < 100000; i++) s += i; return 0; }\n")
                .tarGz());
        release("dash-fleet", "stable", digest);
        for (String cpu : List.of("x86_64:sse,sse2", "x86_64:avx,avx2,bmi1,bmi2,cx16,f16c,fma,lzcnt,movbe,popcnt,sse,sse2,sse3,sse4_1,sse4_2,ssse3,xsave")) {
            web.get().uri(uri -> uri.path("/v1/boot/dash-fleet/stable").queryParam("cpu", cpu).queryParam("wait", 60).build())
                    .exchange().expectStatus().isFound();
        }
        JsonNode report = post("/v1/apps/dash-fleet/payoff?wait=300", "{\"channel\":\"stable\"}");
        assertThat(report.path("results").size()).as(report.toString()).isGreaterThan(0);

        signIn(adminToken);
        waitFor(By.cssSelector("article[data-app='dash-fleet']"));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("fleet-app"))).selectByVisibleText("dash-fleet");
        driver.findElement(By.id("fleet-show")).click();
        until(d -> d.findElement(By.id("status")).getText().contains("Fleet of dash-fleet"));
        for (String chart : List.of("chart-targets", "chart-timeline", "chart-payoff")) {
            assertThat(points(chart)).as(chart + " data points").isGreaterThan(0);
            assertThat(paintedPixels(chart)).as(chart + " painted pixels").isGreaterThan(0);
        }
        assertThat(js("const c = Chart.getChart(document.getElementById('chart-timeline'));"
                + "return c.data.datasets[0].data.reduce((a, b) => a + b, 0);")).as("images served").isNotEqualTo(0L);
        screenshot("fleet", By.id("fleet"));

        // an app without a payoff report: no chart, the words
        release("dash-unmeasured", "stable", upload("dash-unmeasured", hello("dash-unmeasured").tarGz()));
        driver.navigate().refresh();
        waitFor(By.cssSelector("article[data-app='dash-unmeasured']"));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("fleet-app"))).selectByVisibleText("dash-unmeasured");
        driver.findElement(By.id("fleet-show")).click();
        WebElement notMeasured = driver.findElement(By.id("chart-payoff-empty"));
        until(d -> notMeasured.isDisplayed() && notMeasured.getText().contains("Not measured"));
        assertThat(driver.findElement(By.id("chart-payoff-box")).isDisplayed()).isFalse();
        screenshot("fleet-not-measured", By.id("fleet"));
    }

    @Test
    void theLadders_areTrees_withTheFeaturesEachRungAdds() {
        WebElement ladder = waitFor(By.cssSelector(".ladder[data-arch='x86_64']"));
        for (String rung : List.of("x86_64-v1", "x86_64-v2", "x86_64-v3", "x86_64-v4")) {
            assertThat(ladder.findElements(By.cssSelector("li[data-target='" + rung + "']"))).as(rung).hasSize(1);
        }
        // v2 hangs under v1, v3 under v2, v4 under v3
        assertThat(ladder.findElements(By.cssSelector("li[data-target='x86_64-v1'] > ul > li[data-target='x86_64-v2']"
                + " > ul > li[data-target='x86_64-v3'] > ul > li[data-target='x86_64-v4']"))).hasSize(1);
        String v3 = ladder.findElement(By.cssSelector("li[data-target='x86_64-v3'] > .adds")).getText();
        assertThat(v3).startsWith("+").contains("avx2");
        assertThat(v3).doesNotContain("sse4_2"); // v2's, inherited
        // every architecture is drawn, the five machines and WebAssembly, with the oldest rungs at their roots
        assertThat(driver.findElements(By.cssSelector(".ladder[data-arch]")).stream().map(e -> e.getAttribute("data-arch")))
                .containsExactlyInAnyOrder("x86_64", "i686", "aarch64", "armv7", "riscv64", "wasm32");
        for (String path : List.of("li[data-target='i586-base'] > ul > li[data-target='i686-base']",
                "li[data-target='armv6-vfpv2'] > ul > li[data-target='armv7-vfpv3d16']",
                "li[data-target='riscv64-rva20'] > ul > li[data-target='riscv64-rva22'] > ul > li[data-target='riscv64-rva22v']")) {
            assertThat(driver.findElements(By.cssSelector(path))).as(path).hasSize(1);
        }
        screenshot("catalog-ladders", By.id("ladders"));
    }

    @Test
    void theResolverPlayground_resolvesAProcCpuinfo() throws IOException {
        String cpuinfo = Files.readString(Path.of("src/test/resources/fingerprints/linux-x86/linux-rhel7-broadwell"));
        JsonNode expected = read(web.post().uri("/v1/fingerprints/resolve?policy=level")
                .contentType(MediaType.TEXT_PLAIN).bodyValue(cpuinfo).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        waitFor(By.id("fp"));
        js("document.getElementById('fp').value = arguments[0];", cpuinfo);
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("policy"))).selectByVisibleText("level");
        driver.findElement(By.id("resolve")).click();
        WebElement target = waitFor(By.id("resolved-target"));
        assertThat(target.getText()).isEqualTo(expected.path("target").path("id").asString());
        List<WebElement> reasons = driver.findElements(By.cssSelector("#resolved-reasons li"));
        assertThat(reasons).hasSize(expected.path("reasons").size()).isNotEmpty();
        assertThat(reasons.get(0).getText()).isEqualTo(expected.path("reasons").get(0).asString());
        if (expected.path("next").isObject()) {
            assertThat(driver.findElement(By.id("resolved-next")).getText())
                    .contains(expected.path("next").path("id").asString())
                    .contains(expected.path("next").path("missing").get(0).asString());
        }
        screenshot("catalog-resolver", By.id("resolver"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private WebElement waitFor(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Clicks an element of a list the page may redraw: a click on one replaced meanwhile finds the new one. */
    private void clickWhenShown(By by) {
        until(d -> {
            WebElement e = d.findElement(by);
            if (!e.isDisplayed()) {
                return false;
            }
            e.click();
            return true;
        });
    }

    /**
     * Waits for a condition, asking again when the element it read was replaced meanwhile: the page re-renders
     * parts with innerHTML (a build's facts when it ends), so an element found a moment ago can be gone.
     */
    private <T> T until(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    private void signIn(String token) {
        WebElement box = waitFor(By.id("token"));
        box.clear();
        box.sendKeys(token);
        driver.findElement(By.id("signin-button")).click();
        if (token.equals(adminToken)) {
            waitFor(By.id("signout")); // shown once the token was accepted
        }
    }

    private void uploadThroughPage(String app, Path archive) {
        WebElement appBox = driver.findElement(By.id("upload-app"));
        appBox.clear();
        appBox.sendKeys(app);
        driver.findElement(By.id("upload-file")).sendKeys(archive.toAbsolutePath().toString());
        driver.findElement(By.id("upload-button")).click();
    }

    private static Archives hello(String app) {
        try {
            Path dir = Path.of("examples/hello");
            return Archives.of()
                    .file("tailor.yaml", Files.readString(dir.resolve("tailor.yaml")).replace("name: hello", "name: " + app))
                    .file("src/hello.c", Files.readAllBytes(dir.resolve("src/hello.c")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = uploads.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private String upload(String app, byte[] tarGz) {
        String body = authed(web.post().uri("/v1/apps/{app}/bundles", app)
                .contentType(MediaType.parseMediaType("application/gzip")).bodyValue(tarGz))
                .exchange().expectStatus().is2xxSuccessful().expectBody(String.class).returnResult().getResponseBody();
        return read(body).path("digest").asString();
    }

    private void release(String app, String channel, String digest) {
        authed(web.put().uri("/v1/apps/{app}/channels/{channel}", app, channel).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("bundle", digest))).exchange().expectStatus().isOk();
    }

    private JsonNode post(String path, String json) {
        String body = authed(web.mutate().responseTimeout(Duration.ofMinutes(6)).build().post().uri(path)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json))
                .exchange().expectStatus().is2xxSuccessful().expectBody(String.class).returnResult().getResponseBody();
        return read(body);
    }

    private String problemDetail(org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec<?> spec) {
        String body = spec.exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        return read(body).path("detail").asString();
    }

    private static JsonNode read(String body) {
        return JSON.readTree(body);
    }

    private long points(String canvas) {
        return ((Number) js("const c = Chart.getChart(document.getElementById(arguments[0]));"
                + "return c ? c.data.datasets.reduce((n, d) => n + d.data.length, 0) : -1;", canvas)).longValue();
    }

    private long paintedPixels(String canvas) {
        return ((Number) js("const c = document.getElementById(arguments[0]);"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++; return n;", canvas)).longValue();
    }

    private void screenshot(String name, By section) {
        try {
            WebElement element = driver.findElement(section);
            js("arguments[0].scrollIntoView({block: 'start'});", element);
            Path shot = element.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
