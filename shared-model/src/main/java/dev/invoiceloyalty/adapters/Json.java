package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON in and out for every function, on Jackson's streaming factory: trees ({@link #tree}) and text ({@link #write})
 * without an {@link ObjectMapper}. Building a mapper costs a fresh JVM ~110 ms (measured on the 2-core machine,
 * C1 only; a {@code JsonFactory} ~20 ms), most of it before the first value is read, so no cold path builds one: the
 * mapper ({@link #mapper()}) is made on first use, for what only it does (beans, arrays, {@code TypeReference}s), and
 * the functions' own paths never ask for it. {@code JsonTreeTest} pins the trees and the text to the mapper's own for
 * the same input, and checks in a fresh JVM that reading and writing leave the mapper unbuilt.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** The mapper, built on first use only (a class is initialised when first touched). */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = configured(JsonMapper.builder())
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
    }

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

    /** The configured mapper, built on first call: for beans and type references only, off every cold path. */
    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    /** The streaming factory every parser and generator of ours comes from (no codec: trees are ours). */
    public static JsonFactory factory() {
        return FACTORY;
    }

    // ---- trees ------------------------------------------------------------------------------------------------

    /**
     * The tree of {@code json}, as {@code mapper().readTree(json)} makes it with our settings: integers as
     * int/long/big-integer nodes by size, other numbers as decimals kept as written, the last of duplicate names,
     * {@link MissingNode} for empty input, anything after the first value ignored.
     */
    public static JsonNode tree(String json) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return root(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String has no I/O
        }
    }

    public static JsonNode tree(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return root(p);
        }
    }

    /** Reads {@code in} to its first value's end and closes it, as the mapper does. */
    public static JsonNode tree(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            return root(p);
        }
    }

    /** An empty object node (the mapper's {@code createObjectNode()}, without the mapper). */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    private static JsonNode root(JsonParser p) throws IOException {
        return p.nextToken() == null ? MissingNode.getInstance() : value(p);
    }

    /** The value at the parser's current token; the parser's nesting limit bounds the recursion. */
    private static JsonNode value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    p.nextToken();
                    o.set(name, value(p));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p));
                }
                return a;
            }
            case VALUE_STRING -> {
                return TextNode.valueOf(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> IntNode.valueOf(p.getIntValue());
                    case LONG -> LongNode.valueOf(p.getLongValue());
                    default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return DecimalNode.valueOf(p.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return BooleanNode.TRUE;
            }
            case VALUE_FALSE -> {
                return BooleanNode.FALSE;
            }
            case VALUE_NULL -> {
                return NullNode.getInstance();
            }
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        }
    }

    // ---- text -------------------------------------------------------------------------------------------------

    /**
     * The JSON of {@code value}: records, enums, maps, lists, scalars and trees by {@link FastJson} (Jackson's output
     * without its introspection), anything else by the mapper.
     */
    public static String write(Object value) {
        try {
            var out = new StringWriter();
            try (var g = FACTORY.createGenerator(out)) {
                FastJson.write(value, g);
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** {@link #write} as UTF-8 bytes. */
    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code json} read as {@code type}: a record (and what it holds) by {@link FastJson}, as Jackson would read it
     * without its introspection; anything else by the mapper.
     */
    @SuppressWarnings("unchecked")
    public static <T> T read(String json, Class<T> type) {
        try {
            if (type.isRecord()) {
                JsonNode tree = tree(json);
                if (tree.isMissingNode()) {
                    throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": no content");
                }
                return (T) FastJson.read(tree, type);
            }
            return mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
