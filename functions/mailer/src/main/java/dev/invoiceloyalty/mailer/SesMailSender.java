package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.mail.MailMessage;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * Sends through SES v2 {@code SendEmail} with {@code Content.Simple}: SES builds the
 * {@code multipart/alternative} MIME message from the text and HTML parts, both declared UTF-8 so that
 * umlauts, accents and ñ survive every hop.
 *
 * @see <a href="https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html">SES v2 SendEmail</a>
 */
public final class SesMailSender implements MailSender {
    private static final String UTF_8 = "UTF-8";

    private final SesV2Client ses;
    private final String fromAddress;
    private final String configurationSet;

    private SesMailSender(SesV2Client ses, String fromAddress, String configurationSet) {
        if (fromAddress == null || fromAddress.isBlank()) {
            throw new IllegalArgumentException("a from address is required");
        }
        this.ses = ses;
        this.fromAddress = fromAddress;
        this.configurationSet = configurationSet == null || configurationSet.isBlank() ? null : configurationSet;
    }

    /**
     * @param configurationSet SES configuration set (event publishing, dedicated IPs); null for none
     */
    public static SesMailSender create(SesV2Client ses, String fromAddress, String configurationSet) {
        return new SesMailSender(ses, fromAddress, configurationSet);
    }

    /** The container's SES client. */
    public static SesV2Client client(AwsClients.Settings settings) {
        return AwsClients.configure(SesV2Client.builder(), settings, "SESV2").build();
    }

    @Override
    public String send(MailMessage message, RenderedEmail content) {
        return ses.sendEmail(request(message, content)).messageId();
    }

    /** The {@code SendEmail} request of one email, built and not sent (SnapStart priming builds one too). */
    SendEmailRequest request(MailMessage message, RenderedEmail content) {
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(fromAddress)
                .destination(Destination.builder()
                        .toAddresses(message.to())
                        .ccAddresses(message.cc())
                        .build())
                .content(EmailContent.builder()
                        .simple(Message.builder()
                                .subject(utf8(content.subject()))
                                .body(Body.builder()
                                        .text(utf8(content.text()))
                                        .html(utf8(content.html()))
                                        .build())
                                .build())
                        .build());
        if (configurationSet != null) {
            request.configurationSetName(configurationSet);
        }
        return request.build();
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(UTF_8).build();
    }
}
