package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.mail.MoneyFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code payment-received} template: the thank-you email sent once when an invoice is paid in full. The
 * models are shaped like {@code Emails.paymentReceived} builds them, with money and dates formatted by the same
 * {@link MoneyFormat} the producer uses, so every language sees its own separators ("1.317,30", "1 317,30").
 */
class PaymentReceivedTemplateTest {
    private static final String TEMPLATE = "payment-received";
    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");

    private static final String CUSTOMER = "Ada Lovelace";
    private static final String BUSINESS = "Northwind Supplies";
    private static final String NUMBER = "INV-2026-000042";
    private static final long TOTAL = 131_730;
    private static final long CASH_DISCOUNT = 2_635;
    private static final long CREDITED = 8_270;
    private static final String PAID_ON = "2026-12-18";

    private final TemplateRenderer renderer = TemplateRenderer.create();

    // ---- models ----------------------------------------------------------------------------------------------

    private static String currency(String language) {
        return language.equals("en") ? "USD" : "EUR";
    }

    private static String money(long minor, String language) {
        return MoneyFormat.money(minor, currency(language), language);
    }

    /** The model {@code Emails.paymentReceived} builds, for a payment that settled the invoice. */
    private static Map<String, Object> model(String language, boolean paidOnTime, long cashDiscount, long credited) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", CUSTOMER);
        model.put("businessName", BUSINESS);
        model.put("invoiceNumber", NUMBER);
        model.put("currency", currency(language));
        model.put("total", money(TOTAL, language));
        model.put("amountPaid", money(TOTAL - cashDiscount + credited, language));
        model.put("paidDate", MoneyFormat.date(PAID_ON, language));
        model.put("paidOnTime", paidOnTime);
        if (cashDiscount > 0) {
            model.put("cashDiscount", money(cashDiscount, language));
        }
        if (credited > 0) {
            model.put("credited", money(credited, language));
        }
        return model;
    }

    private static Map<String, Object> plain(String language) {
        return model(language, true, 0, 0);
    }

    private RenderedEmail render(String language, Map<String, Object> model) {
        return renderer.render(TEMPLATE, language, model);
    }

    // ---- assertions ------------------------------------------------------------------------------------------

    private static void assertInTextAndHtml(RenderedEmail email, String... expected) {
        for (String value : expected) {
            assertAll(value,
                    () -> assertTrue(email.text().contains(value), "text lacks " + value + ":\n" + email.text()),
                    () -> assertTrue(email.html().contains(value), "html lacks " + value + ":\n" + email.html()));
        }
    }

    private static void assertNowhere(RenderedEmail email, String... unexpected) {
        for (String value : unexpected) {
            assertAll(value,
                    () -> assertFalse(email.subject().contains(value), "subject has " + value + ": " + email.subject()),
                    () -> assertFalse(email.text().contains(value), "text has " + value + ":\n" + email.text()),
                    () -> assertFalse(email.html().contains(value), "html has " + value + ":\n" + email.html()));
        }
    }

    private static void assertFullyRendered(RenderedEmail email, String language) {
        assertAll(
                () -> assertFalse(email.subject().contains("{{"), email.subject()),
                () -> assertFalse(email.text().contains("{{"), email.text()),
                () -> assertFalse(email.html().contains("{{"), email.html()),
                () -> assertFalse(email.subject().contains("\n"), "the subject is one line"),
                () -> assertFalse(email.text().contains("\n\n\n"), "no empty section leaves a gap:\n" + email.text()),
                () -> assertTrue(email.html().startsWith("<!DOCTYPE html>"), "the HTML part is a document"),
                () -> assertTrue(email.html().contains("<html lang=\"" + language + "\">"), "the HTML declares its language"));
    }

    /**
     * The HTML part is well-formed: every element is closed and properly nested, attributes are quoted and every
     * {@code &} starts an entity. Checked with the JDK's XML parser, after turning HTML's void elements into
     * self-closing tags and {@code &nbsp;} into its numeric reference (the only named entity the templates use).
     * On top of that, the mail-client rules of the README: table layout, inline styles, nothing external.
     */
    private static void assertWellFormedMailHtml(String html) {
        assertTrue(html.startsWith("<!DOCTYPE html>\n"), "doctype first");
        String xml = html.substring("<!DOCTYPE html>\n".length())
                .replace("&nbsp;", "&#160;")
                .replaceAll("<(meta|br|img|hr|input|link)\\b([^>]*?)\\s*/?>", "<$1$2/>");
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            doc = builder.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            fail("the HTML part does not parse: " + e.getMessage() + "\n" + html);
            return;
        }
        Element root = doc.getDocumentElement();
        assertEquals("html", root.getTagName());
        assertFalse(root.getAttribute("lang").isEmpty(), "lang on <html>");
        assertEquals(1, doc.getElementsByTagName("head").getLength(), "one head");
        assertEquals(1, doc.getElementsByTagName("body").getLength(), "one body");
        assertEquals(1, doc.getElementsByTagName("title").getLength(), "one title");
        for (String tag : List.of("tr", "td")) {
            String parent = tag.equals("tr") ? "table" : "tr";
            NodeList nodes = doc.getElementsByTagName(tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                assertEquals(parent, ((Element) nodes.item(i).getParentNode()).getTagName(), "<" + tag + "> in <" + parent + ">");
            }
        }
        NodeList paragraphs = doc.getElementsByTagName("p");
        for (int i = 0; i < paragraphs.getLength(); i++) {
            Element p = (Element) paragraphs.item(i);
            assertEquals(0, p.getElementsByTagName("table").getLength() + p.getElementsByTagName("p").getLength(),
                    "a <p> holds no block (an HTML parser would close it early)");
        }
        for (String banned : List.of("style", "link", "script", "img", "iframe", "form")) {
            assertEquals(0, doc.getElementsByTagName(banned).getLength(), "no <" + banned + ">: inline styles, nothing external");
        }
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains(" class="), "no classes: styles are inline");
        assertFalse(lower.contains("src="), "nothing loaded from elsewhere");
        assertFalse(lower.contains("url("), "no external backgrounds");
    }

    // ---- tests -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({
            "en, Invoice,  Thank you for your payment",
            "de, Rechnung, vielen Dank für Ihre Zahlung",
            "fr, Facture,  Nous avons bien reçu votre règlement et vous en remercions",
            "es, Factura,  Muchas gracias por su pago"})
    void GIVEN_a_paid_invoice_WHEN_rendered_in_each_language_THEN_every_part_shows_the_name_number_and_amounts(
            String language, String invoiceWord, String thanks) {
        RenderedEmail email = render(language, plain(language));
        String paid = money(TOTAL, language) + " " + currency(language);

        assertFullyRendered(email, language);
        assertTrue(email.subject().startsWith(invoiceWord + " " + NUMBER), email.subject());
        assertTrue(email.subject().contains(BUSINESS), email.subject());
        assertTrue(email.subject().contains(paid), email.subject());
        assertInTextAndHtml(email, CUSTOMER, BUSINESS, NUMBER, paid, MoneyFormat.date(PAID_ON, language), thanks);
        assertWellFormedMailHtml(email.html());
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({"en, you saved", "de, Skontofrist", "fr, vous avez économisé", "es, se ha ahorrado"})
    void GIVEN_a_cash_discount_WHEN_rendered_THEN_the_saving_is_shown_only_when_it_was_taken(
            String language, String savedWords) {
        String discount = money(CASH_DISCOUNT, language);
        String paid = money(TOTAL - CASH_DISCOUNT, language);

        RenderedEmail with = render(language, model(language, true, CASH_DISCOUNT, 0));
        RenderedEmail without = render(language, plain(language));

        assertFullyRendered(with, language);
        assertInTextAndHtml(with, savedWords, discount + " " + currency(language),
                "-" + discount + " " + currency(language), money(TOTAL, language), paid);
        assertTrue(with.subject().contains(paid + " " + currency(language)), "the subject shows what was paid");
        assertNowhere(without, savedWords, discount);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({"en, added this amount to your account as credit", "de, als Guthaben gutgeschrieben",
            "fr, portée au crédit de votre compte", "es, saldo a favor"})
    void GIVEN_an_overpayment_WHEN_rendered_THEN_the_credit_is_shown_only_when_there_is_one(
            String language, String creditWords) {
        String credited = money(CREDITED, language);
        String paid = money(TOTAL + CREDITED, language);

        RenderedEmail with = render(language, model(language, true, 0, CREDITED));
        RenderedEmail without = render(language, plain(language));

        assertFullyRendered(with, language);
        assertInTextAndHtml(with, creditWords, credited + " " + currency(language), money(TOTAL, language), paid);
        assertNowhere(without, creditWords, credited);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({
            "en, on time,          Thank you for your payment",
            "de, pünktlich,        vielen Dank für Ihre Zahlung",
            "fr, dans les délais,  vous en remercions",
            "es, a tiempo,         Muchas gracias por su pago"})
    void GIVEN_a_late_payment_WHEN_rendered_THEN_it_is_a_plain_thank_you_without_the_on_time_sentence_or_rewards(
            String language, String onTimeWords, String thanks) {
        RenderedEmail onTime = render(language, model(language, true, 0, 0));
        RenderedEmail late = render(language, model(language, false, 0, 0));

        assertInTextAndHtml(onTime, onTimeWords);
        assertFullyRendered(late, language);
        assertInTextAndHtml(late, thanks, NUMBER, money(TOTAL, language));
        assertNowhere(late, onTimeWords);
        // no reproach either
        assertNowhere(late, "late", "overdue", "verspätet", "überfällig", "retard", "retraso", "vencid");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({
            "en, rewards for paying on time are credited separately, notice",
            "de, Treueprämien,                                       Benachrichtigung",
            "fr, récompenses de fidélité,                            e-mail distinct",
            "es, recompensas de fidelidad,                           aviso"})
    void GIVEN_an_on_time_payment_WHEN_rendered_THEN_it_announces_a_separate_rewards_notice_without_amounts(
            String language, String rewardsWords, String noticeWords) {
        RenderedEmail email = render(language, plain(language));

        assertInTextAndHtml(email, rewardsWords, noticeWords);
        assertNowhere(email, "points", "Punkte", "puntos");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource({"en, Payment date", "de, Bezahlt am", "fr, Date de règlement", "es, Fecha de pago"})
    void GIVEN_no_paid_date_WHEN_rendered_THEN_no_empty_date_line_is_shown(String language, String dateLabel) {
        Map<String, Object> model = plain(language);
        model.put("paidDate", MoneyFormat.date(null, language));

        RenderedEmail without = render(language, model);
        RenderedEmail with = render(language, plain(language));

        assertInTextAndHtml(with, dateLabel);
        assertNowhere(without, dateLabel);
        assertWellFormedMailHtml(without.html());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"en", "de", "fr", "es"})
    void GIVEN_a_customer_name_with_a_b_tag_WHEN_rendered_THEN_the_html_part_escapes_it_and_the_text_part_keeps_it(
            String language) {
        Map<String, Object> model = plain(language);
        model.put("customerName", "<b>Ada</b> & Co");

        RenderedEmail email = render(language, model);

        assertFalse(email.html().contains("<b>"), "no live <b> in the HTML part");
        assertTrue(email.html().contains("&lt;b&gt;Ada&lt;/b&gt; &amp; Co"), email.html());
        assertTrue(email.text().contains("<b>Ada</b> & Co"), "plain text is not HTML: no entities");
        assertWellFormedMailHtml(email.html());
    }

    static Stream<Arguments> everyVariant() {
        List<Arguments> variants = new ArrayList<>();
        for (String language : LANGUAGES) {
            for (boolean onTime : new boolean[]{true, false}) {
                for (long discount : new long[]{0, CASH_DISCOUNT}) {
                    for (long credited : new long[]{0, CREDITED}) {
                        variants.add(Arguments.of(language, onTime, discount, credited));
                    }
                }
            }
        }
        return variants.stream();
    }

    @ParameterizedTest(name = "[{0}] onTime={1} cashDiscount={2} credited={3}")
    @MethodSource("everyVariant")
    void GIVEN_any_combination_of_sections_WHEN_rendered_THEN_the_html_part_is_well_formed_mail_html(
            String language, boolean onTime, long discount, long credited) {
        RenderedEmail email = render(language, model(language, onTime, discount, credited));

        assertFullyRendered(email, language);
        assertWellFormedMailHtml(email.html());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"de-AT", "de-CH", "DE"})
    void GIVEN_a_regional_german_tag_WHEN_rendered_THEN_the_german_templates_are_used(String tag) {
        RenderedEmail email = render(tag, plain("de"));

        assertTrue(email.subject().startsWith("Rechnung " + NUMBER), email.subject());
        assertTrue(email.text().startsWith("Guten Tag Ada Lovelace,"), email.text());
        assertTrue(email.html().contains("<html lang=\"de\">"), "German HTML part");
    }

    @Test
    void GIVEN_a_language_without_templates_WHEN_rendered_THEN_english_is_used() {
        RenderedEmail email = render("pt-BR", plain("en"));

        assertTrue(email.subject().startsWith("Invoice " + NUMBER), email.subject());
        assertTrue(email.text().startsWith("Hello Ada Lovelace,"), email.text());
        assertTrue(email.html().contains("<html lang=\"en\">"), "English HTML part");
    }

    @Test
    void GIVEN_the_shipped_template_WHEN_listed_THEN_it_has_all_three_parts_in_every_language() {
        ClassLoader loader = getClass().getClassLoader();
        for (String language : LANGUAGES) {
            for (String part : List.of("subject", "txt", "html")) {
                String path = "templates/" + TEMPLATE + "/" + language + "." + part + ".mustache";
                assertNotNull(loader.getResource(path), path);
            }
        }
    }
}
