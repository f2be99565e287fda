package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of a container: building a mapper is expensive, sharing a configured one is safe. */
public final class Json {
    private static final ObjectMapper MAPPER = configured(JsonMapper.builder())
            // Invoices, emails and outbox messages are written and read on the hot paths: by hand, not by record
            // introspection, which would build bean (de)serializers by reflection on every cold start
            // (InvoiceSerializer, InvoiceDeserializer, MailMessageSerializer, OutboxMessageCodec).
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("invoice-loyalty")
                    .addSerializer(dev.invoiceloyalty.domain.Invoice.class, new InvoiceSerializer())
                    .addDeserializer(dev.invoiceloyalty.domain.Invoice.class, new InvoiceDeserializer())
                    .addSerializer(dev.invoiceloyalty.mail.MailMessage.class, new MailMessageSerializer())
                    .addSerializer(OutboxMessage.class, new OutboxMessageCodec.Writer())
                    .addDeserializer(OutboxMessage.class, new OutboxMessageCodec.Reader()))
            .build();

    /** The settings every mapper of ours shares (the tests build a plain one to check the hand-written codecs). */
    static JsonMapper.Builder configured(JsonMapper.Builder builder) {
        return builder
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .serializationInclusion(JsonInclude.Include.ALWAYS);
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
