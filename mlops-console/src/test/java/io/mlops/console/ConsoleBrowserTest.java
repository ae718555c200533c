package io.mlops.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser: Debian's chromium driven through chromium-driver by Selenium
 * WebDriver. Clicks from the overview to a model, a version and an alias's history; checks that
 * the charts, the timeline and the lineage graph render with a size; rolls an alias back through
 * the form; takes a screenshot of every page (target/console-screenshots) and checks the
 * browser's console stayed free of errors. Says SKIPPED when chromium-driver is not installed.
 */
class ConsoleBrowserTest {

    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "console-screenshots");
    @TempDir
    static Path dir;
    static ConsoleFixture fixture;
    static Console console;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(DRIVER)) {
            System.out.println("SKIPPED ConsoleBrowserTest: no " + DRIVER + " (install Debian's chromium and chromium-driver)");
        }
        Assumptions.assumeTrue(Files.isExecutable(DRIVER), "chromium-driver not installed");
        fixture = new ConsoleFixture(dir);
        console = Console.builder().registry(fixture.registry).data(fixture.data).monitor(fixture.monitor)
                .driftReference(fixture.reference).token(ConsoleTest.TOKEN).port(0).build().start();
        ChromeOptions options = new ChromeOptions().addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=1280,1000");
        options.setBinary("/usr/bin/chromium");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
            fixture.close();
        }
    }

    static void shot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(SHOTS.resolve(name + ".png"))).isGreaterThan(5_000);
    }

    /** Clicks and waits until the browser is on a page whose address ends as expected (a click can return before it). */
    static void clickTo(WebElement e, String pathEnd) {
        e.click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(20))
                .until(d -> d.getCurrentUrl().contains(pathEnd) && "complete".equals(
                        ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    static void rendered(WebElement e) {
        Dimension size = e.getSize();
        assertThat(size.getWidth()).as("width of %s", e.getTagName()).isPositive();
        assertThat(size.getHeight()).as("height of %s", e.getTagName()).isPositive();
    }

    static void noConsoleErrors(String page) {
        List<LogEntry> entries = browser.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(entries).as("browser console on %s", page).noneMatch(e -> e.getLevel().intValue() >= Level.WARNING.intValue());
    }

    @Test
    void clickThroughModelVersionAndAliasHistoryThenRollBack() throws Exception {
        browser.get(console.uri().toString());
        assertThat(browser.getTitle()).isEqualTo("Overview · mlops console");
        shot("overview");
        clickTo(browser.findElement(By.linkText("Models")), "/models");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Models");
        shot("models");
        clickTo(browser.findElement(By.linkText("churn")), "/models/churn");
        assertThat(browser.getCurrentUrl()).endsWith("/models/churn");
        clickTo(browser.findElement(By.linkText("1.0.0")), "/versions/1.0.0");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("churn 1.0.0");
        assertThat(browser.findElement(By.cssSelector("pre.metadata")).getText()).contains("<script>alert('x')</script>");
        assertThat(browser.findElements(By.tagName("script"))).as("markup shown as text, never run").isEmpty();
        shot("version");
        browser.navigate().back();
        clickTo(browser.findElement(By.linkText("production")), "/aliases/production");
        List<WebElement> moves = browser.findElements(By.cssSelector("svg.timeline circle.move"));
        assertThat(moves).hasSize(2);
        moves.forEach(ConsoleBrowserTest::rendered);
        shot("alias");
        noConsoleErrors("the alias page");

        browser.findElement(By.name("actor")).sendKeys("carol");
        browser.findElement(By.name("reason")).sendKeys("recall dropped");
        browser.findElement(By.name("token")).sendKeys(ConsoleTest.TOKEN);
        WebElement before = browser.findElement(By.tagName("table"));
        browser.findElement(By.cssSelector("button[value=rollback]")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(20))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(before)); // the page after the redirect
        assertThat(browser.getCurrentUrl()).endsWith("/models/churn/aliases/production");
        assertThat(browser.findElements(By.cssSelector("svg.timeline circle.move"))).hasSize(3);
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("rollback console, by carol: recall dropped");
        assertThat(fixture.registry.byAlias("churn", "production").orElseThrow().version()).isEqualTo("1.0.0");
    }

    @Test
    void theDashboardChartsTheLineageGraphAndTheDiffRender() throws Exception {
        browser.get(console.uri().resolve("/monitor").toString());
        List<WebElement> charts = browser.findElements(By.cssSelector("svg.chart-svg"));
        assertThat(charts).hasSize(6);
        charts.forEach(ConsoleBrowserTest::rendered);
        assertThat(browser.findElements(By.cssSelector("svg.chart-svg polyline")).size()).isGreaterThanOrEqualTo(10);
        shot("monitor");
        noConsoleErrors("the dashboard");

        browser.get(console.uri().resolve("/datasets/customers/versions/" + fixture.features.id()).toString());
        List<WebElement> nodes = browser.findElements(By.cssSelector("svg.lineage rect.node"));
        assertThat(nodes).hasSize(4); // raw -> cleaned -> features <- labels
        nodes.forEach(ConsoleBrowserTest::rendered);
        assertThat(browser.findElements(By.cssSelector("svg.lineage line.edge"))).hasSize(3);
        shot("lineage");

        clickTo(browser.findElement(By.linkText("customers")), "/datasets/customers");
        new Select(browser.findElement(By.name("a"))).selectByVisibleText(fixture.raw.id());
        new Select(browser.findElement(By.name("b"))).selectByVisibleText(fixture.features.id());
        clickTo(browser.findElement(By.cssSelector("form button")), "/diff?");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("rows 200 → 180");
        shot("diff");

        browser.get(console.uri().resolve("/alerts").toString());
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("error_rate above 0.05");
        shot("alerts");
        browser.get(console.uri().resolve("/drift").toString());
        assertThat(browser.findElements(By.tagName("svg"))).isNotEmpty();
        shot("drift");
        noConsoleErrors("the drift report");
    }
}
