package dev.invoiceloyalty.mailer;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.invoiceloyalty.adapters.Json;
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

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.invoiceloyalty.snapstart.Priming.expect;
import static dev.invoiceloyalty.snapstart.PrimingSamples.ABSENT_ID;

/**
 * SnapStart priming of {@code MailerFunction}: an SQS batch of the most frequent emails (invoice issued, payment
 * received, reminder) read as the handler reads it, each rendered by the function's own renderer (so those templates
 * are compiled in the snapshot), the invoice check's GetItem on an invoice that cannot exist, and each SES
 * {@code SendEmail} request built (not sent). The sent-email record is never claimed: that is a write.
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
            SQSEvent event = new SQSEvent();
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (MailMessage m : samples()) {
                SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
                record.setMessageId("snapstart-priming-" + records.size());
                record.setBody(Json.write(m));
                records.add(record);
            }
            event.setRecords(records);
            for (SQSEvent.SQSMessage record : event.getRecords()) {
                messages.add(Json.read(record.getBody(), MailMessage.class));
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
        run.step("batch-response", () -> expect(new SQSBatchResponse(List.of(
                new SQSBatchResponse.BatchItemFailure("snapstart-priming"))).getBatchItemFailures().size() == 1,
                "a batch answer"));
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
