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
                // Trees keep a decimal as written (1.50 stays 1.50), as reading it into a value does.
                .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .serializationInclusion(JsonInclude.Include.ALWAYS);
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The JSON of {@code value}: records, enums, maps, lists and scalars by {@link FastJson} (Jackson's output without
     * its introspection), anything else by the mapper.
     */
    public static String write(Object value) {
        try {
            var out = new java.io.StringWriter();
            try (var g = MAPPER.getFactory().createGenerator(out)) {
                FastJson.write(value, g);
            }
            return out.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * {@code json} read as {@code type}: a record (and what it holds) by {@link FastJson}, as Jackson would read it
     * without its introspection; anything else by the mapper.
     */
    @SuppressWarnings("unchecked")
    public static <T> T read(String json, Class<T> type) {
        try {
            if (type.isRecord()) {
                com.fasterxml.jackson.databind.JsonNode tree = MAPPER.readTree(json);
                if (tree == null || tree.isMissingNode()) {
                    throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": no content");
                }
                return (T) FastJson.read(tree, type);
            }
            return MAPPER.readValue(json, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
