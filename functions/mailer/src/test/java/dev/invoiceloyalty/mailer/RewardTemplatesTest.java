package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.mail.MoneyFormat;
import dev.invoiceloyalty.rewards.RewardRules;
import dev.invoiceloyalty.rewards.RewardRules.Award;
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
 * The loyalty templates {@code reward-notice}, {@code tier-changed} and {@code streak-perk}. The models are built
 * by the producer itself ({@link Emails} with the default program configuration), so these tests prove that what
 * the producer sends is what the templates read, in every language.
 */
class RewardTemplatesTest {
    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");
    private static final List<String> TEMPLATES = List.of("reward-notice", "tier-changed", "streak-perk");

    private static final String BUSINESS = "Northwind Supplies";
    private static final String CUSTOMER = "Ada Lovelace";
    private static final String NUMBER = "INV-2026-000042";
    private static final String INVOICE_ID = "inv_01JD8ZK4W7Q3";

    private static final Award EARLY = new Award(RewardRules.EARLY_PAYMENT, 0, 4_400, "paid within 7 days: 2%");
    private static final Award ON_TIME = new Award(RewardRules.ON_TIME, 275, 0, "paid on time at SILVER ×1.25");
    private static final Award LARGE = new Award(RewardRules.LARGE_INVOICE, 500, 0, "large invoice paid on time");
    private static final Award STREAK = new Award(RewardRules.STREAK, 1_000, 0, "6 invoices in a row paid on time");

    private final Emails emails = new Emails(ProgramConfig.defaults(), BUSINESS);
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

    private MailMessage notice(Customer c, List<Award> awards, Map<String, Long> credits) {
        return emails.rewardNotice(c, INVOICE_ID, NUMBER, currency(c.language()), awards, 1_234, credits, "SILVER");
    }

    /** An invoice paid early and on time: 44.00 credit and 275 points; 1,234 points and 44.00 credit in total. */
    private MailMessage notice(String language) {
        return notice(customer(language), List.of(EARLY, ON_TIME), Map.of(currency(language), 4_400L));
    }

    private RenderedEmail render(MailMessage m) {
        return renderer.render(m.template(), m.language(), m.model());
    }

    // ---- assertions (as in PaymentReceivedTemplateTest) ------------------------------------------------------

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
                () -> assertFalse(email.subject().isBlank(), "a subject"),
                () -> assertFalse(email.subject().contains("{{"), email.subject()),
                () -> assertFalse(email.text().contains("{{"), email.text()),
                () -> assertFalse(email.html().contains("{{"), email.html()),
                () -> assertFalse(email.subject().contains("\n"), "the subject is one line"),
                () -> assertFalse(email.text().contains("\n\n\n"), "no empty section leaves a gap:\n" + email.text()),
                () -> assertFalse(email.text().contains(" :\n") || email.text().contains(": \n"), "no empty value:\n" + email.text()),
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
    void GIVEN_the_shipped_templates_WHEN_listed_THEN_each_has_all_three_parts_in_every_language() {
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

    @Nested
    class RewardNotice {
        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en, invoice,  Early payment credit,            Points for paying on time,     Silver, 100 points are worth",
                "de, Rechnung, Guthaben für frühzeitige Zahlung, Punkte für pünktliche Zahlung, Silber, 100 Punkte entsprechen",
                "fr, facture,  Crédit pour paiement anticipé,   Points pour règlement dans les délais, Argent, 100 points donnent droit",
                "es, factura,  Crédito por pronto pago,         Puntos por pago puntual,       Plata,  100 puntos equivalen"})
        void GIVEN_early_and_on_time_rewards_WHEN_rendered_THEN_every_part_shows_what_was_earned_and_the_balances(
                String language, String invoiceWord, String earlyLabel, String onTimeLabel, String tier,
                String redemption) {
            MailMessage m = notice(language);
            RenderedEmail email = render(m);

            assertFullyRendered(email, language);
            assertTrue(email.subject().contains(invoiceWord + " " + NUMBER), email.subject());
            assertTrue(email.subject().contains(BUSINESS), email.subject());
            assertInTextAndHtml(email, CUSTOMER, BUSINESS, NUMBER, earlyLabel, "+" + money(4_400, language),
                    onTimeLabel, "+275", (String) m.model().get("pointsBalance"), money(1_234, language), tier,
                    "×" + m.model().get("tierMultiplier"), redemption, money(100, language));
            assertWellFormedMailHtml(email.html());
        }

