package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.RewardOffer;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.mail.MoneyFormat;
import org.junit.jupiter.api.Nested;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code reminder} template (one per step of the ladder, SPEC §7) and the internal hand-offs
 * {@code escalation-ar} and {@code escalation-collections}. The models are built by the producer itself
 * ({@link Emails} with the default program configuration), so these tests prove that what the producer sends is
 * what the templates read, in every language.
 */
class ReminderTemplatesTest {
    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");
    private static final List<String> STEPS = List.of("pre_due", "due_today", "overdue_3", "overdue_7", "overdue_14",
            "overdue_30", "collections_60");
    private static final List<String> WARM_STEPS = List.of("pre_due", "due_today", "overdue_3");

    private static final String BUSINESS = "Northwind Supplies";
    private static final String CUSTOMER = "Ada Lovelace";
    private static final String NUMBER = "INV-2026-000042";
    private static final String ISSUED = "2026-11-01";
    private static final String DUE = "2026-12-01";
    private static final long TOTAL = 131_730;
    private static final String PAY_URL = "https://pay.example.com/inv?id=42&src=mail";

    private static final ProgramConfig CONFIG = ProgramConfig.defaults();
    private final Emails emails = new Emails(CONFIG, BUSINESS);
    private final TemplateRenderer renderer = TemplateRenderer.create();

    // ---- models ----------------------------------------------------------------------------------------------

    private static Customer customer(String language, String name) {
        return new Customer("cus_ada_1001", name, "ap@contoso.example", language, "Europe/Berlin", null, true, false,
                new Customer.Loyalty("SILVER", 0, Map.of(), 0, 0), "2026-11-01T09:00:00Z", "2026-11-01T09:00:00Z");
    }

    private static Customer customer(String language) {
        return customer(language, CUSTOMER);
    }

    private static String currency(String language) {
        return language.equals("en") ? "USD" : "EUR";
    }

    private static String money(long minor, String language) {
        return MoneyFormat.money(minor, currency(language), language) + " " + currency(language);
    }

    private static Invoice invoice(String language, long paid, long onTimePoints, String paymentUrl,
                                   List<Invoice.ReminderRecord> reminders) {
        RewardOffer offer = new RewardOffer(List.of(new RewardOffer.EarlyCredit("2026-11-08", "2", 2_635)),
                new RewardOffer.OnTime(DUE, onTimePoints, "SILVER"), 0);
        return new Invoice("inv_01JD8ZK4W7Q3", NUMBER, "cus_ada_1001", currency(language),
                paid > 0 ? InvoiceStatus.PARTIALLY_PAID : InvoiceStatus.OPEN, ISSUED, DUE,
                List.of(new Invoice.LineItem("Consulting", "1", TOTAL, "0", TOTAL, 0)), TOTAL, 0, List.of(), TOTAL, paid,
                TOTAL - paid, 0, List.of(), List.of(), reminders, false, Escalation.NONE, null, null, paymentUrl, null,
                offer, "2026-11-01T09:00:00Z", "2026-11-01T09:00:00Z", null, "Europe/Berlin", 0, 0, List.of());
    }

    private static Invoice invoice(String language) {
        return invoice(language, 0, 275, PAY_URL, List.of());
    }

    private static ProgramConfig.ReminderStep step(String name) {
        return CONFIG.reminders().steps().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
    }

    private static int offset(String step) {
        return step(step).offsetDays();
    }

    /** The reminder of {@code step}, sent on the step's own date. */
    private MailMessage reminder(Invoice inv, Customer c, String step, int paidInvoices) {
        return emails.reminder(inv, c, step(step), paidInvoices, LocalDate.parse(DUE).plusDays(offset(step)));
    }

    private RenderedEmail render(MailMessage m) {
        return renderer.render(m.template(), m.language(), m.model());
    }

    private RenderedEmail reminder(String language, String step, int paidInvoices) {
        return render(reminder(invoice(language), customer(language), step, paidInvoices));
    }

