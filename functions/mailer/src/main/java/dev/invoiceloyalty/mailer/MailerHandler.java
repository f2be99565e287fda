package dev.invoiceloyalty.mailer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.SqsBatch;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.snapstart.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code MailerFunction}: consumes {@code MailQueue}. Each record body is one {@link MailMessage}; each is
 * rendered, sent through SES and recorded, once per email id ({@link MailDelivery}).
 *
 * <p>Failures are per record ({@code ReportBatchItemFailures}): one bad record never makes SQS redeliver the
 * emails of the batch that were sent. A poison record (not a MailMessage, or an unknown template) is reported
 * failed like any other, so after {@code maxReceiveCount} (5) receives SQS moves it to the dead-letter queue.
 *
 * <p>A stream handler: the event is read and the answer written by {@link SqsBatch} with our one mapper, so a cold
 * start does not also load the runtime's own event serializer.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">Partial batch responses</a>
 */
public final class MailerHandler implements RequestStreamHandler {
    private final MailDelivery delivery;
    private final MailerLog log;

    /** The Lambda runtime's constructor: called once per container, so the SDK clients are built once. */
    public MailerHandler() {
        this(MailerSettings.fromEnvironment(), AwsClients.Settings.fromEnvironment());
    }

    private MailerHandler(MailerSettings settings, AwsClients.Settings aws) {
        this(settings, aws, DynamoDbSentEmailLog.client(aws));
    }

    private MailerHandler(MailerSettings settings, AwsClients.Settings aws, DynamoDbClient dynamoDb) {
        this(TemplateRenderer.create(),
                SesMailSender.create(SesMailSender.client(aws), settings.fromAddress(), settings.configurationSet()),
                DynamoDbSentEmailLog.create(dynamoDb, settings.tableName(), settings.lease()),
                InvoiceStatusCheck.dynamoDb(dynamoDb, settings.tableName()),
                Clock.systemUTC(),
                MailerLog.toStdout());
        Priming.register(new MailerPriming(delivery));
    }

    /**
     * For tests: every collaborator supplied, without an invoice check (an {@code onlyIfCollectible} email then
     * fails with {@code check-failed}).
     */
    public MailerHandler(TemplateRenderer renderer, MailSender sender, SentEmailLog sentEmails, Clock clock,
                         MailerLog log) {
        this(renderer, sender, sentEmails, InvoiceStatusCheck.unavailable(), clock, log);
    }

    /** For tests and the local stack: every collaborator supplied. */
    public MailerHandler(TemplateRenderer renderer, MailSender sender, SentEmailLog sentEmails,
                         InvoiceStatusCheck invoices, Clock clock, MailerLog log) {
        this.delivery = new MailDelivery(renderer, sender, sentEmails, invoices, clock);
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? null : context.getAwsRequestId();
        List<String> failures = new ArrayList<>();
        for (SqsBatch.Message record : SqsBatch.read(input)) {
            if (!handle(record, requestId)) {
                failures.add(record.messageId());
            }
        }
        SqsBatch.answer(failures, output);
    }

    /** @return true when the record is finished with and SQS may delete it */
    private boolean handle(SqsBatch.Message record, String requestId) {
        MailMessage message;
        try {
            message = Json.read(record.body(), MailMessage.class);
        } catch (RuntimeException e) {
            message = null;
        }
        if (message == null) {
            log.email(idsOfUnreadable(record, requestId), Delivery.failed(Outcome.POISON, "malformed-message"));
            return false;
        }
        Delivery result;
        try {
            result = delivery.deliver(message);
        } catch (RuntimeException e) {
            result = Delivery.failed(Outcome.ERROR, Delivery.reasonOf(e));
        }
        log.email(ids(message.emailId(), message.template(), message.customerId(), message.invoiceId(), record,
                requestId), result);
        return result.outcome().done();
    }

    private static Map<String, String> ids(String emailId, String template, String customerId, String invoiceId,
                                           SqsBatch.Message record, String requestId) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("emailId", emailId);
        ids.put("template", template);
        ids.put("customerId", customerId);
        ids.put("invoiceId", invoiceId);
        ids.put("sqsMessageId", record.messageId());
        ids.put("requestId", requestId);
        return ids;
    }

    /** Whatever ids a body that is not a valid MailMessage still carries, to find it in the DLQ. */
    private static Map<String, String> idsOfUnreadable(SqsBatch.Message record, String requestId) {
        JsonNode tree = null;
        try {
            tree = record.body() == null ? null : Json.tree(record.body());
        } catch (Exception notJson) {
            // ids stay null
        }
        return ids(text(tree, "emailId"), text(tree, "template"), text(tree, "customerId"), text(tree, "invoiceId"),
                record, requestId);
    }

    private static String text(JsonNode tree, String field) {
        if (tree == null || !tree.isObject()) {
            return null;
        }
        JsonNode value = tree.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
