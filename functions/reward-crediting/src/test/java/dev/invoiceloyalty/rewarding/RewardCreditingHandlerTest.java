package dev.invoiceloyalty.rewarding;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.rewards.RewardRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.rewarding.RewardHarness.failures;
import static dev.invoiceloyalty.rewarding.RewardHarness.num;
import static dev.invoiceloyalty.rewarding.RewardHarness.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RewardCreditingHandler}, the Lambda entry point, with the sample events of {@code events/reward-crediting/}
 * (the files {@code sam local invoke -e} uses): SQS batches answered with partial batch failures, and the
 * {@code ExpireRewards} schedule whose input carries the business time.
 */
class RewardCreditingHandlerTest {
    static final String CUSTOMER = "cus_reward_sample";
    static final String INVOICE = "inv_reward_sample";
    static final String PAYMENT_RECORD = "7c1f3b2a-5d4e-4f60-8a71-0b9c2d3e4f51";
    static final String REFUND_RECORD = "9e2d4c6b-1a3f-4b85-9c07-6d5e4f3a2b19";
    /** The sample invoice was paid 2026-11-29T23:30:00Z, already 2026-11-30 in Berlin: its lots expire a year later. */
    static final String LOTS_EXPIRE = "2027-11-29T23:30:00Z";

    final RewardHarness h = new RewardHarness();

    private static ArrayNode records(String sampleName) {
        return (ArrayNode) RewardHarness.tree(sample(sampleName)).path("Records");
    }

    /** One batch of the given records, in order, as the event source mapping would hand it over. */
    private static String batch(JsonNode... records) {
        ObjectNode root = Json.mapper().createObjectNode();
        ArrayNode all = root.putArray("Records");
        for (JsonNode r : records) {
            all.add(r.deepCopy());
        }
        return root.toString();
    }

    private static ObjectNode poison(String messageId, String body) {
        return Json.mapper().createObjectNode().put("messageId", messageId).put("body", body)
                .put("eventSource", "aws:sqs");
    }

    @ParameterizedTest(name = "GIVEN the sample {0} THEN its record body is a PaymentMessage of the sample invoice")
    @Event(value = "../../events/reward-crediting/payment-recorded.json", type = SQSEvent.class)
    void givenTheSamplePaymentEventThenItIsAnSqsEventWhoseBodyIsAPaymentRecordedMessage(SQSEvent event) {
        PaymentMessage m = Json.read(event.getRecords().get(0).getBody(), PaymentMessage.class);

        assertEquals(PAYMENT_RECORD, event.getRecords().get(0).getMessageId());
        assertEquals(PaymentMessage.PAYMENT_RECORDED, m.type());
        assertEquals(INVOICE, m.invoiceId());
        assertEquals(1_000_000, m.total());
    }

    @ParameterizedTest(name = "GIVEN the sample {0} THEN its record body is a RefundRecorded message of half the total")
    @Event(value = "../../events/reward-crediting/refund-recorded.json", type = SQSEvent.class)
    void givenTheSampleRefundEventThenItIsAnSqsEventWhoseBodyIsARefundOfHalfTheTotal(SQSEvent event) {
        PaymentMessage m = Json.read(event.getRecords().get(0).getBody(), PaymentMessage.class);

        assertEquals(PaymentMessage.REFUND_RECORDED, m.type());
        assertEquals(m.total() / 2, m.amount());
    }

    @Test
    void givenTheSamplePaymentWhenInvokedThenTheInvoiceIsCreditedInTheCustomersTimeZoneAndNoRecordFails() {
        h.createCustomer(CUSTOMER, "Europe/Berlin");

        JsonNode answer = h.invoke(sample("payment-recorded.json"));

        assertEquals(List.of(), failures(answer));
        assertEquals(10_000, num(h.guard(INVOICE, RewardRules.EARLY_PAYMENT), "credit"),
                "day 8 in Berlin: 1 % of 10,000.00");
        assertEquals(new Customer.Loyalty("BRONZE", 1_000 + 500, Map.of("USD", 10_000L), 1, 1),
                h.customer(CUSTOMER).loyalty());
        JsonNode thanks = h.mailMessages().stream()
                .filter(m -> m.path("emailId").asText().equals("payment-received#" + INVOICE)).findFirst().orElseThrow();
        assertEquals("INV-2026-000042", thanks.path("model").path("invoiceNumber").asText());
        assertTrue(thanks.path("model").path("amountPaid").asText().contains("10"), thanks.toString());
        assertTrue(thanks.path("model").path("paidOnTime").asBoolean(), "paid on day 8, due day 30");
    }

