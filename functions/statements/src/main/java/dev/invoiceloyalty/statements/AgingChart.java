package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.domain.MoneyMath;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The aging buckets of one currency as a PNG bar chart. Mail clients do not run scripts or SVG reliably, so the
 * chart travels as an inline PNG referenced by {@code cid:} (RFC 2392). Rendered off-screen: Lambda has no display,
 * so the JVM runs with {@code java.awt.headless=true} (set here too, before AWT loads).
 */
public final class AgingChart {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] BUCKET_COLOURS = {
            new Color(0x2E7D32), new Color(0x9E9D24), new Color(0xF9A825), new Color(0xEF6C00), new Color(0xC62828)};

    private AgingChart() {
    }

    public static byte[] png(AgingReport aging, int width, int height) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, Long> e : aging.totals().buckets().entrySet()) {
            data.addValue(MoneyMath.toMajor(e.getValue(), aging.currency()), aging.currency(), e.getKey());
        }
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("days overdue"),
                new NumberAxis(aging.currency()), new ColouredBars());
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlineVisible(false);
        JFreeChart chart = new JFreeChart("Aging " + aging.currency() + " as of " + aging.asOf(),
                new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // The JDK's PNG writer, as JFreeChart's own adapter would pick by class name (which the minimised jar does
        // not keep): the chart draws into an image, ImageIO encodes it. Into memory: ImageIO.write would buffer
        // through a temporary file (its cache is on by default), a file per chart on Lambda's /tmp for nothing.
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(chart.createBufferedImage(width, height));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** One colour per bucket, green (current) to red (90+). */
    private static final class ColouredBars extends BarRenderer {
        ColouredBars() {
            setBarPainter(new StandardBarPainter());
            setShadowVisible(false);
            setDrawBarOutline(false);
            setMaximumBarWidth(0.15);
        }

        @Override
        public java.awt.Paint getItemPaint(int row, int column) {
            return BUCKET_COLOURS[column % BUCKET_COLOURS.length];
        }
    }
}
