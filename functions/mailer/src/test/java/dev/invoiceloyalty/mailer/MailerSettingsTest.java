package dev.invoiceloyalty.mailer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MailerSettingsTest {

    @Test
    void GIVEN_only_a_table_name_WHEN_read_THEN_the_sender_and_lease_take_their_defaults() {
        MailerSettings settings = MailerSettings.from(Map.of("TABLE_NAME", "invoice-loyalty"));

        assertEquals("invoice-loyalty", settings.tableName());
        assertEquals("billing@example.com", settings.fromAddress());
        assertNull(settings.configurationSet(), "no configuration set unless one is named");
        assertEquals(Duration.ofMinutes(2), settings.lease());
    }

    @Test
    void GIVEN_every_variable_WHEN_read_THEN_each_is_used() {
        MailerSettings settings = MailerSettings.from(Map.of("TABLE_NAME", "t", "FROM_EMAIL", "invoices@acme.example",
                "SES_CONFIGURATION_SET", "transactional", "SEND_LEASE_SECONDS", "90"));

        assertEquals("invoices@acme.example", settings.fromAddress());
        assertEquals("transactional", settings.configurationSet());
        assertEquals(Duration.ofSeconds(90), settings.lease());
    }

    @Test
    void GIVEN_no_table_name_WHEN_read_THEN_the_container_fails_at_start_rather_than_on_every_message() {
        assertThrows(IllegalStateException.class, () -> MailerSettings.from(Map.of("FROM_EMAIL", "a@b.example")));
    }
}
