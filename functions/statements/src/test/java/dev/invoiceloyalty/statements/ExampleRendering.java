package dev.invoiceloyalty.statements;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * Writes the README's example pictures from the test book:
 * {@code mvn -pl functions/statements test -Dtest=ExampleRendering -Dstatements.render=$PWD/docs/statements}.
 * Off by default (not a check, a generator).
 */
@EnabledIfSystemProperty(named = "statements.render", matches = ".+")
class ExampleRendering {
    @Test
    void render_examples() throws Exception {
        Path dir = Path.of(System.getProperty("statements.render"));
        Files.createDirectories(dir);
        var h = new StatementHarness().seed();
        var reader = new StatementReader(h.ddb, h.table);
        FinanceReport r = new WeeklyStatement(reader, null, h.settings, StatementHarness.CONFIG).report(LocalDate.parse("2026-11-23"));
        // The HTML with its cid: images pointed at files next to it, for a browser screenshot.
        String html = FinanceEmail.html(r, "Example Co");
        for (var s : r.currencies()) {
            if (s.aging().totals().total() > 0) {
                String file = "aging-" + s.currency().toLowerCase() + ".png";
                Files.write(dir.resolve(file), AgingChart.png(s.aging(), 560, 260));
                html = html.replace("cid:" + FinanceEmail.contentId(s.currency()), file);
            }
        }
        Files.writeString(dir.resolve("weekly-email.html"), html);
        var monthly = new MonthlyStatements(reader, null, h.settings);
        var c = reader.customers(List.of("cust-b")).get("cust-b");
        byte[] pdf = StatementPdf.render(monthly.statement(c, YearMonth.of(2026, 11)), "Example Co");
        Files.write(dir.resolve("monthly-statement.pdf"), pdf);
        try (var doc = Loader.loadPDF(pdf)) {
            ImageIO.write(new PDFRenderer(doc).renderImageWithDPI(0, 80), "png", dir.resolve("monthly-statement.png").toFile());
        }
    }
}