    @Test
    void givenABatchWithAnEarlyRefundAndPoisonBodiesWhenInvokedThenOnlyThoseRecordsAreReportedAsFailures() {
        h.createCustomer(CUSTOMER, "Europe/Berlin");
        String batch = batch(records("refund-recorded.json").get(0), poison("poison-not-json", "{not json"),
                poison("poison-unknown-type", "{\"type\":\"InvoiceVoided\",\"invoiceId\":\"" + INVOICE + "\"}"),
                records("payment-recorded.json").get(0));

        JsonNode answer = h.invoke(batch);

        assertEquals(List.of(REFUND_RECORD, "poison-not-json", "poison-unknown-type"), failures(answer));
        assertEquals(1_500, h.customer(CUSTOMER).loyalty().points(), "the payment in the same batch was credited");
    }

    @Test
    void givenTheRefundWasReportedAsFailedWhenSqsRedeliversItAfterThePaymentThenHalfTheRewardsAreReversed() {
        h.createCustomer(CUSTOMER, "Europe/Berlin");
        assertEquals(List.of(REFUND_RECORD), failures(h.invoke(sample("refund-recorded.json"))));
        h.invoke(sample("payment-recorded.json"));

        JsonNode answer = h.invoke(sample("refund-recorded.json"));

        assertEquals(List.of(), failures(answer));
        // 1,000 on-time + 500 large-invoice points, half of each reversed; half of the 100.00 credit.
        assertEquals(new Customer.Loyalty("BRONZE", 750, Map.of("USD", 5_000L), 1, 1), h.customer(CUSTOMER).loyalty());
    }

    @Test
    void givenThePaymentWasCreditedWhenItsRecordIsRedeliveredThenItSucceedsWithoutCreditingOrSendingAgain() {
        h.createCustomer(CUSTOMER, "Europe/Berlin");
        h.invoke(sample("payment-recorded.json"));
        var before = h.snapshot();
        var mailBefore = h.mailMessages();
        var eventsBefore = h.busEvents();

        JsonNode answer = h.invoke(sample("payment-recorded.json"));

        assertEquals(List.of(), failures(answer), "a duplicate is success: SQS must delete it");
        assertEquals(before, h.snapshot());
        assertEquals(mailBefore, h.mailMessages(), "no email relayed again");
        assertEquals(eventsBefore, h.busEvents(), "no RewardCredited relayed again");
    }

    @Test
    void givenTheSampleScheduleInputWhenInvokedThenItExpiresWhatIsDueAtTheScheduledTimeNotTheClock() {
        h.createCustomer(CUSTOMER, "Europe/Berlin");
        h.invoke(sample("payment-recorded.json"));

        JsonNode answer = h.invoke(sample("expire-rewards.json"));

        assertEquals(RewardHarness.tree("{\"kind\":\"expire\",\"time\":\"2026-11-23T00:30:00Z\",\"expiredLots\":0}"), answer);
        assertEquals(1_500, h.customer(CUSTOMER).loyalty().points());
    }

    @Test
    void givenTheSampleScheduleInputForTheDayTheLotsExpireWhenInvokedThenEveryLotExpires() {
        h.createCustomer(CUSTOMER, "Europe/Berlin");
        h.invoke(sample("payment-recorded.json"));
        ObjectNode input = (ObjectNode) RewardHarness.tree(sample("expire-rewards.json"));
        input.put("time", LOTS_EXPIRE);

        JsonNode answer = h.invoke(input.toString());

        assertEquals(3, answer.path("expiredLots").asInt());
        assertEquals(new Customer.Loyalty("BRONZE", 0, Map.of("USD", 0L), 1, 1), h.customer(CUSTOMER).loyalty());
        assertEquals(List.of(), h.expiryIndex());
    }

    @Test
    void givenAScheduledInputWithoutTimeWhenInvokedThenItFailsRatherThanUseTheClock() {
        assertThrows(IllegalArgumentException.class, () -> h.invoke("{\"kind\":\"expire\"}"));
    }
}
