package dev.invoiceloyalty.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedSqsTest {

    @Test
    void GIVEN_a_started_emulator_WHEN_a_message_is_sent_THEN_it_is_received_from_a_url_on_the_same_endpoint() {
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String url = sqs.client().createQueue(q -> q.queueName("work")).queueUrl();
            sqs.client().sendMessage(m -> m.queueUrl(url).messageBody("hello"));

            List<Message> received = sqs.client().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages();

            assertEquals(List.of("hello"), received.stream().map(Message::body).toList());
            assertTrue(url.startsWith(sqs.endpoint().toString() + "/"), url);
        }
    }
}