    // ---- assertions (as in PaymentReceivedTemplateTest and RewardTemplatesTest) ------------------------------

    /** What a reader of the HTML part sees: tags removed (a phrase may span a {@code <strong>}), entities decoded. */
    private static String visible(String html) {
        return html.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&#x3D;", "=").replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }

    private static void assertInTextAndHtml(RenderedEmail email, String... expected) {
        for (String value : expected) {
            assertAll(value,
                    () -> assertTrue(email.text().contains(value), "text lacks " + value + ":\n" + email.text()),
                    () -> assertTrue(visible(email.html()).contains(value), "html lacks " + value + ":\n" + email.html()));
        }
    }

    private static void assertNowhere(RenderedEmail email, String... unexpected) {
        for (String value : unexpected) {
            assertAll(value,
                    () -> assertFalse(email.subject().contains(value), "subject has " + value + ": " + email.subject()),
                    () -> assertFalse(email.text().contains(value), "text has " + value + ":\n" + email.text()),
                    () -> assertFalse(visible(email.html()).contains(value), "html has " + value + ":\n" + email.html()));
        }
    }

    private static void assertFullyRendered(RenderedEmail email, String language) {
        assertAll(
                () -> assertFalse(email.subject().isBlank(), "a subject"),
                () -> assertFalse(email.subject().contains("{{"), email.subject()),
                () -> assertFalse(email.text().contains("{{"), email.text()),
                () -> assertFalse(email.html().contains("{{"), email.html()),
                () -> assertFalse(email.subject().contains("\n"), "the subject is one line"),
                () -> assertFalse(email.text().startsWith("\n"), "no empty first line:\n" + email.text()),
                () -> assertFalse(email.text().contains("\n\n\n"), "no empty section leaves a gap:\n" + email.text()),
                () -> assertFalse(email.text().contains(" :\n") || email.text().contains(": \n"), "no empty value:\n" + email.text()),
                () -> assertFalse(email.text().contains("  .") || email.text().contains(" ,"), "no hole in a sentence:\n" + email.text()),
                () -> assertTrue(email.html().startsWith("<!DOCTYPE html>"), "the HTML part is a document"),
                () -> assertTrue(email.html().contains("<html lang=\"" + language + "\">"), "the HTML declares its language"));
    }

    /**
     * Well-formed, mail-client safe HTML: parsed as XML after turning void elements into self-closing tags and
     * {@code &nbsp;} into its numeric reference; table layout, inline styles, nothing external.
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
        NodeList tables = doc.getElementsByTagName("table");
        for (int i = 0; i < tables.getLength(); i++) {
            assertTrue(((Element) tables.item(i)).getElementsByTagName("tr").getLength() > 0, "no empty <table>");
        }
        NodeList paragraphs = doc.getElementsByTagName("p");
        for (int i = 0; i < paragraphs.getLength(); i++) {
            Element p = (Element) paragraphs.item(i);
            assertEquals(0, p.getElementsByTagName("table").getLength() + p.getElementsByTagName("p").getLength(),
                    "a <p> holds no block (an HTML parser would close it early)");
            assertFalse(p.getTextContent().isBlank(), "no empty <p>");
        }
        for (String banned : List.of("style", "link", "script", "img", "iframe", "form")) {
            assertEquals(0, doc.getElementsByTagName(banned).getLength(), "no <" + banned + ">: inline styles, nothing external");
        }
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains(" class="), "no classes: styles are inline");
        assertFalse(lower.contains("src="), "nothing loaded from elsewhere");
        assertFalse(lower.contains("url("), "no external backgrounds");
    }

    private static void assertEscapesTheName(RenderedEmail email) {
        assertFalse(email.html().contains("<b>"), "no live <b> in the HTML part");
        assertTrue(email.html().contains("&lt;b&gt;Ada&lt;/b&gt; &amp; Co"), email.html());
        assertTrue(email.text().contains("<b>Ada</b> & Co"), "plain text is not HTML: no entities");
        assertWellFormedMailHtml(email.html());
    }

    // ---- tests -----------------------------------------------------------------------------------------------

    @Test
    void GIVEN_the_shipped_templates_WHEN_listed_THEN_reminders_exist_in_every_language_and_hand_offs_in_english() {
        ClassLoader loader = getClass().getClassLoader();
        for (String part : List.of("subject", "txt", "html")) {
            for (String language : LANGUAGES) {
                String path = "templates/reminder/" + language + "." + part + ".mustache";
                assertNotNull(loader.getResource(path), path);
            }
            for (String template : List.of("escalation-ar", "escalation-collections")) {
                String path = "templates/" + template + "/en." + part + ".mustache";
                assertNotNull(loader.getResource(path), path);
            }
        }
    }

    @Nested
    class Reminder {
        static Stream<Arguments> everyStepAndLanguage() {
            List<Arguments> all = new ArrayList<>();
            for (String language : LANGUAGES) {
                for (String step : STEPS) {
                    for (int paid : new int[]{0, 6}) {
                        all.add(Arguments.of(language, step, paid));
                    }
                }
            }
            return all.stream();
        }

        @ParameterizedTest(name = "[{0}] {1}, {2} paid invoices")
        @MethodSource("everyStepAndLanguage")
        void GIVEN_any_step_WHEN_rendered_THEN_every_part_has_the_name_number_amount_and_days_overdue(
                String language, String step, int paidInvoices) {
            RenderedEmail email = reminder(language, step, paidInvoices);
            String amount = money(TOTAL, language);
            int daysOverdue = Math.max(0, offset(step));

            assertFullyRendered(email, language);
            assertTrue(email.subject().contains(NUMBER), email.subject());
            assertTrue(email.subject().contains(amount), email.subject());
            assertInTextAndHtml(email, CUSTOMER, BUSINESS, NUMBER, amount, MoneyFormat.date(DUE, language));
            if (daysOverdue > 0) {
                assertTrue(email.subject().contains(" " + daysOverdue + " "), email.subject());
                assertInTextAndHtml(email, " " + daysOverdue + " ");
            }
            assertWellFormedMailHtml(email.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_the_ladder_WHEN_rendered_THEN_each_step_has_its_own_subject(String language) {
            Set<String> subjects = new HashSet<>();
            for (String step : STEPS) {
                subjects.add(reminder(language, step, 0).subject());
            }
            assertEquals(STEPS.size(), subjects.size(), subjects.toString());
        }

        @ParameterizedTest(name = "[{0}] {1}")
        @CsvSource({
                "en, pre_due,        Friendly reminder:,  'is due on Dec 1, 2026, in 3 days'",
                "en, due_today,      Reminder:,           'is due today, Dec 1, 2026'",
                "en, overdue_3,      Payment reminder:,   'is now 3 days overdue'",
                "en, overdue_7,      Action required:,    without further delay",
                "en, overdue_14,     Overdue notice:,     Despite our previous reminders",
                "en, overdue_30,     Account referred to our accounts team:, handed your account over to our accounts team",
                "en, collections_60, Final notice:,       This is our final notice",
                "de, pre_due,        Freundliche Erinnerung:, 'ist am 01.12.2026 fällig, also in 3 Tagen'",
                "de, due_today,      Erinnerung:,         'ist heute, am 01.12.2026, fällig'",
                "de, overdue_3,      Zahlungserinnerung:, seit 3 Tagen überfällig",
                "de, overdue_7,      Bitte um umgehende Zahlung:, umgehend",
                "de, overdue_14,     Mahnung:,            trotz unserer bisherigen Erinnerungen",
                "de, overdue_30,     Mahnung und Übergabe an unsere Buchhaltung:, an unsere Buchhaltung übergeben",
                "de, collections_60, Letzte Mahnung:,     Dies ist unsere letzte Mahnung",
                "fr, pre_due,        Aimable rappel :,    soit dans 3 jours",
                "fr, due_today,      Rappel :,            arrive à échéance aujourd'hui",
                "fr, overdue_3,      Rappel de paiement :, 3 jours de retard",
                "fr, overdue_7,      Action requise :,    sans plus tarder",
                "fr, overdue_14,     Relance :,           Malgré nos précédents rappels",
                "fr, overdue_30,     Relance – dossier transmis à notre service comptable :, transmis à notre service comptable",
                "fr, collections_60, Dernier avis :,      Ceci est notre dernier avis",
                "es, pre_due,        Recordatorio amable:, dentro de 3 días",
                "es, due_today,      Recordatorio:,       vence hoy",
                "es, overdue_3,      Recordatorio de pago:, 3 días de retraso",
                "es, overdue_7,      Pago pendiente:,     sin más demora",
                "es, overdue_14,     Aviso de impago:,    A pesar de nuestros recordatorios anteriores",
                "es, overdue_30,     Aviso de impago – cuenta trasladada a contabilidad:, departamento de contabilidad",
                "es, collections_60, Último aviso:,       Este es nuestro último aviso"})
        void GIVEN_a_step_WHEN_rendered_THEN_subject_and_body_have_the_tone_of_the_step(
                String language, String step, String subjectStart, String bodyWords) {
            RenderedEmail email = reminder(language, step, 0);

            assertTrue(email.subject().startsWith(subjectStart), email.subject());
            assertInTextAndHtml(email, bodyWords);
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en, Hello, Dear,      Kind regards,            Yours sincerely",
                "de, Guten Tag, Guten Tag, Mit freundlichen Grüßen, Mit freundlichen Grüßen",
                "fr, Bonjour, Bonjour, Cordialement,            Veuillez agréer nos salutations distinguées",
                "es, Hola,  Estimado/a, Atentamente,            Atentamente"})
        void GIVEN_the_formal_steps_WHEN_rendered_THEN_greeting_and_sign_off_are_formal(
                String language, String greeting, String formalGreeting, String signOff, String formalSignOff) {
            RenderedEmail courteous = reminder(language, "pre_due", 0);
            RenderedEmail formal = reminder(language, "overdue_14", 0);

            assertTrue(courteous.text().startsWith(greeting + " ") || courteous.text().startsWith(greeting + ", "), courteous.text());
            assertTrue(formal.text().startsWith(formalGreeting + " "), formal.text());
            assertInTextAndHtml(courteous, signOff);
            assertInTextAndHtml(formal, formalSignOff);
        }

        @Test
        void GIVEN_a_german_customer_WHEN_reminded_THEN_the_email_is_german_with_the_formal_sie() {
            RenderedEmail email = reminder("de", "overdue_7", 0);

            assertTrue(email.subject().contains("Rechnung " + NUMBER), email.subject());
            assertInTextAndHtml(email, "Guten Tag Ada Lovelace", "Rechnungsnummer", "Offener Betrag", "Tage überfällig",
                    "Bitte begleichen Sie", "Ihr Team von Northwind Supplies", "1.317,30 EUR");
            assertNowhere(email, "Invoice", "Amount due", " du ", " dich ", " dein");
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"fr, vous, Montant dû", "es, usted, Importe pendiente"})
        void GIVEN_a_french_or_spanish_customer_WHEN_reminded_THEN_the_address_is_formal(String language, String formal,
                                                                                       String amountLabel) {
            RenderedEmail warm = reminder(language, "pre_due", 6);

            assertInTextAndHtml(warm, formal, amountLabel);
            assertNowhere(warm, " tu ", " tú ", " te ", " toi ", "Amount due");
        }

        @Test
        void GIVEN_a_language_without_templates_WHEN_reminded_THEN_it_falls_back_to_english() {
            RenderedEmail email = render(reminder(invoice("en"), customer("pt-BR"), "overdue_7", 0));

            assertTrue(email.subject().startsWith("Action required: invoice " + NUMBER), email.subject());
        }
    }

    @Nested
    class Warm {
        static Stream<Arguments> earlySteps() {
            List<Arguments> all = new ArrayList<>();
            for (String language : LANGUAGES) {
                for (String step : WARM_STEPS) {
                    all.add(Arguments.of(language, step));
                }
            }
            return all.stream();
        }

        private String thanks(String language) {
            return switch (language) {
                case "de" -> "herzlichen Dank für Ihre langjährige Treue";
                case "fr" -> "Merci tout d'abord pour votre fidélité";
                case "es" -> "gracias por su fidelidad";
                default -> "thank you for being such a loyal customer";
            };
        }

        /** The two last lines of the text part: the closing formula and the team. */
        private List<String> signOff(String text) {
            List<String> lines = text.strip().lines().toList();
            return lines.subList(lines.size() - 2, lines.size());
        }

        @ParameterizedTest(name = "[{0}] {1}")
        @MethodSource("earlySteps")
        void GIVEN_six_paid_invoices_WHEN_an_early_step_is_rendered_THEN_it_is_noticeably_warmer_than_with_five(
                String language, String step) {
            RenderedEmail warm = reminder(language, step, 6);
            RenderedEmail plain = reminder(language, step, 5);

            assertInTextAndHtml(warm, thanks(language));
            assertNowhere(plain, thanks(language));
            assertNotEquals(plain.subject(), warm.subject(), "the subject is warmer too");
            assertNotEquals(signOff(plain.text()), signOff(warm.text()), "and the sign-off");
            assertFullyRendered(warm, language);
            assertWellFormedMailHtml(warm.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_a_long_relationship_WHEN_a_later_step_is_rendered_THEN_it_is_not_warm(String language) {
            for (String step : List.of("overdue_7", "overdue_14", "overdue_30", "collections_60")) {
                RenderedEmail loyal = reminder(language, step, 50);

                assertNowhere(loyal, thanks(language));
                assertEquals(reminder(language, step, 0), loyal, "the same email as for a new customer");
            }
        }
    }

    @Nested
    class RewardStillAvailable {
        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en, 275 loyalty points,      'Pay in full by Nov 8, 2026: 2% credit'",
                "de, 275 Treuepunkte,         'Vollständige Zahlung bis zum 08.11.2026: 2 % Guthaben'",
                "fr, 275 points de fidélité,  'Règlement intégral au plus tard le 8 nov. 2026 : 2 % de crédit'",
                "es, 275 puntos de fidelidad, 'Pago completo a más tardar el 8 nov 2026: 2 % de crédito'"})
        void GIVEN_the_courteous_pre_due_reminder_WHEN_rendered_THEN_it_mentions_the_reward_still_available(
                String language, String points, String earlyCredit) {
            Invoice inv = invoice(language);
            // a day before the 2% window closes, so both rewards are still there
            MailMessage m = emails.reminder(inv, customer(language), step("pre_due"), 0, LocalDate.parse("2026-11-07"));
            RenderedEmail email = render(m);

            assertInTextAndHtml(email, points, earlyCredit, money(2_635, language));
            assertFullyRendered(email, language);
            assertWellFormedMailHtml(email.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"en, loyalty points", "de, Treuepunkte", "fr, points de fidélité", "es, puntos de fidelidad"})
        void GIVEN_no_reward_left_WHEN_rendered_THEN_none_is_mentioned(String language, String pointsWord) {
            RenderedEmail noOffer = render(reminder(invoice(language, 0, 0, PAY_URL, List.of()), customer(language), "pre_due", 0));
            RenderedEmail onTime = reminder(language, "due_today", 0);
            RenderedEmail late = reminder(language, "overdue_3", 0);

            assertInTextAndHtml(onTime, pointsWord);
            assertNowhere(noOffer, pointsWord);
            assertNowhere(late, pointsWord);
            assertFullyRendered(noOffer, language);
            assertWellFormedMailHtml(noOffer.html());
        }
    }

