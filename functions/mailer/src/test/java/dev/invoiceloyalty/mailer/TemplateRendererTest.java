package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.mail.MailMessage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateRendererTest {
    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");
    private static final List<String> TEMPLATES = List.of("welcome", "invoice-issued");

    private final TemplateRenderer renderer = TemplateRenderer.create();

    private RenderedEmail render(MailMessage message, String language) {
        return renderer.render(message.template(), language, message.model());
    }

    private static void assertInAllParts(RenderedEmail email, String... expected) {
        for (String value : expected) {
            assertAll(value,
                    () -> assertTrue(email.text().contains(value), "text lacks " + value + ":\n" + email.text()),
                    () -> assertTrue(email.html().contains(value), "html lacks " + value + ":\n" + email.html()));
        }
    }

    private static void assertFullyRendered(RenderedEmail email) {
        assertAll(
                () -> assertFalse(email.subject().contains("{{"), email.subject()),
                () -> assertFalse(email.text().contains("{{"), email.text()),
                () -> assertFalse(email.html().contains("{{"), email.html()),
                () -> assertFalse(email.subject().contains("\n"), "the subject is one line"),
                () -> assertTrue(email.html().startsWith("<!DOCTYPE html>"), "the HTML part is a document"));
    }

    @Nested
    class Welcome {
        private final MailMessage welcome = SampleMessages.welcome();

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"en, Welcome to", "de, Willkommen bei", "fr, Bienvenue chez", "es, Le damos la bienvenida"})
        void GIVEN_the_sample_welcome_WHEN_rendered_in_each_language_THEN_every_part_names_the_customer_terms_and_rewards(
                String language, String greeting) {
            RenderedEmail email = render(welcome, language);

            assertFullyRendered(email);
            assertTrue(email.subject().startsWith(greeting), email.subject());
            assertTrue(email.subject().contains("Northwind Supplies"), email.subject());
            assertTrue(email.html().contains("<html lang=\"" + language + "\">"), "the HTML declares its language");
            assertInAllParts(email, "Ada Lovelace", "Northwind Supplies", "30", "10,000.00", "500", "1000", "100");
            // both early-payment tiers: within 7 days 2 %, within 10 days 1 %
            assertInAllParts(email, " 7 ", " 10 ");
            assertTrue(email.text().matches("(?s).*\\b2 ?%.*\\b1 ?%.*"), email.text());
        }
    }

    @Nested
    class InvoiceIssued {
        private final MailMessage invoice = SampleMessages.invoiceIssued();

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"en, Invoice", "de, Rechnung", "fr, Facture", "es, Factura"})
        void GIVEN_the_sample_invoice_WHEN_rendered_in_each_language_THEN_every_part_shows_number_dates_lines_and_amounts(
                String language, String invoiceWord) {
            RenderedEmail email = render(invoice, language);

            assertFullyRendered(email);
            assertTrue(email.subject().startsWith(invoiceWord + " INV-2026-000042"), email.subject());
            assertTrue(email.subject().contains("1,317.30 USD"), email.subject());
            assertInAllParts(email, "Ada Lovelace", "INV-2026-000042", "November 22, 2026", "December 22, 2026",
                    "Consulting, November 2026", "1,000.00", "240.00", "1,240.00", "102.30", "1,317.30", "USD",
                    "Reward credit applied", "-25.00",
                    "https://pay.example.com/i/inv_01JD8ZK4W7Q3",
                    "November 29, 2026", "26.35", "December 2, 2026", "13.17", "131");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_no_payment_url_WHEN_rendered_THEN_no_link_is_shown(String language) {
            var model = SampleMessages.model(invoice, m -> m.remove("paymentUrl"));

            RenderedEmail email = renderer.render("invoice-issued", language, model);

            assertFalse(email.html().contains("<a "), "no link in the HTML part");
            assertFalse(email.text().contains("https://"), "no link in the text part");
            assertFalse(email.html().contains("https://"), "no bare link in the HTML part");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_no_discounts_WHEN_rendered_THEN_no_discount_line_is_shown(String language) {
            var model = SampleMessages.model(invoice, m -> {
                m.put("hasDiscounts", false);
                m.put("discounts", List.of());
            });

            RenderedEmail email = renderer.render("invoice-issued", language, model);

            assertFalse(email.text().contains("Reward credit applied"), email.text());
            assertFalse(email.html().contains("-25.00"), "no discount row in the HTML part");
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"en, Large invoice bonus", "de, Bonus für große Rechnungen", "fr, Bonus grande facture",
                "es, Bonificación por factura de importe elevado"})
        void GIVEN_a_large_invoice_bonus_WHEN_rendered_THEN_it_is_shown_only_when_it_is_not_zero(
                String language, String bonusLabel) {
            RenderedEmail without = render(invoice, language);
            @SuppressWarnings("unchecked")
            var model = SampleMessages.model(invoice,
                    m -> ((Map<String, Object>) m.get("rewardOffer")).put("largeInvoiceBonusPoints", 500));
            RenderedEmail with = renderer.render("invoice-issued", language, model);

            assertFalse(without.text().contains(bonusLabel), "0 bonus points are not offered");
            assertFalse(without.html().contains(bonusLabel), "0 bonus points are not offered");
            assertTrue(with.text().contains(bonusLabel) && with.text().contains("500"), with.text());
            assertTrue(with.html().contains(bonusLabel) && with.html().contains("500"), "HTML offers the bonus");
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"en, 'a 2% discount'", "de, '2 % Skonto'", "fr, 'escompte de 2 %'", "es, 'descuento del 2 %'"})
        void GIVEN_an_early_payment_discount_WHEN_rendered_THEN_the_amount_and_date_that_settle_the_invoice_are_shown(
                String language, String discountWords) {
            var model = SampleMessages.model(invoice, m -> m.put("earlyPaymentDiscount",
                    Map.of("percent", "2", "withinDays", 10, "payByDate", "December 2, 2026", "amount", "1,290.95")));

            RenderedEmail email = renderer.render("invoice-issued", language, model);
            RenderedEmail without = render(invoice, language);

            assertInAllParts(email, "1,290.95", "December 2, 2026");
            assertTrue(email.text().contains(discountWords), email.text());
            assertFalse(without.text().contains("1,290.95"), "no cash discount when the invoice has none");
        }
    }

    @Test
    void GIVEN_a_customer_name_with_a_script_tag_WHEN_rendered_THEN_the_html_part_escapes_it_and_the_text_part_keeps_it() {
        MailMessage welcome = SampleMessages.welcome();
        var model = SampleMessages.model(welcome, m -> m.put("customerName", "<script>alert('x')</script> & Co"));

        RenderedEmail email = renderer.render("welcome", "en", model);

        assertFalse(email.html().contains("<script>"), "no live script tag in the HTML part");
        assertTrue(email.html().contains("&lt;script&gt;"), email.html());
        assertTrue(email.html().contains("&amp; Co"), "ampersands are escaped too");
        assertTrue(email.text().contains("<script>alert('x')</script> & Co"), "plain text is not HTML: no entities");
    }

    @Test
    void GIVEN_a_business_name_with_a_line_break_WHEN_rendered_THEN_the_subject_stays_one_line() {
        MailMessage welcome = SampleMessages.welcome();
        var model = SampleMessages.model(welcome, m -> m.put("businessName", "Northwind\r\nBcc: victim@example.com"));

        RenderedEmail email = renderer.render("welcome", "en", model);

        assertEquals("Welcome to Northwind Bcc: victim@example.com: your payment terms and rewards", email.subject());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"de-AT", "de-DE", "de_CH", "DE"})
    void GIVEN_a_regional_german_tag_WHEN_rendered_THEN_the_german_templates_are_used(String tag) {
        RenderedEmail email = renderer.render("invoice-issued", tag, SampleMessages.invoiceIssued().model());

        assertTrue(email.subject().startsWith("Rechnung INV-2026-000042"), email.subject());
        assertTrue(email.text().startsWith("Guten Tag Ada Lovelace,"), email.text());
        assertTrue(email.html().contains("<html lang=\"de\">"), "German HTML part");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"pt", "pt-BR", "", "x", "123"})
    void GIVEN_a_language_without_templates_WHEN_rendered_THEN_english_is_used(String tag) {
        RenderedEmail email = renderer.render("welcome", tag, SampleMessages.welcome().model());

        assertTrue(email.subject().startsWith("Welcome to Northwind Supplies"), email.subject());
        assertTrue(email.text().startsWith("Hello Ada Lovelace,"), email.text());
        assertTrue(email.html().contains("<html lang=\"en\">"), "English HTML part");
    }

    @Test
    void GIVEN_no_language_at_all_WHEN_rendered_THEN_english_is_used() {
        RenderedEmail email = renderer.render("welcome", null, SampleMessages.welcome().model());

        assertTrue(email.subject().startsWith("Welcome to"), email.subject());
    }

    @Test
    void GIVEN_a_language_with_only_a_subject_WHEN_rendered_THEN_each_missing_part_falls_back_to_english_on_its_own() {
        TemplateRenderer partial = TemplateRenderer.fromClasspath("test-templates");

        RenderedEmail email = partial.render("partial", "de-AT", Map.of("name", "Jürgen"));

        assertEquals("Hallo Jürgen", email.subject());
        assertEquals("Text for Jürgen\n", email.text());
        assertEquals("<p>HTML for Jürgen</p>\n", email.html());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"no-such-template", "../templates/welcome", "Welcome", "welcome/../welcome", " "})
    void GIVEN_a_template_name_that_names_no_template_WHEN_rendered_THEN_it_is_an_unknown_template(String name) {
        assertThrows(UnknownTemplateException.class,
                () -> renderer.render(name, "en", SampleMessages.welcome().model()));
    }

    @Test
    void GIVEN_a_template_without_an_html_part_WHEN_rendered_THEN_it_is_an_unknown_template() {
        TemplateRenderer partial = TemplateRenderer.fromClasspath("test-templates");

        assertThrows(UnknownTemplateException.class, () -> partial.render("no-html", "en", Map.of()));
    }

    @Test
    void GIVEN_a_fresh_renderer_WHEN_templates_are_used_THEN_each_file_is_compiled_once_and_only_when_needed() {
        TemplateRenderer fresh = TemplateRenderer.create();
        Map<String, Object> model = SampleMessages.welcome().model();

        assertEquals(0, fresh.compiledFiles(), "nothing is compiled before use");
        fresh.render("welcome", "de", model);
        assertEquals(3, fresh.compiledFiles(), "subject, text and html of German welcome");
        fresh.render("welcome", "de-AT", model);
        fresh.render("welcome", "de", model);
        assertEquals(3, fresh.compiledFiles(), "the cache serves repeated renders");
        fresh.render("welcome", "pt", model);
        fresh.render("welcome", "en", model);
        assertEquals(6, fresh.compiledFiles(), "English compiled once, shared by pt and en");
    }

    @Test
    void GIVEN_the_shipped_templates_WHEN_listed_THEN_every_template_has_all_three_parts_in_every_language() {
        ClassLoader loader = getClass().getClassLoader();
        for (String template : TEMPLATES) {
            for (String language : LANGUAGES) {
                for (String part : List.of("subject", "txt", "html")) {
                    String path = "templates/" + template + "/" + language + "." + part + ".mustache";
                    assertNotNull(loader.getResource(path), path);
                }
            }
        }
    }
}
