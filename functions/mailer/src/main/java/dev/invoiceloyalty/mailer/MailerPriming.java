package dev.invoiceloyalty.mailer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.SqsBatch;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingResource;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.invoiceloyalty.snapstart.Priming.expect;
import static dev.invoiceloyalty.snapstart.PrimingSamples.ABSENT_ID;

/**
 * SnapStart priming of {@code MailerFunction}: an SQS batch of the most frequent emails (invoice issued, payment
 * received, reminder), shaped as Lambda delivers it and read from bytes by {@link SqsBatch} as the handler reads it,
 * each rendered by the function's own renderer (so those templates are compiled in the snapshot), the invoice check's
 * GetItem on an invoice that cannot exist, each SES {@code SendEmail} request built (not sent), and the batch answer
 * written. The sent-email record is never claimed: that is a write.
 */
final class MailerPriming extends PrimingResource {
    private final TemplateRenderer renderer;
    private final MailSender sender;
    private final InvoiceStatusCheck invoices;

    /** @param delivery the handler's delivery: priming warms its renderer, sender and invoice check */
    MailerPriming(MailDelivery delivery) {
        super("mailer");
        this.renderer = delivery.renderer();
        this.sender = delivery.sender();
        this.invoices = delivery.invoices();
    }

    @Override
    protected void prime(Priming.Run run) {
        List<MailMessage> messages = new ArrayList<>();
        run.step("sqs-records", () -> {
            for (SqsBatch.Message record : SqsBatch.read(new ByteArrayInputStream(sqsEvent(samples())))) {
                messages.add(Json.read(record.body(), MailMessage.class));
            }
            expect(messages.size() == 3, "three sample emails");
        });
        List<RenderedEmail> rendered = new ArrayList<>();
        run.step("render", () -> {
            for (MailMessage m : messages) {
                rendered.add(renderer.render(m.template(), m.language(), m.model()));
            }
            expect(rendered.stream().allMatch(r -> !r.subject().isBlank() && r.html().contains("<")), "rendered emails");
        });
        run.step("invoice-check", () -> {
            var verdict = invoices.check(ABSENT_ID);
            expect(!verdict.collectible(), "an absent invoice is not collectible");
        });
        run.step("send-requests", () -> {
            expect(sender instanceof SesMailSender, "the SES sender");
            for (int i = 0; i < messages.size(); i++) {
                SendEmailRequest request = ((SesMailSender) sender).request(messages.get(i), rendered.get(i));
                expect(request.content().simple() != null, "a simple-content request");
            }
        });
        run.step("batch-response", () -> {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            SqsBatch.answer(List.of("snapstart-priming"), answer);
            expect(answer.toString(StandardCharsets.UTF_8)
                    .equals("{\"batchItemFailures\":[{\"itemIdentifier\":\"snapstart-priming\"}]}"), "a batch answer");
        });
    }

    /** The event Lambda's SQS poller would deliver for {@code messages}, with every field it sends. */
    private static byte[] sqsEvent(List<MailMessage> messages) {
        ObjectNode event = Json.object();
        ArrayNode records = event.putArray("Records");
        for (MailMessage m : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", "snapstart-priming-" + records.size());
            record.put("receiptHandle", "snapstart-priming");
            record.put("body", Json.write(m));
            ObjectNode attributes = record.putObject("attributes");
            attributes.put("ApproximateReceiveCount", "1");
            attributes.put("SentTimestamp", "0");
            attributes.put("SenderId", "snapstart-priming");
            attributes.put("ApproximateFirstReceiveTimestamp", "0");
            record.putObject("messageAttributes");
            record.put("md5OfBody", "");
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:snapstart-priming");
            record.put("awsRegion", "us-east-1");
        }
        return Json.bytes(event);
    }

    /** What the producers put on MailQueue, built by the same code they use. */
    private static List<MailMessage> samples() {
        ProgramConfig config = ProgramConfig.defaults();
        Emails emails = new Emails(config, "Example Co");
        Customer customer = PrimingSamples.customer(config);
        Invoice invoice = PrimingSamples.invoice(config);
        var step = config.reminders().steps().get(0);
        return List.of(emails.invoiceIssued(invoice, customer),
                emails.paymentReceived(PaymentMessage.paymentRecorded(PrimingSamples.paidInvoice(config)), customer),
                emails.reminder(invoice, customer, step, 0, LocalDate.parse(invoice.dueDate()).minusDays(3)));
    }
}
