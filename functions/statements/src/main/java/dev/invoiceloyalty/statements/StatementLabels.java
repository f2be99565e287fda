package dev.invoiceloyalty.statements;

import java.util.Map;

/**
 * The customer statement's words in the customer's language ({@code en}, {@code de}, {@code fr}, {@code es};
 * anything else falls back to English, as SPEC §7 asks of every customer email).
 */
public final class StatementLabels {
    private static final Map<String, Map<String, String>> LABELS = Map.of(
            "en", Map.ofEntries(
                    Map.entry("title", "Account statement"), Map.entry("period", "Period"),
                    Map.entry("customer", "Customer"), Map.entry("currency", "Currency"),
                    Map.entry("opening", "Opening balance"), Map.entry("invoices", "Invoices"),
                    Map.entry("payments", "Payments"), Map.entry("credits", "Credits and adjustments"),
                    Map.entry("closing", "Closing balance"), Map.entry("aging", "Aging of the closing balance"),
                    Map.entry("current", "Not yet due"), Map.entry("overdue", "days overdue"),
                    Map.entry("rewards", "Reward balance"), Map.entry("points", "points"),
                    Map.entry("credit", "credit"), Map.entry("invoice", "Invoice"), Map.entry("issued", "Issued"),
                    Map.entry("due", "Due"), Map.entry("amount", "Amount"), Map.entry("paidOn", "Paid on"),
                    Map.entry("subject", "Your statement for %s"),
                    Map.entry("greeting", "Hello %s,"),
                    Map.entry("body", "please find your account statement for %s attached."),
                    Map.entry("thanks", "Thank you for your business.")),
            "de", Map.ofEntries(
                    Map.entry("title", "Kontoauszug"), Map.entry("period", "Zeitraum"),
                    Map.entry("customer", "Kunde"), Map.entry("currency", "Währung"),
                    Map.entry("opening", "Anfangssaldo"), Map.entry("invoices", "Rechnungen"),
                    Map.entry("payments", "Zahlungen"), Map.entry("credits", "Gutschriften und Korrekturen"),
                    Map.entry("closing", "Schlusssaldo"), Map.entry("aging", "Altersstruktur des Schlusssaldos"),
                    Map.entry("current", "Noch nicht fällig"), Map.entry("overdue", "Tage überfällig"),
                    Map.entry("rewards", "Prämienguthaben"), Map.entry("points", "Punkte"),
                    Map.entry("credit", "Guthaben"), Map.entry("invoice", "Rechnung"), Map.entry("issued", "Ausgestellt"),
                    Map.entry("due", "Fällig"), Map.entry("amount", "Betrag"), Map.entry("paidOn", "Bezahlt am"),
                    Map.entry("subject", "Ihr Kontoauszug für %s"),
                    Map.entry("greeting", "Guten Tag %s,"),
                    Map.entry("body", "anbei erhalten Sie Ihren Kontoauszug für %s."),
                    Map.entry("thanks", "Vielen Dank für Ihr Vertrauen.")),
            "fr", Map.ofEntries(
                    Map.entry("title", "Relevé de compte"), Map.entry("period", "Période"),
                    Map.entry("customer", "Client"), Map.entry("currency", "Devise"),
                    Map.entry("opening", "Solde d'ouverture"), Map.entry("invoices", "Factures"),
                    Map.entry("payments", "Paiements"), Map.entry("credits", "Avoirs et ajustements"),
                    Map.entry("closing", "Solde de clôture"), Map.entry("aging", "Ancienneté du solde de clôture"),
                    Map.entry("current", "Non échu"), Map.entry("overdue", "jours de retard"),
                    Map.entry("rewards", "Solde de récompenses"), Map.entry("points", "points"),
                    Map.entry("credit", "crédit"), Map.entry("invoice", "Facture"), Map.entry("issued", "Émise le"),
                    Map.entry("due", "Échéance"), Map.entry("amount", "Montant"), Map.entry("paidOn", "Payé le"),
                    Map.entry("subject", "Votre relevé pour %s"),
                    Map.entry("greeting", "Bonjour %s,"),
                    Map.entry("body", "veuillez trouver ci-joint votre relevé de compte pour %s."),
                    Map.entry("thanks", "Merci de votre confiance.")),
            "es", Map.ofEntries(
                    Map.entry("title", "Estado de cuenta"), Map.entry("period", "Periodo"),
                    Map.entry("customer", "Cliente"), Map.entry("currency", "Moneda"),
                    Map.entry("opening", "Saldo inicial"), Map.entry("invoices", "Facturas"),
                    Map.entry("payments", "Pagos"), Map.entry("credits", "Abonos y ajustes"),
                    Map.entry("closing", "Saldo final"), Map.entry("aging", "Antigüedad del saldo final"),
                    Map.entry("current", "No vencido"), Map.entry("overdue", "días de atraso"),
                    Map.entry("rewards", "Saldo de recompensas"), Map.entry("points", "puntos"),
                    Map.entry("credit", "crédito"), Map.entry("invoice", "Factura"), Map.entry("issued", "Emitida"),
                    Map.entry("due", "Vence"), Map.entry("amount", "Importe"), Map.entry("paidOn", "Pagado el"),
                    Map.entry("subject", "Su estado de cuenta de %s"),
                    Map.entry("greeting", "Hola %s:"),
                    Map.entry("body", "adjuntamos su estado de cuenta de %s."),
                    Map.entry("thanks", "Gracias por confiar en nosotros.")));

    private final String language;

    private StatementLabels(String language) {
        this.language = language;
    }

    public static StatementLabels of(String languageTag) {
        String lang = languageTag == null ? "en" : java.util.Locale.forLanguageTag(languageTag).getLanguage();
        return new StatementLabels(LABELS.containsKey(lang) ? lang : "en");
    }

    public String language() {
        return language;
    }

    public String get(String key) {
        return LABELS.get(language).get(key);
    }

    /** A bucket key of the aging ({@code current}, {@code 1-30} …) as the reader says it. */
    public String bucket(String key) {
        return "current".equals(key) ? get("current") : key + " " + get("overdue");
    }

    /** "November 2026" / "November 2026" / "novembre 2026" / "noviembre 2026". */
    public String month(java.time.YearMonth month) {
        return month.format(java.time.format.DateTimeFormatter.ofPattern("LLLL yyyy",
                java.util.Locale.forLanguageTag(language)));
    }
}
