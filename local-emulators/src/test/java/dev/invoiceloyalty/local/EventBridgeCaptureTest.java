package dev.invoiceloyalty.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventBridgeCaptureTest {
    private static EventBridgeCapture eventBridge;

    @BeforeAll
    static void start() {
        eventBridge = EventBridgeCapture.start();
    }

    @AfterAll
    static void stop() {
        eventBridge.close();
    }

    @BeforeEach
    void clear() {
        eventBridge.clear();
    }

    @Test
    void GIVEN_two_entries_WHEN_the_sdk_puts_them_THEN_both_are_captured_in_order_with_event_ids() {
        PutEventsResponse response = eventBridge.client().putEvents(p -> p.entries(
                entry("InvoiceCreated", "{\"invoiceId\":\"inv-1\"}"),
                entry("PaymentRecorded", "{\"invoiceId\":\"inv-1\",\"amount\":123456,\"currency\":\"USD\"}")));

        assertEquals(0, response.failedEntryCount());
        response.entries().forEach(result -> assertNotNull(result.eventId()));
        assertEquals(List.of(
                        new CapturedEvent("invoice-loyalty", "InvoiceCreated", "{\"invoiceId\":\"inv-1\"}", "integration"),
                        new CapturedEvent("invoice-loyalty", "PaymentRecorded",
                                "{\"invoiceId\":\"inv-1\",\"amount\":123456,\"currency\":\"USD\"}", "integration")),
                eventBridge.events());
    }

    @Test
    void GIVEN_an_entry_without_a_bus_WHEN_put_THEN_it_goes_to_the_default_bus() {
        eventBridge.client().putEvents(p -> p.entries(e -> e.source("invoice-loyalty").detailType("InvoicePaid").detail("{}")));

        assertEquals("default", eventBridge.events().get(0).eventBusName());
    }

    @Test
    void GIVEN_one_malformed_entry_among_good_ones_WHEN_put_THEN_only_it_fails_and_only_the_good_ones_are_captured() {
        PutEventsResponse response = eventBridge.client().putEvents(p -> p.entries(
                entry("InvoiceCreated", "{\"invoiceId\":\"inv-1\"}"),
                entry("InvoicePaid", "not json"),
                entry("RewardCredited", "{\"invoiceId\":\"inv-1\"}")));

        assertEquals(1, response.failedEntryCount());
        List<PutEventsResultEntry> results = response.entries();
        assertNotNull(results.get(0).eventId());
        assertEquals("MalformedDetail", results.get(1).errorCode());
        assertNull(results.get(1).eventId());
        assertEquals(List.of("InvoiceCreated", "RewardCredited"),
                eventBridge.events().stream().map(CapturedEvent::detailType).toList());
    }

    @Test
    void GIVEN_more_than_ten_entries_WHEN_put_THEN_the_request_is_rejected_as_eventbridge_does() {
        List<PutEventsRequestEntry> eleven = Collections.nCopies(11, entry("InvoiceCreated", "{}"));

        assertThrows(EventBridgeException.class, () -> eventBridge.client().putEvents(p -> p.entries(eleven)));
        assertEquals(List.of(), eventBridge.events());
    }

    @Test
    void GIVEN_a_publisher_on_another_thread_WHEN_a_test_awaits_the_event_THEN_it_returns_once_it_arrives() {
        new Thread(() -> eventBridge.client().putEvents(p -> p.entries(entry("ReminderSent", "{}")))).start();

        assertEquals("ReminderSent", eventBridge.awaitEvents(1, Duration.ofSeconds(10)).get(0).detailType());
    }

    @Test
    void GIVEN_bus_set_up_calls_WHEN_made_THEN_create_returns_an_arn_and_describe_returns_the_name() {
        String arn = eventBridge.client().createEventBus(c -> c.name("integration")).eventBusArn();
        var described = eventBridge.client().describeEventBus(d -> d.name("integration"));

        assertEquals("arn:aws:events:us-east-1:000000000000:event-bus/integration", arn);
        assertEquals("integration", described.name());
        assertEquals(arn, described.arn());
    }

    @Test
    void GIVEN_an_operation_the_capture_does_not_serve_WHEN_called_THEN_the_sdk_gets_an_error_not_a_fake_success() {
        assertThrows(EventBridgeException.class, () -> eventBridge.client().listRules(l -> l.eventBusName("integration")));
    }

    private static PutEventsRequestEntry entry(String detailType, String detail) {
        return PutEventsRequestEntry.builder()
                .source("invoice-loyalty").detailType(detailType).detail(detail).eventBusName("integration")
                .build();
    }
}
