package dev.invoiceloyalty.mailer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.mail.MailMessage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The sample events of {@code events/mailer/} (the ones {@code sam local invoke -e} uses) and variations. */
final class SampleMessages {
    static final String WELCOME_EVENT = "../../events/mailer/welcome.json";
    static final String INVOICE_ISSUED_EVENT = "../../events/mailer/invoice-issued.json";

    private SampleMessages() {
    }

    static SQSEvent welcomeEvent() {
        return EventLoader.loadSQSEvent(WELCOME_EVENT);
    }

    static SQSEvent invoiceIssuedEvent() {
        return EventLoader.loadSQSEvent(INVOICE_ISSUED_EVENT);
    }

    static MailMessage welcome() {
        return firstMessage(welcomeEvent());
    }

    static MailMessage invoiceIssued() {
        return firstMessage(invoiceIssuedEvent());
    }

    static MailMessage firstMessage(SQSEvent event) {
        return Json.read(event.getRecords().get(0).getBody(), MailMessage.class);
    }

    /** A deep, mutable copy of the model, changed by {@code edit}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> model(MailMessage message, Consumer<Map<String, Object>> edit) {
        Map<String, Object> copy = Json.read(Json.write(message.model()), LinkedHashMap.class);
        edit.accept(copy);
        return copy;
    }

    /** The same message with another id, language and model. */
    static MailMessage with(MailMessage message, String emailId, String language, Map<String, Object> model) {
        return new MailMessage(emailId, message.template(), language, message.to(), message.cc(),
                message.customerId(), message.invoiceId(), model);
    }

    /** One SQS record carrying {@code body}, shaped like the sample events. */
    static SQSEvent.SQSMessage record(String messageId, String body) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(messageId);
        record.setReceiptHandle("AQEB" + messageId);
        record.setBody(body);
        record.setEventSource("aws:sqs");
        record.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:invoice-loyalty-MailQueue");
        record.setAwsRegion("us-east-1");
        return record;
    }

    static SQSEvent event(SQSEvent.SQSMessage... records) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(records));
        return event;
    }
}
