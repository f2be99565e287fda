package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.invoiceloyalty.mail.MailMessage;

import java.io.IOException;

/**
 * Writes a {@link MailMessage} field by field, as record introspection would (see {@link InvoiceSerializer}): every
 * function that queues an email writes one, usually on its first request. The model is a plain map, written as
 * Jackson's map serializer writes it. {@code HandWrittenSerializersTest} compares both writers.
 */
final class MailMessageSerializer extends StdSerializer<MailMessage> {
    MailMessageSerializer() {
        super(MailMessage.class);
    }

    @Override
    public void serialize(MailMessage m, JsonGenerator g, SerializerProvider provider) throws IOException {
        write(m, g);
    }

    /** The model is plain maps, lists and scalars, written by {@link FastJson} (no serializer lookup). */
    static void write(MailMessage m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("emailId", m.emailId());
        g.writeStringField("template", m.template());
        g.writeStringField("language", m.language());
        g.writeArrayFieldStart("to");
        for (String to : m.to()) {
            g.writeString(to);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("cc");
        for (String cc : m.cc()) {
            g.writeString(cc);
        }
        g.writeEndArray();
        g.writeStringField("customerId", m.customerId());
        g.writeStringField("invoiceId", m.invoiceId());
        g.writeFieldName("model");
        FastJson.write(m.model(), g);
        g.writeBooleanField("onlyIfCollectible", m.onlyIfCollectible());
        g.writeEndObject();
    }
}
