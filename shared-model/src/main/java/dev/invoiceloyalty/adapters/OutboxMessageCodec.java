package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * Writes and reads an {@link OutboxMessage} as Jackson's record introspection would ({@code messageId}, {@code kind},
 * {@code detailType}, {@code body}, nulls written), without building bean (de)serializers by reflection: every
 * state change encodes its messages and the relay decodes them on its cold path. Pinned by
 * {@code HandWrittenSerializersTest}.
 */
final class OutboxMessageCodec {
    private OutboxMessageCodec() {
    }

    static final class Writer extends StdSerializer<OutboxMessage> {
        Writer() {
            super(OutboxMessage.class);
        }

        @Override
        public void serialize(OutboxMessage m, JsonGenerator g, SerializerProvider provider) throws IOException {
            write(m, g);
        }

        static void write(OutboxMessage m, JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("messageId", m.messageId());
            g.writeStringField("kind", m.kind() == null ? null : m.kind().name());
            g.writeStringField("detailType", m.detailType());
            g.writeStringField("body", m.body());
            g.writeEndObject();
        }
    }

    static final class Reader extends StdDeserializer<OutboxMessage> {
        Reader() {
            super(OutboxMessage.class);
        }

        @Override
        public OutboxMessage deserialize(JsonParser p, DeserializationContext context) throws IOException {
            return read(p.readValueAsTree());
        }

        static OutboxMessage read(JsonNode n) {
            String kind = InvoiceDeserializer.text(n, "kind");
            return new OutboxMessage(InvoiceDeserializer.text(n, "messageId"),
                    kind == null ? null : OutboxMessage.Kind.valueOf(kind), InvoiceDeserializer.text(n, "detailType"),
                    InvoiceDeserializer.text(n, "body"));
        }
    }
}
