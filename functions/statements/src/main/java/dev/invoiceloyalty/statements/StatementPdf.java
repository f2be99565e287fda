package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.mail.MoneyFormat;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The customer statement as a one-or-more-page A4 PDF, drawn with Apache PDFBox and the standard Helvetica
 * fonts (no font files in the jar; WinAnsi covers the accents of en, de, fr and es; other characters print as '?').
 */
public final class StatementPdf {
    private static final float MARGIN = 50;
    private static final float LINE = 15;
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDDocument doc;
    private PDPageContentStream out;
    private float y;

    private StatementPdf() {
    }

    public static byte[] render(CustomerStatement s, String businessName) {
        return new StatementPdf().draw(s, businessName);
    }

    private byte[] draw(CustomerStatement s, String businessName) {
        StatementLabels l = StatementLabels.of(s.language());
        String lang = l.language();
        try (PDDocument d = new PDDocument()) {
            doc = d;
            newPage();
            text(bold, 18, MARGIN, businessName);
            y -= 8;
            text(bold, 14, MARGIN, l.get("title"));
            text(regular, 10, MARGIN, l.get("customer") + ": " + s.name() + " (" + s.customerId() + ")");
            text(regular, 10, MARGIN, l.get("period") + ": " + l.month(s.month()));
            for (var sec : s.sections()) {
                String cur = sec.currency();
                y -= 10;
                space(8);
                text(bold, 12, MARGIN, l.get("currency") + ": " + cur);
                amountRow(regular, l.get("opening"), sec.opening(), cur, lang);
                amountRow(regular, "+ " + l.get("invoices"), sec.invoiced(), cur, lang);
                for (var line : sec.invoices()) {
                    detail(l.get("invoice") + " " + line.reference() + "  " + l.get("issued") + " "
                            + MoneyFormat.date(line.date(), lang) + "  " + l.get("due") + " " + MoneyFormat.date(line.due(), lang),
                            line.amount(), cur, lang);
                }
                amountRow(regular, "- " + l.get("payments"), sec.paid(), cur, lang);
                for (var line : sec.payments()) {
                    detail(l.get("paidOn") + " " + MoneyFormat.date(line.date(), lang) + "  " + l.get("invoice") + " "
                            + line.reference(), line.amount(), cur, lang);
                }
                amountRow(regular, "- " + l.get("credits"), sec.credits(), cur, lang);
                rule();
                amountRow(bold, l.get("closing"), sec.closing(), cur, lang);
                y -= 4;
                text(bold, 10, MARGIN, l.get("aging"));
                for (Map.Entry<String, Long> b : sec.aging().buckets().entrySet()) {
                    amountRow(regular, "   " + l.bucket(b.getKey()), b.getValue(), cur, lang);
                }
            }
            y -= 10;
            space(4);
            text(bold, 12, MARGIN, l.get("rewards"));
            StringBuilder rewards = new StringBuilder().append(s.points()).append(' ').append(l.get("points"));
            s.rewardCredits().entrySet().stream().filter(e -> e.getValue() != 0).sorted(Map.Entry.comparingByKey())
                    .forEach(e -> rewards.append(", ").append(MoneyFormat.money(e.getValue(), e.getKey(), lang)).append(' ')
                            .append(e.getKey()).append(' ').append(l.get("credit")));
            text(regular, 10, MARGIN, rewards.toString());
            out.close();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            d.save(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void newPage() throws IOException {
        if (out != null) {
            out.close();
        }
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        out = new PDPageContentStream(doc, page);
        y = page.getMediaBox().getHeight() - MARGIN;
    }

    private void space(int lines) throws IOException {
        if (y - lines * LINE < MARGIN) {
            newPage();
        }
    }

    private void text(PDType1Font font, float size, float x, String s) throws IOException {
        space(1);
        out.beginText();
        out.setFont(font, size);
        out.newLineAtOffset(x, y);
        out.showText(safe(font, s));
        out.endText();
        y -= size + 5;
    }

    private void amountRow(PDType1Font font, String label, long minor, String currency, String lang) throws IOException {
        space(1);
        String amount = safe(font, MoneyFormat.money(minor, currency, lang) + " " + currency);
        out.beginText();
        out.setFont(font, 10);
        out.newLineAtOffset(MARGIN + 10, y);
        out.showText(safe(font, label));
        out.endText();
        right(font, 10, amount, 545);
        y -= LINE;
    }

    private void detail(String label, long minor, String currency, String lang) throws IOException {
        space(1);
        out.setNonStrokingColor(Color.DARK_GRAY);
        out.beginText();
        out.setFont(regular, 8.5f);
        out.newLineAtOffset(MARGIN + 25, y);
        out.showText(safe(regular, label));
        out.endText();
        right(regular, 8.5f, safe(regular, MoneyFormat.money(minor, currency, lang)), 460);
        out.setNonStrokingColor(Color.BLACK);
        y -= LINE - 3;
    }

    private void right(PDType1Font font, float size, String s, float rightEdge) throws IOException {
        float width = font.getStringWidth(s) / 1000 * size;
        out.beginText();
        out.setFont(font, size);
        out.newLineAtOffset(rightEdge - width, y);
        out.showText(s);
        out.endText();
    }

    private void rule() throws IOException {
        out.moveTo(MARGIN + 10, y + LINE - 4);
        out.lineTo(545, y + LINE - 4);
        out.stroke();
    }

    /** Characters the font cannot encode (the JDK's narrow no-break space in French numbers, for one) replaced. */
    private static String safe(PDType1Font font, String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSpaceChar(c)) {
                b.append(' ');
                continue;
            }
            try {
                font.encode(String.valueOf(c));
                b.append(c);
            } catch (IOException | IllegalArgumentException e) {
                b.append('?');
            }
        }
        return b.toString();
    }
}