    @Nested
    class Details {
        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"en, Paid so far", "de, Bereits bezahlt", "fr, Déjà réglé", "es, Ya pagado"})
        void GIVEN_a_partly_paid_invoice_WHEN_rendered_THEN_it_shows_what_was_paid_and_what_is_left(String language,
                                                                                                   String paidLabel) {
            RenderedEmail email = render(reminder(invoice(language, 31_730, 275, PAY_URL, List.of()), customer(language),
                    "overdue_7", 0));

            assertInTextAndHtml(email, paidLabel, money(31_730, language), money(100_000, language), money(TOTAL, language));
            assertNowhere(reminder(language, "overdue_7", 0), paidLabel);
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_a_payment_link_WHEN_rendered_THEN_it_is_shown_and_escaped_in_the_html_and_absent_without_one(
                String language) {
            RenderedEmail with = reminder(language, "due_today", 0);
            RenderedEmail without = render(reminder(invoice(language, 0, 275, null, List.of()), customer(language),
                    "due_today", 0));

            assertTrue(with.text().contains(PAY_URL), with.text());
            assertTrue(with.html().contains("href=\"https://pay.example.com/inv?id"), with.html());
            assertTrue(with.html().contains("&amp;src"), "the & of the link is escaped in the HTML part");
            assertFalse(with.html().contains("&src"), with.html());
            assertInTextAndHtml(with, PAY_URL);
            assertNowhere(without, "https://pay.example.com", "href=");
            assertFullyRendered(without, language);
            assertWellFormedMailHtml(without.html());
        }

        @ParameterizedTest(name = "[{0}] {1}")
        @CsvSource({
                "en, is 1 day overdue,         is now 1 day overdue,       1 days",
                "de, ist seit 1 Tag überfällig, ist nun seit 1 Tag überfällig, 1 Tagen",
                "fr, en retard de 1 jour,      1 jour de retard,           1 jours",
                "es, con 1 día de retraso,     lleva 1 día de retraso,     1 días"})
        void GIVEN_one_day_overdue_WHEN_rendered_THEN_the_day_is_singular(String language, String inSubject, String inBody,
                                                                          String plural) {
            MailMessage m = emails.reminder(invoice(language), customer(language), step("due_today"), 0,
                    LocalDate.parse(DUE).plusDays(1));
            RenderedEmail email = render(m);

            assertTrue(email.subject().contains(inSubject), email.subject());
            assertInTextAndHtml(email, inBody);
            assertNowhere(email, plural);
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_a_customer_name_with_a_b_tag_WHEN_rendered_THEN_the_html_part_escapes_it(String language) {
            for (String step : List.of("pre_due", "overdue_30", "collections_60")) {
                for (int paid : new int[]{0, 6}) {
                    assertEscapesTheName(render(reminder(invoice(language), customer(language, "<b>Ada</b> & Co"), step, paid)));
                }
            }
        }
    }

    @Nested
    class Escalations {
        private final List<Invoice.ReminderRecord> history = List.of(
                new Invoice.ReminderRecord("pre_due", "2026-11-28T08:00:00Z"),
                new Invoice.ReminderRecord("due_today", "2026-12-01T08:00:00Z"),
                new Invoice.ReminderRecord("overdue_3", "2026-12-04T08:00:00Z"),
                new Invoice.ReminderRecord("overdue_7", "2026-12-08T08:00:00Z"),
                new Invoice.ReminderRecord("overdue_14", "2026-12-15T08:00:00Z"),
                new Invoice.ReminderRecord("overdue_30", "2026-12-31T08:00:00Z"),
                new Invoice.ReminderRecord("collections_60", "2027-01-30T08:00:00Z"));

        private MailMessage ar(String language, String name, List<Invoice.ReminderRecord> records) {
            return emails.arEscalation(invoice(language, 0, 275, PAY_URL, records), customer(language, name),
                    "ar@northwind.example", LocalDate.parse(DUE).plusDays(30));
        }

        private MailMessage collections(String language, String name, List<Invoice.ReminderRecord> records) {
            return emails.collectionsEscalation(invoice(language, 0, 275, PAY_URL, records), customer(language, name),
                    "collections@northwind.example", LocalDate.parse(DUE).plusDays(60));
        }

        @ParameterizedTest(name = "customer language {0}")
        @ValueSource(strings = {"en", "de"})
        void GIVEN_the_ar_hand_off_WHEN_rendered_THEN_it_is_english_with_the_invoice_and_the_history_so_far(String language) {
            RenderedEmail email = render(ar(language, CUSTOMER, history.subList(0, 6)));
            String amount = MoneyFormat.money(TOTAL, currency(language), "en") + " " + currency(language);

            assertFullyRendered(email, "en");
            assertEquals("AR hand-off: invoice " + NUMBER + " (Ada Lovelace) is 30 days overdue, " + amount + " outstanding",
                    email.subject());
            assertInTextAndHtml(email, NUMBER, "cus_ada_1001", CUSTOMER, "ap@contoso.example", amount, "Dec 1, 2026",
                    "30 days overdue", "accounts receivable",
                    "Nov 28, 2026, 08:00 UTC", "3 days before the due date (pre_due)",
                    "Dec 1, 2026, 08:00 UTC", "on the due date (due_today)",
                    "Dec 15, 2026, 08:00 UTC", "14 days overdue (overdue_14)",
                    "Dec 31, 2026, 08:00 UTC", "30 days overdue (handed to the AR team) (overdue_30)");
            assertNowhere(email, "collections_60");
            assertWellFormedMailHtml(email.html());
        }

        @Test
        void GIVEN_the_collections_hand_off_WHEN_rendered_THEN_it_lists_the_full_history() {
            RenderedEmail email = render(collections("fr", CUSTOMER, history));

            assertFullyRendered(email, "en");
            assertTrue(email.subject().startsWith("Collections hand-off: invoice " + NUMBER), email.subject());
            assertTrue(email.subject().contains("60 days overdue"), email.subject());
            assertInTextAndHtml(email, "handed over to collections", "60 days overdue");
            for (var r : history) {
                assertInTextAndHtml(email, "(" + r.step() + ")");
            }
            assertInTextAndHtml(email, "Jan 30, 2027, 08:00 UTC", "60 days overdue (final notice, handed to collections)");
            assertEquals(history.size(), email.html().split("\\(" + "(pre_due|due_today|overdue_\\d+|collections_60)" + "\\)").length - 1,
                    "one history row per reminder");
            assertWellFormedMailHtml(email.html());
        }

        @Test
        void GIVEN_no_reminder_history_WHEN_a_hand_off_is_rendered_THEN_it_says_so_and_stays_well_formed() {
            for (MailMessage m : List.of(ar("en", CUSTOMER, List.of()), collections("en", CUSTOMER, List.of()))) {
                RenderedEmail email = render(m);

                assertInTextAndHtml(email, "No reminders have been recorded for this invoice.");
                assertFullyRendered(email, "en");
                assertWellFormedMailHtml(email.html());
            }
        }

        @Test
        void GIVEN_a_customer_name_with_a_b_tag_WHEN_a_hand_off_is_rendered_THEN_the_html_part_escapes_it() {
            assertEscapesTheName(render(ar("en", "<b>Ada</b> & Co", history)));
            assertEscapesTheName(render(collections("es", "<b>Ada</b> & Co", history)));
        }
    }
}
