package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.mail.MailMessage;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads our values (records, enums, plain maps, lists and scalars) as Jackson's databind writes and reads
 * them with {@link Json}'s settings, without databind's serializer and deserializer lookup. That lookup introspects
 * every record type it meets (annotations, accessors, creators, generic signatures) and builds bean (de)serializers by
 * reflection: on a cold start it cost each function 50-100 ms for the handful of types it writes once (issue 8).
 * Here a record is written from its component fields (in declaration order, as Jackson orders record properties) and
 * read through its canonical constructor; the invoice, email and outbox message keep their hand-written codecs. What
 * this does not know (an array, a bean) goes to the mapper; trees are written node by node, as their own
 * {@code serialize} writes them. {@code HandWrittenSerializersTest} and {@code JsonTreeTest} pin the output and the
 * values read to Jackson's own for every type the functions write.
 */
final class FastJson {
    private FastJson() {
    }

    // ---- writing -------------------------------------------------------------------------------------------

    static void write(Object v, JsonGenerator g) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Invoice inv) {
            InvoiceSerializer.write(inv, g);
        } else if (v instanceof MailMessage m) {
            MailMessageSerializer.write(m, g);
        } else if (v instanceof OutboxMessage m) {
            OutboxMessageCodec.Writer.write(m, g);
        } else if (v instanceof Record r) {
            writeRecord(r, g);
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = e.getKey();
                g.writeFieldName(key instanceof Enum<?> en ? en.name() : String.valueOf(key));
                write(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object element : c) {
                write(element, g);
            }
            g.writeEndArray();
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof Short s) {
            g.writeNumber(s);
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (v instanceof JsonNode n) {
            writeTree(n, g);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else {
            Json.mapper().writeValue(g, v); // arrays, beans: Jackson's own
        }
    }

    /** A tree as the mapper writes it (each node's own {@code serialize}), without the mapper. */
    static void writeTree(JsonNode n, JsonGenerator g) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    g.writeFieldName(e.getKey());
                    writeTree(e.getValue(), g);
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode e : n) {
                    writeTree(e, g);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                switch (n.numberType()) {
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    default -> g.writeNumber(n.intValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case BINARY -> g.writeBinary(n.binaryValue());
            default -> Json.mapper().writeValue(g, n); // a POJO node holds a value only the mapper knows
        }
    }

    private static void writeRecord(Record r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Component c : COMPONENTS.get(r.getClass())) {
            g.writeFieldName(c.name);
            Object value;
            try {
                value = c.field.get(r);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            write(value, g);
        }
        g.writeEndObject();
    }

    // ---- reading -------------------------------------------------------------------------------------------

    /** A value of {@code type} from its JSON tree; {@code null} or a missing node reads as Jackson reads it. */
    static Object read(JsonNode n, Type type) {
        Class<?> raw = raw(type);
        if (raw.isPrimitive()) {
            return primitive(n, raw);
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (raw == String.class) {
            if (!n.isValueNode()) {
                throw mismatch(n, raw);
            }
            return n.asText();
        }
        if (raw == Invoice.class) {
            return InvoiceDeserializer.invoice(n);
        }
        if (raw == OutboxMessage.class) {
            return OutboxMessageCodec.Reader.read(n);
        }
        if (raw.isRecord()) {
            return readRecord(n, raw);
        }
        if (raw == Long.class || raw == Integer.class || raw == Boolean.class) {
            return primitive(n, raw == Long.class ? long.class : raw == Integer.class ? int.class : boolean.class);
        }
        if (raw == BigDecimal.class) {
            return n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText());
        }
        if (raw.isEnum()) {
            return enumValue(n, raw);
        }
        if (List.class.isAssignableFrom(raw) || raw == Collection.class) {
            if (!n.isArray()) {
                throw mismatch(n, raw);
            }
            Type element = argument(type, 0);
            List<Object> out = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                out.add(read(e, element));
            }
            return out;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!n.isObject()) {
                throw mismatch(n, raw);
            }
            Type valueType = argument(type, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), read(e.getValue(), valueType));
            }
            return out;
        }
        if (raw == Object.class) {
            return plain(n);
        }
        try {
            return Json.mapper().treeToValue(n, raw);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON for " + raw.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static Object readRecord(JsonNode n, Class<?> type) {
        if (!n.isObject()) {
            throw mismatch(n, type);
        }
        Component[] components = COMPONENTS.get(type);
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                args[i] = read(n.get(components[i].name), components[i].type);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": "
                        + components[i].name + ": " + e.getMessage(), e);
            }
        }
        try {
            return CONSTRUCTORS.get(type).newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jackson's coercions for a primitive: absent or null is 0 / false, numbers in text are parsed. */
    private static Object primitive(JsonNode n, Class<?> type) {
        boolean absent = n == null || n.isNull() || n.isMissingNode();
        if (type == boolean.class) {
            return !absent && n.asBoolean();
        }
        if (!absent && !n.isNumber() && !(n.isTextual() && isNumber(n.asText()))) {
            throw mismatch(n, type);
        }
        if (type == long.class) {
            return absent ? 0L : n.asLong();
        }
        if (type == int.class) {
            return absent ? 0 : n.asInt();
        }
        if (type == double.class) {
            return absent ? 0d : n.asDouble();
        }
        throw new IllegalArgumentException("unsupported primitive " + type);
    }

    private static boolean isNumber(String text) {
        try {
            new BigDecimal(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(JsonNode n, Class<?> type) {
        try {
            return Enum.valueOf((Class) type, n.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": not one of its values: "
                    + n.asText(), e);
        }
    }

    /** As Jackson's untyped reading with {@code USE_BIG_DECIMAL_FOR_FLOATS}: maps, lists, strings, numbers, booleans. */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), plain(e.getValue()));
            }
            return out;
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                out.add(plain(e));
            }
            return out;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.intValue() : n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return n.asText();
    }

    private static IllegalArgumentException mismatch(JsonNode n, Class<?> type) {
        return new IllegalArgumentException("malformed JSON for " + type.getSimpleName() + ": got " + n.getNodeType());
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class; // wildcards and type variables: untyped
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length > index
                ? p.getActualTypeArguments()[index] : Object.class;
    }

    // ---- record metadata, once per type ---------------------------------------------------------------------

    private record Component(String name, Type type, Field field) {
    }

    private static final ClassValue<Component[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected Component[] computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            Component[] out = new Component[rc.length];
            for (int i = 0; i < rc.length; i++) {
                try {
                    Field f = type.getDeclaredField(rc[i].getName());
                    f.setAccessible(true);
                    out[i] = new Component(rc[i].getName(), rc[i].getGenericType(), f);
                } catch (NoSuchFieldException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
    };

    private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
            }
            try {
                Constructor<?> c = type.getDeclaredConstructor(types);
                c.setAccessible(true);
                return c;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    };
}
