package dev.invoiceloyalty.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The program configuration document: every reward rule, the reminder ladder and invoice defaults, as data
 * (CONVENTIONS: "configuration is data"). The defaults are {@code config/program.json} on the classpath; a
 * deployment may replace the whole document through the {@code PROGRAM_CONFIG} environment variable (JSON).
 * An invalid document fails at start with a message naming the field.
 */
public record ProgramConfig(String version, InvoiceDefaults invoice, Rewards rewards, Reminders reminders) {

    public record InvoiceDefaults(int defaultNetDays, int maxLineItems, int idempotencyHours) {
    }

    public record EarlyPaymentTier(int withinDays, BigDecimal percent) {
    }

    public record OnTimePoints(int perMajorUnits, int minimum) {
    }

    public record LargeInvoice(BigDecimal thresholdMajor, int points) {
    }

    public record Streak(int length, int points) {
    }

    public record Tier(String name, BigDecimal multiplier, int minOnTimeInvoices, BigDecimal minOnTimeRatePercent) {
    }

    public record Redemption(int points, BigDecimal creditMajor) {
    }

    public record Expiry(int pointsMonths, int creditMonths) {
    }

    public record Rewards(List<EarlyPaymentTier> earlyPayment, OnTimePoints onTimePoints, LargeInvoice largeInvoice,
                          Streak streak, int tierWindowMonths, List<Tier> tiers, Redemption redemption, Expiry expiry) {
        /** The tier with the lowest requirements, the one every customer starts in. */
        public Tier baseTier() {
            return tiers.get(0);
        }

        public Tier tier(String name) {
            return tiers.stream().filter(t -> t.name().equals(name)).findFirst().orElse(baseTier());
        }
    }

    public record ReminderStep(String step, int offsetDays, String tone, String escalation) {
    }

    public record Reminders(List<ReminderStep> steps, int warmRelationshipPaidInvoices) {
    }

    private static volatile ProgramConfig defaults;

    /** The configuration of this container: {@code PROGRAM_CONFIG} when set, else the bundled defaults. */
    public static ProgramConfig fromEnvironment() {
        String json = Env.get("PROGRAM_CONFIG");
        return json == null || json.isBlank() ? defaults() : parse(json);
    }

