package io.mlops.drift;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Renders the HTML report in headless Chromium and looks at the screenshot. */
class HtmlRenderTest {

    @TempDir
    Path dir;

    static String chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void theReportRendersWithChartsInHeadlessChromium() throws Exception {
        String chromium = chromium();
        if (chromium == null) {
            System.out.println("SKIPPED HtmlRenderTest: no Chromium found (install Debian's 'chromium' package to run it)");
        }
        Assumptions.assumeTrue(chromium != null, "no Chromium found at /usr/bin/chromium: install Debian's 'chromium' package");

        DriftReport report = DriftDetector.builder(DriftDetectorTest.resource("reference.csv")).build()
                .detect(DriftDetectorTest.resource("current.csv"));
        Path html = dir.resolve("report.html");
        Files.writeString(html, report.toHtml());
        Path png = dir.resolve("report.png");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--window-size=1400,1600",
                "--screenshot=" + png, html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(png).as("screenshot; chromium said: %s", Files.readString(dir.resolve("chromium.log"))).exists();

        BufferedImage image = ImageIO.read(new File(png.toString()));
        assertThat(image.getWidth()).isEqualTo(1400);
        // the drift colour (#d9534f) of the banner and the drifted bars is on the page
        int red = 0;
        int blue = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                if (rgb == 0xD9534F) {
                    red++;
                } else if (rgb == 0x4A7BD0) {
                    blue++;
                }
            }
        }
        assertThat(red).as("pixels in the drift colour").isGreaterThan(500);
        assertThat(blue).as("pixels in the reference colour").isGreaterThan(200);
    }
}
