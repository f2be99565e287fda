package dev.invoiceloyalty.table;

/**
 * The single-table design in code: every key and index value the product writes. The access-pattern table in
 * {@code shared-model/README.md} is the reading guide to this class; keep the two true together.
 *
 * <p>Base table: {@code pk} (HASH) / {@code sk} (RANGE). Indexes (all projecting ALL):
 * {@code GSI1} ({@code gsi1pk}/{@code gsi1sk}) lists per owner (a customer's invoices, unapplied payments, ...),
 * {@code GSI2} ({@code gsi2pk}/{@code gsi2sk}) is the sparse "due work" index that scheduled jobs query by time,
 * {@code GSI3} ({@code gsi3pk}/{@code gsi3sk}) is accounts receivable by currency for aging as of any date.
 */
public final class Keys {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "GSI1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String GSI2 = "GSI2";
    public static final String GSI2_PK = "gsi2pk";
    public static final String GSI2_SK = "gsi2sk";
    public static final String GSI3 = "GSI3";
    public static final String GSI3_PK = "gsi3pk";
    public static final String GSI3_SK = "gsi3sk";
    /** Epoch seconds; DynamoDB TTL deletes the item some time after it passes. */
    public static final String TTL = "ttl";

    private Keys() {
    }

    // --- customers -------------------------------------------------------------------------------------------
    public static String customerPk(String customerId) {
        return "CUSTOMER#" + customerId;
    }

    public static final String CUSTOMER_PROFILE_SK = "PROFILE";

    /** Reward ledger entries live in the customer's partition, newest last: {@code LEDGER#<createdAt>#<entryId>}. */
    public static String ledgerSk(String createdAt, String entryId) {
        return "LEDGER#" + createdAt + "#" + entryId;
    }

    public static final String LEDGER_PREFIX = "LEDGER#";

    /** Points lots sort by expiry, so redemption and reversal spend the oldest-expiring first. */
    public static String pointsLotSk(String expiresAt, String entryId) {
        return "POINTS#" + expiresAt + "#" + entryId;
    }

    public static final String POINTS_LOT_PREFIX = "POINTS#";

    /** One record per paid invoice, by payment time: the tier window (on-time rate over 12 months) is a range. */
    public static String paidRecordSk(String paidAt, String invoiceId) {
        return "PAID#" + paidAt + "#" + invoiceId;
    }

    public static final String PAID_RECORD_PREFIX = "PAID#";

    /** Open credit lots of one currency sort by expiry, so the oldest-expiring is spent first. */
    public static String creditLotSk(String currency, String expiresAt, String entryId) {
        return "CREDIT#" + currency + "#" + expiresAt + "#" + entryId;
    }

    public static String creditLotPrefix(String currency) {
        return "CREDIT#" + currency + "#";
    }

    // --- invoices --------------------------------------------------------------------------------------------
    public static String invoicePk(String invoiceId) {
        return "INVOICE#" + invoiceId;
    }

    public static final String INVOICE_SK = "INVOICE";

    /** GSI1 of an invoice: the customer's invoices, newest issue date first when queried backwards. */
    public static String customerInvoicesGsi1Pk(String customerId) {
        return "CUSTOMER#" + customerId + "#INVOICES";
    }

    public static String customerInvoicesGsi1Sk(String issueDate, String invoiceId) {
        return issueDate + "#" + invoiceId;
    }

    /** GSI3 of an invoice: receivables of one currency. */
    public static String receivablesGsi3Pk(String currency) {
        return "AR#" + currency;
    }

    /**
     * Open invoices sort after every instant ({@code ~} follows the digits), closed ones at their closing instant,
     * so "open at time T" is the range {@code gsi3sk > T}: cost grows with open invoices plus those closed since T.
     */
    public static String receivablesGsi3Sk(String closedAt, String invoiceId) {
        return (closedAt == null ? "~OPEN" : closedAt) + "#" + invoiceId;
    }

    /** Gap-free invoice numbers: one counter item per year, advanced in the creating transaction. */
    public static String invoiceCounterPk(int year) {
        return "COUNTER#INVOICE_NUMBER#" + year;
    }

    public static final String COUNTER_SK = "COUNTER";

    /** One item per (customer, externalReference): a second invoice with the same reference is a 409. */
    public static String externalReferencePk(String customerId, String reference) {
        return "EXTREF#" + customerId + "#" + reference;
    }

    public static final String EXTERNAL_REFERENCE_SK = "EXTREF";

    /** One item per reminder step sent: the guard that sends each step at most once. */
    public static String reminderSk(String step) {
        return "REMINDER#" + step;
    }

    // --- idempotency, dedup, outbox ----------------------------------------------------------------------------
    public static String idempotencyPk(String scope, String key) {
        return "IDEMPOTENCY#" + scope + "#" + key;
    }

    public static final String IDEMPOTENCY_SK = "IDEMPOTENCY";

    /** Provider event dedup (webhooks): kept 30 days through TTL (SPEC asks for at least 7). */
    public static String webhookEventPk(String provider, String eventId) {
        return "WEBHOOK#" + provider + "#" + eventId;
    }

    public static final String WEBHOOK_EVENT_SK = "EVENT";

    /** A provider payment, found again by its id when a refund or dispute refers to it. */
    public static String providerPaymentPk(String provider, String paymentId) {
        return "PAYMENT#" + provider + "#" + paymentId;
    }

    public static final String PROVIDER_PAYMENT_SK = "PAYMENT";

    /** A refund that arrived before its payment waits here, in the payment's partition. */
    public static String heldRefundSk(String refundId) {
        return "HELD_REFUND#" + refundId;
    }

    /** Payments that match no invoice (or another currency), kept for reconciliation. */
    public static String unappliedPaymentPk(String provider, String paymentId) {
        return "UNAPPLIED#" + provider + "#" + paymentId;
    }

    public static final String UNAPPLIED_SK = "UNAPPLIED";
    public static final String UNAPPLIED_GSI1_PK = "UNAPPLIED";

    /** The once-only record of an email id. */
    public static String emailPk(String emailId) {
        return "EMAIL#" + emailId;
    }

    public static final String EMAIL_SK = "EMAIL";

    /** A reward's natural key guard {@code invoiceId#rule}: written once, conditionally. */
    public static String rewardGuardPk(String invoiceId, String rule) {
        return "REWARD#" + invoiceId + "#" + rule;
    }

    public static final String REWARD_GUARD_SK = "REWARD";

    /**
     * Messages written in the same transaction as the state change they announce, in the entity's partition, and
     * sent by the outbox relay from the table's stream ({@code OutboxItems}); removed by TTL.
     */
    public static String outboxSk(String messageId) {
        return "OUTBOX#" + messageId;
    }

    public static final String OUTBOX_PREFIX = "OUTBOX#";

    /** GSI2 of an invoice with a reminder step ahead: the instant its next step falls due (customer's midnight). */
    public static final String REMINDER_DUE_GSI2_PK = "REMINDER_DUE";

    /** GSI2 of an open reward lot: its expiry instant, for the daily ExpireRewards run. */
    public static final String REWARD_EXPIRY_GSI2_PK = "REWARD_EXPIRY";

    /** GSI1 of a customer's monthly activity marker, for the monthly statements. */
    public static String activityGsi1Pk(String yearMonth) {
        return "ACTIVITY#" + yearMonth;
    }
}
