package dev.invoiceloyalty.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Calls a {@link RequestStreamHandler} with a typed event the way Lambda delivers it: the event written by the
 * runtime's own serializer ({@link LambdaEventSerializers}, which knows the events' JSON names), the handler's answer
 * read back into a typed answer. Tests keep their typed events and assertions while exercising the stream path the
 * functions use in production.
 */
public final class LambdaStreams {
    private LambdaStreams() {
    }

    /** The event's JSON as Lambda hands it to a stream handler. */
    public static <E> byte[] json(E event) {
        @SuppressWarnings("unchecked")
        Class<E> type = (Class<E>) event.getClass();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(type, LambdaStreams.class.getClassLoader()).toJson(event, out);
        return out.toByteArray();
    }

    /** Raw bytes in, raw bytes out. */
    public static byte[] invoke(RequestStreamHandler handler, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A typed event in, the answer read as {@code answerType}. */
    public static <A> A invoke(RequestStreamHandler handler, Object event, Class<A> answerType) {
        byte[] answer = invoke(handler, json(event));
        return LambdaEventSerializers.serializerFor(answerType, LambdaStreams.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(answer));
    }
}
