package dev.invoiceloyalty.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxRelaySettingsTest {
    private static final Map<String, String> ENV = Map.of(
            "MAIL_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/invoice-loyalty-MailQueue",
            "PAYMENTS_QUEUE_URL", " https://sqs.us-east-1.amazonaws.com/123456789012/invoice-loyalty-PaymentsQueue ",
            "EVENT_BUS_NAME", "invoice-loyalty-integration");

    @Test
    void theTemplatesVariablesNameTheThreeDestinations() {
        OutboxRelaySettings settings = OutboxRelaySettings.from(ENV);

        assertEquals(new OutboxRelaySettings(
                "https://sqs.us-east-1.amazonaws.com/123456789012/invoice-loyalty-MailQueue",
                "https://sqs.us-east-1.amazonaws.com/123456789012/invoice-loyalty-PaymentsQueue",
                "invoice-loyalty-integration"), settings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL_QUEUE_URL", "PAYMENTS_QUEUE_URL", "EVENT_BUS_NAME"})
    void aMissingOrBlankDestinationFailsTheContainersStart(String name) {
        Map<String, String> missing = new HashMap<>(ENV);
        missing.remove(name);
        Map<String, String> blank = new HashMap<>(ENV);
        blank.put(name, "  ");

        IllegalStateException whenMissing = assertThrows(IllegalStateException.class, () -> OutboxRelaySettings.from(missing));
        IllegalStateException whenBlank = assertThrows(IllegalStateException.class, () -> OutboxRelaySettings.from(blank));

        assertTrue(whenMissing.getMessage().contains(name), whenMissing.getMessage());
        assertTrue(whenBlank.getMessage().contains(name), whenBlank.getMessage());
    }
}
