package dev.invoiceloyalty.bench.launch;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
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
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The first use of the libraries the weekly finance statement needs by SPEC §8 (a chart in the HTML body, CSV
 * attachments), with none of our code: one JFreeChart bar chart of five buckets drawn off-screen and encoded as PNG,
 * one Jakarta Mail message (text and HTML alternatives, the PNG inline, two CSV attachments) written out. The same
 * library calls as the statements' {@code AgingChart} and {@code RawEmail}, so the function's minimised jar holds them.
 * The floor runs it after its SDK calls when given the pseudo-service {@code renderers}: what the function cannot
 * avoid on a fresh JVM beyond the JVM, the SDK and Jackson.
 */
final class FloorRenderers {
    private FloorRenderers() {
    }

    static String render() throws Exception {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String[] buckets = {"current", "1-30", "31-60", "61-90", "90+"};
        for (int i = 0; i < buckets.length; i++) {
            data.addValue(1250.5 * (i + 1), "USD", buckets[i]);
        }
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("days overdue"), new NumberAxis("USD"), bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart("Aging USD", new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setAntiAlias(true);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(png)) {
            writer.setOutput(stream);
            writer.write(chart.createBufferedImage(560, 260));
        } finally {
            writer.dispose();
        }

        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress("statements@example.com"));
        m.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse("finance@example.com"));
        m.setSubject("Weekly finance statement", "UTF-8");
        m.setSentDate(new Date(0));
        MimeBodyPart text = new MimeBodyPart();
        text.setText("receivable 1,250.50 USD", "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText("<p>receivable</p><img src=\"cid:aging-usd\">", "UTF-8", "html");
        MimeBodyPart image = new MimeBodyPart();
        image.setDataHandler(new DataHandler(new ByteArrayDataSource(png.toByteArray(), "image/png")));
        image.setContentID("<aging-usd>");
        image.setDisposition(MimeBodyPart.INLINE);
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(html);
        related.addBodyPart(image);
        MimeBodyPart relatedPart = new MimeBodyPart();
        relatedPart.setContent(related);
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(relatedPart);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        for (String name : new String[]{"aging.csv", "movements.csv"}) {
            MimeBodyPart csv = new MimeBodyPart();
            csv.setDataHandler(new DataHandler(new ByteArrayDataSource(
                    "customer,total\ncus_1,1250.50\n".getBytes(StandardCharsets.UTF_8), "text/csv; charset=UTF-8")));
            csv.setFileName(name);
            csv.setDisposition(MimeBodyPart.ATTACHMENT);
            mixed.addBodyPart(csv);
        }
        m.setContent(mixed);
        m.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        m.writeTo(raw);
        return "png " + png.size() + " B, mime " + raw.size() + " B";
    }
}