        @Test
        void GIVEN_an_english_customer_WHEN_rendered_THEN_1234_points_read_as_worth_12_34() {
            RenderedEmail email = render(notice("en"));

            assertTrue(email.text().contains("1,234 (worth 12.34 USD)"), email.text());
            assertTrue(email.html().contains(">1,234</td>"), email.html());
            assertTrue(email.html().contains(">12.34 USD</td>"), email.html());
            assertTrue(email.text().contains("Silver (points ×1.25)"), email.text());
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en, Large invoice bonus points,                   On-time streak bonus points",
                "de, Bonuspunkte für einen hohen Rechnungsbetrag,   Bonuspunkte für Ihre Serie pünktlicher Zahlungen",
                "fr, Points de bonus pour une facture d'un montant élevé, Points de bonus pour votre série",
                "es, Puntos extra por factura de importe elevado,  Puntos extra por su racha"})
        void GIVEN_a_large_invoice_and_a_streak_WHEN_rendered_THEN_their_bonuses_are_listed_only_when_earned(
                String language, String largeLabel, String streakLabel) {
            Customer c = customer(language);
            RenderedEmail with = render(notice(c, List.of(ON_TIME, LARGE, STREAK), Map.of()));
            RenderedEmail without = render(notice(language));

            assertFullyRendered(with, language);
            assertInTextAndHtml(with, largeLabel, "+500", streakLabel,
                    "+" + emails.streakPerk(c, 6, 1_000, INVOICE_ID).model().get("points"));
            assertNowhere(without, largeLabel, streakLabel, "+500");
            assertWellFormedMailHtml(with.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en, Credit available,     deducted automatically from your next invoice",
                "de, Verfügbares Guthaben, automatisch mit Ihrer nächsten Rechnung in derselben Währung verrechnet",
                "fr, Crédit disponible,    déduit automatiquement de votre prochaine facture",
                "es, Crédito disponible,   se descuenta automáticamente de su próxima factura"})
        void GIVEN_credit_balances_WHEN_rendered_THEN_each_is_listed_in_its_currency_and_only_when_there_is_one(
                String language, String creditLabel, String creditNote) {
            Map<String, Long> balances = new LinkedHashMap<>();
            balances.put(currency(language), 4_400L);
            balances.put("GBP", 250L);
            RenderedEmail with = render(notice(customer(language), List.of(EARLY, ON_TIME), balances));
            RenderedEmail without = render(notice(customer(language), List.of(ON_TIME), Map.of()));

            assertInTextAndHtml(with, creditLabel, creditNote, money(4_400, language),
                    MoneyFormat.money(250, "GBP", language) + " GBP");
            assertFullyRendered(without, language);
            assertNowhere(without, creditLabel, creditNote, "GBP");
            assertInTextAndHtml(without, "+275");
            assertWellFormedMailHtml(without.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"en, What you earned, overview", "de, Ihre neuen Prämien, Übersicht",
                "fr, Vos nouvelles récompenses, récapitulatif", "es, Lo que ha obtenido, resumen"})
        void GIVEN_nothing_earned_WHEN_rendered_THEN_there_is_no_earned_list_only_the_balances(
                String language, String earnedHeading, String overviewWord) {
            RenderedEmail email = render(notice(customer(language), List.of(), Map.of()));

            assertFullyRendered(email, language);
            assertNowhere(email, "+");
            assertInTextAndHtml(email, overviewWord, money(1_234, language));
            assertNowhere(email, earnedHeading, earnedHeading.toUpperCase(Locale.ROOT));
            RenderedEmail earned = render(notice(language));
            assertTrue(earned.text().contains(earnedHeading.toUpperCase(Locale.ROOT)), earned.text());
            assertTrue(earned.html().contains(earnedHeading), earned.html());
            assertWellFormedMailHtml(email.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_a_rule_the_templates_do_not_name_WHEN_rendered_THEN_it_is_listed_as_a_generic_reward(
                String language) {
            RenderedEmail email = render(notice(customer(language), List.of(new Award("birthday", 50, 0, "")), Map.of()));

            assertFullyRendered(email, language);
            assertInTextAndHtml(email, "+50");
            assertNowhere(email, "birthday");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_reversed_or_zero_awards_WHEN_rendered_THEN_they_never_appear(String language) {
            List<Award> awards = List.of(ON_TIME, new Award(RewardRules.LARGE_INVOICE, -500, 0, "reversal"),
                    new Award(RewardRules.EARLY_PAYMENT, 0, -4_400, "clawback"), new Award(RewardRules.STREAK, 0, 0, ""));

            RenderedEmail email = render(notice(customer(language), awards, Map.of()));

            assertNowhere(email, "500", "-44", "44,00", "44.00", "reversal", "clawback", " late", "overdue",
                    "verspätet", "retard", "retraso");
            assertInTextAndHtml(email, "+275");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_a_customer_name_with_a_b_tag_WHEN_rendered_THEN_the_html_part_escapes_it(String language) {
            Customer c = customer(language, "<b>Ada</b> & Co");

            assertEscapesTheName(render(notice(c, List.of(EARLY, ON_TIME), Map.of(currency(language), 4_400L))));
        }

        static Stream<Arguments> variants() {
            List<Arguments> variants = new ArrayList<>();
            for (String language : LANGUAGES) {
                for (List<Award> awards : List.of(List.<Award>of(), List.of(EARLY), List.of(ON_TIME),
                        List.of(EARLY, ON_TIME, LARGE, STREAK))) {
                    for (boolean credit : new boolean[]{false, true}) {
                        variants.add(Arguments.of(language, awards, credit));
                    }
                }
            }
            return variants.stream();
        }

        @ParameterizedTest(name = "[{0}] awards={1} credit={2}")
        @MethodSource("variants")
        void GIVEN_any_combination_of_sections_WHEN_rendered_THEN_it_is_complete_and_well_formed(
                String language, List<Award> awards, boolean credit) {
            RenderedEmail email = render(notice(customer(language), awards,
                    credit ? Map.of(currency(language), 4_400L) : Map.of()));

            assertFullyRendered(email, language);
            assertWellFormedMailHtml(email.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"de-AT", "de-CH", "DE"})
        void GIVEN_a_regional_german_tag_WHEN_rendered_THEN_the_german_templates_are_used(String tag) {
            RenderedEmail email = render(notice(customer(tag), List.of(ON_TIME), Map.of()));

            assertTrue(email.subject().startsWith("Ihre Prämien für Rechnung " + NUMBER), email.subject());
            assertTrue(email.text().startsWith("Guten Tag Ada Lovelace,"), email.text());
            assertTrue(email.html().contains("<html lang=\"de\">"), "German HTML part");
        }

        @Test
        void GIVEN_a_language_without_templates_WHEN_rendered_THEN_english_is_used() {
            RenderedEmail email = render(notice(customer("pt-BR"), List.of(ON_TIME), Map.of()));

            assertTrue(email.subject().startsWith("Your rewards for invoice " + NUMBER), email.subject());
            assertTrue(email.html().contains("<html lang=\"en\">"), "English HTML part");
        }
    }

    @Nested
    class TierChanged {
        private RenderedEmail render(String language, String from, String to) {
            return RewardTemplatesTest.this.render(emails.tierChanged(customer(language), from, to, INVOICE_ID));
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en, Congratulations,        Bronze, Silver, Gold, '1.25', '1.5'",
                "de, Glückwunsch,            Bronze, Silber, Gold, '1,25', '1,5'",
                "fr, Félicitations,          Bronze, Argent, Or,   '1,25', '1,5'",
                "es, Enhorabuena,            Bronce, Plata,  Oro,  '1,25', '1,5'"})
        void GIVEN_an_upgrade_WHEN_rendered_THEN_it_congratulates_and_states_the_new_multiplier_and_the_next_tier(
                String language, String congratulations, String from, String to, String next, String multiplier,
                String nextMultiplier) {
            RenderedEmail email = render(language, "BRONZE", "SILVER");

            assertFullyRendered(email, language);
            assertTrue(email.subject().contains(congratulations), email.subject());
            assertTrue(email.subject().contains(to), email.subject());
            assertTrue(email.subject().contains(BUSINESS), email.subject());
            assertInTextAndHtml(email, CUSTOMER, BUSINESS, congratulations, from, to, next, multiplier,
                    nextMultiplier, "12", "95");
            assertWellFormedMailHtml(email.html());
        }

        @Test
        void GIVEN_an_english_upgrade_WHEN_rendered_THEN_the_next_tiers_requirements_read_as_a_sentence() {
            RenderedEmail email = render("en", "BRONZE", "SILVER");

            assertEquals("Congratulations: you are now a Silver customer of Northwind Supplies", email.subject());
            assertInTextAndHtml(email, "moved up from Bronze to Silver", "now earns points at ×1.25",
                    "To reach Gold (points ×1.5), pay at least 12 invoices on time within 12 months, with at least 95%");
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en, Congratulations,        stay in your account,    recalculated, 5 invoices, 80",
                "de, Glückwunsch,            bleiben Ihnen selbstverständlich erhalten, neu berechnet, 5 Rechnungen, 80",
                "fr, Félicitations,          restent acquis,          recalculés,   5 factures, 80",
                "es, Enhorabuena,            se mantienen en su cuenta, se recalculan, 5 facturas, 80"})
        void GIVEN_a_downgrade_WHEN_rendered_THEN_it_informs_without_congratulating_and_shows_the_way_back(
                String language, String congratulations, String keepWords, String recalculated, String nextInvoices,
                String nextRate) {
            RenderedEmail email = render(language, "SILVER", "BRONZE");

            assertFullyRendered(email, language);
            assertNowhere(email, congratulations, " late", "verspätet", "retard", "retraso");
            assertInTextAndHtml(email, keepWords, recalculated, nextInvoices, nextRate);
            assertNowhere(render(language, "BRONZE", "SILVER"), keepWords);
            assertWellFormedMailHtml(email.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({"en, highest tier, Next tier", "de, höchste Stufe, Nächste Stufe",
                "fr, niveau le plus élevé, Niveau suivant", "es, nivel más alto, Siguiente nivel"})
        void GIVEN_the_highest_tier_WHEN_rendered_THEN_it_says_so_and_names_no_next_tier(
                String language, String highest, String nextHeading) {
            RenderedEmail top = render(language, "SILVER", "GOLD");
            RenderedEmail middle = render(language, "BRONZE", "SILVER");

            assertFullyRendered(top, language);
            assertInTextAndHtml(top, highest);
            assertNowhere(top, nextHeading.toUpperCase(Locale.ROOT), nextHeading);
            assertTrue(middle.text().contains(nextHeading.toUpperCase(Locale.ROOT)), middle.text());
            assertTrue(middle.html().contains(nextHeading), middle.html());
            assertNowhere(middle, highest);
            assertWellFormedMailHtml(top.html());
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_a_customer_name_with_a_b_tag_WHEN_rendered_THEN_the_html_part_escapes_it(String language) {
            assertEscapesTheName(RewardTemplatesTest.this.render(
                    emails.tierChanged(customer(language, "<b>Ada</b> & Co"), "BRONZE", "SILVER", INVOICE_ID)));
        }

        static Stream<Arguments> changes() {
            List<Arguments> changes = new ArrayList<>();
            for (String language : LANGUAGES) {
                for (String[] change : new String[][]{{"BRONZE", "SILVER"}, {"SILVER", "GOLD"}, {"BRONZE", "GOLD"},
                        {"GOLD", "SILVER"}, {"SILVER", "BRONZE"}, {"GOLD", "BRONZE"}}) {
                    changes.add(Arguments.of(language, change[0], change[1]));
                }
            }
            return changes.stream();
        }

        @ParameterizedTest(name = "[{0}] {1} -> {2}")
        @MethodSource("changes")
        void GIVEN_any_tier_change_WHEN_rendered_THEN_it_is_complete_and_well_formed(String language, String from,
                                                                                       String to) {
            RenderedEmail email = render(language, from, to);

            assertFullyRendered(email, language);
            assertWellFormedMailHtml(email.html());
        }
    }

    @Nested
    class StreakPerk {
        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en, invoices in a row paid on time,        'Every 6 invoices in a row'",
                "de, Rechnungen in Folge pünktlich bezahlt, 'Für je 6 pünktlich bezahlte Rechnungen'",
                "fr, factures consécutives réglées dans les délais, 'Toutes les 6 factures'",
                "es, facturas seguidas pagadas a tiempo,    'Cada vez que pague 6 facturas seguidas'"})
        void GIVEN_a_streak_WHEN_rendered_THEN_every_part_thanks_with_the_streak_and_the_bonus_points(
                String language, String streakWords, String againWords) {
            MailMessage m = emails.streakPerk(customer(language), 12, 1_000, INVOICE_ID);
            String points = (String) m.model().get("points");
            RenderedEmail email = render(m);

            assertFullyRendered(email, language);
            assertTrue(email.subject().startsWith("12 " + streakWords), email.subject());
            assertTrue(email.subject().contains(points), email.subject());
            assertTrue(email.subject().contains(BUSINESS), email.subject());
            assertInTextAndHtml(email, CUSTOMER, BUSINESS, "12", "+" + points, againWords);
            assertNowhere(email, " late", "verspätet", "retard", "retraso");
            assertWellFormedMailHtml(email.html());
        }

        @Test
        void GIVEN_an_english_customer_WHEN_rendered_THEN_the_points_are_grouped() {
            RenderedEmail email = render(emails.streakPerk(customer("en"), 6, 1_000, INVOICE_ID));

            assertEquals("6 invoices in a row paid on time: 1,000 bonus points from Northwind Supplies", email.subject());
            assertInTextAndHtml(email, "+1,000", "paid 6 invoices in a row on time");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"en", "de", "fr", "es"})
        void GIVEN_a_customer_name_with_a_b_tag_WHEN_rendered_THEN_the_html_part_escapes_it(String language) {
            assertEscapesTheName(render(emails.streakPerk(customer(language, "<b>Ada</b> & Co"), 6, 1_000, INVOICE_ID)));
        }
    }
}