    public static ProgramConfig defaults() {
        ProgramConfig d = defaults;
        if (d == null) {
            try (InputStream in = ProgramConfig.class.getResourceAsStream("/config/program.json")) {
                d = parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            defaults = d;
        }
        return d;
    }

    /** Parses and validates a document; throws {@link IllegalArgumentException} naming every bad field. */
    public static ProgramConfig parse(String json) {
        JsonNode root;
        try {
            root = Json.tree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("program configuration is not valid JSON: " + e.getMessage(), e);
        }
        var v = new Validator();
        ProgramConfig config = new ProgramConfig(
                v.text(root, "version"),
                new InvoiceDefaults(
                        v.integer(root, "invoice.defaultNetDays", 0, 365),
                        v.integer(root, "invoice.maxLineItems", 1, 100),
                        v.integer(root, "invoice.idempotencyHours", 1, 24 * 30)),
                rewards(root, v),
                reminders(root, v));
        v.throwIfInvalid();
        return config;
    }

    private static Rewards rewards(JsonNode root, Validator v) {
        List<EarlyPaymentTier> early = new ArrayList<>();
        JsonNode tiersNode = v.array(root, "rewards.earlyPayment");
        int lastDays = 0;
        for (int i = 0; i < tiersNode.size(); i++) {
            String p = "rewards.earlyPayment[" + i + "]";
            int days = v.integer(tiersNode.get(i), "withinDays", p + ".withinDays", 1, 365);
            BigDecimal percent = v.percent(tiersNode.get(i), "percent", p + ".percent");
            if (days <= lastDays) {
                v.error(p + ".withinDays", "tiers must be in increasing order of days");
            }
            lastDays = days;
            early.add(new EarlyPaymentTier(days, percent));
        }
        List<Tier> tiers = new ArrayList<>();
        JsonNode tierNodes = v.array(root, "rewards.tiers");
        if (tierNodes.isEmpty()) {
            v.error("rewards.tiers", "at least one tier is required");
        }
        var names = new HashSet<String>();
        for (int i = 0; i < tierNodes.size(); i++) {
            String p = "rewards.tiers[" + i + "]";
            JsonNode t = tierNodes.get(i);
            String name = v.text(t, "name", p + ".name");
            if (!names.add(name)) {
                v.error(p + ".name", "duplicate tier name");
            }
            BigDecimal multiplier = v.decimal(t, "multiplier", p + ".multiplier");
            if (multiplier != null && multiplier.signum() <= 0) {
                v.error(p + ".multiplier", "must be positive");
            }
            tiers.add(new Tier(name, multiplier, v.integer(t, "minOnTimeInvoices", p + ".minOnTimeInvoices", 0, 10_000),
                    v.percent(t, "minOnTimeRatePercent", p + ".minOnTimeRatePercent")));
        }
        return new Rewards(early,
                new OnTimePoints(v.integer(root, "rewards.onTimePoints.perMajorUnits", 1, 1_000_000),
                        v.integer(root, "rewards.onTimePoints.minimum", 0, 1_000_000)),
                new LargeInvoice(v.decimal(root, "rewards.largeInvoice.thresholdMajor"),
                        v.integer(root, "rewards.largeInvoice.points", 0, 10_000_000)),
                new Streak(v.integer(root, "rewards.streak.length", 1, 1000),
                        v.integer(root, "rewards.streak.points", 0, 10_000_000)),
                v.integer(root, "rewards.tierWindowMonths", 1, 120),
                tiers,
                new Redemption(v.integer(root, "rewards.redemption.points", 1, 1_000_000),
                        v.decimal(root, "rewards.redemption.creditMajor")),
                new Expiry(v.integer(root, "rewards.expiry.pointsMonths", 1, 120),
                        v.integer(root, "rewards.expiry.creditMonths", 1, 120)));
    }

    private static Reminders reminders(JsonNode root, Validator v) {
        List<ReminderStep> steps = new ArrayList<>();
        JsonNode nodes = v.array(root, "reminders.steps");
        Integer last = null;
        var names = new HashSet<String>();
        for (int i = 0; i < nodes.size(); i++) {
            String p = "reminders.steps[" + i + "]";
            JsonNode s = nodes.get(i);
            String step = v.text(s, "step", p + ".step");
            int offset = v.integer(s, "offsetDays", p + ".offsetDays", -365, 3650);
            if (last != null && offset <= last) {
                v.error(p + ".offsetDays", "steps must be in increasing order of offsetDays");
            }
            if (!names.add(step)) {
                v.error(p + ".step", "duplicate step");
            }
            last = offset;
            String escalation = s.hasNonNull("escalation") ? s.get("escalation").asText() : null;
            if (escalation != null && !escalation.equals("AR_TEAM") && !escalation.equals("COLLECTIONS")) {
                v.error(p + ".escalation", "must be AR_TEAM or COLLECTIONS");
            }
            steps.add(new ReminderStep(step, offset, v.text(s, "tone", p + ".tone"), escalation));
        }
        return new Reminders(steps, v.integer(root, "reminders.warmRelationshipPaidInvoices", 0, 10_000));
    }

    /** Collects every problem of the document so one start-up failure lists them all. */
    private static final class Validator {
        private final List<String> errors = new ArrayList<>();

        void error(String path, String message) {
            errors.add(path + ": " + message);
        }

        void throwIfInvalid() {
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid program configuration: " + String.join("; ", errors));
            }
        }

        private JsonNode at(JsonNode root, String dotted) {
            JsonNode n = root;
            for (String part : dotted.split("\\.")) {
                n = n == null ? null : n.get(part);
            }
            return n;
        }

        JsonNode array(JsonNode root, String path) {
            JsonNode n = at(root, path);
            if (n == null || !n.isArray()) {
                error(path, "must be an array");
                return Json.array();
            }
            return n;
        }

        String text(JsonNode root, String path) {
            return textOf(at(root, path), path);
        }

        String text(JsonNode parent, String name, String path) {
            return textOf(parent == null ? null : parent.get(name), path);
        }

        private String textOf(JsonNode n, String path) {
            if (n == null || !n.isTextual() || n.asText().isBlank()) {
                error(path, "must be a non-empty string");
                return "";
            }
            return n.asText();
        }

        int integer(JsonNode root, String path, int min, int max) {
            return integerOf(at(root, path), path, min, max);
        }

        int integer(JsonNode parent, String name, String path, int min, int max) {
            return integerOf(parent == null ? null : parent.get(name), path, min, max);
        }

        private int integerOf(JsonNode n, String path, int min, int max) {
            if (n == null || !n.isIntegralNumber()) {
                error(path, "must be an integer");
                return min;
            }
            long value = n.asLong();
            if (value < min || value > max) {
                error(path, "must be between " + min + " and " + max);
                return min;
            }
            return (int) value;
        }

        BigDecimal decimal(JsonNode root, String path) {
            return decimalOf(at(root, path), path);
        }

        BigDecimal decimal(JsonNode parent, String name, String path) {
            return decimalOf(parent == null ? null : parent.get(name), path);
        }

        private BigDecimal decimalOf(JsonNode n, String path) {
            if (n == null || !n.isTextual()) {
                error(path, "must be a decimal string such as \"2.5\"");
                return BigDecimal.ZERO;
            }
            try {
                return new BigDecimal(n.asText());
            } catch (NumberFormatException e) {
                error(path, "must be a decimal string such as \"2.5\"");
                return BigDecimal.ZERO;
            }
        }

        BigDecimal percent(JsonNode parent, String name, String path) {
            BigDecimal p = decimal(parent, name, path);
            if (p.signum() < 0 || p.compareTo(BigDecimal.valueOf(100)) > 0) {
                error(path, "must be between 0 and 100");
            }
            return p;
        }
    }
}
