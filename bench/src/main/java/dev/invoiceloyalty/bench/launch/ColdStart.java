package dev.invoiceloyalty.bench.launch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cold path of one function, in a fresh JVM whose class path is the function's jar plus this launcher: load the
 * handler class, build it with its no-arg constructor (as the Lambda runtime does), deserialise the sample event as
 * the runtime does ({@link LambdaEventSerializers} for a {@link RequestHandler}'s event type, the raw bytes for a
 * {@link RequestStreamHandler}), handle it once and serialise the response.
 *
 * <p>Arguments: {@code <handler class> <event file> <function name>}.
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        Path event = Path.of(args[1]);
        Context context = new BenchContext(args[2]);
        ClassLoader loader = ColdStart.class.getClassLoader();

        Object handler = Class.forName(handlerClass, true, loader).getDeclaredConstructor().newInstance();
        String summary;
        if (handler instanceof RequestStreamHandler streamHandler) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(event)) {
                streamHandler.handleRequest(in, out, context);
            }
            summary = out.toString(StandardCharsets.UTF_8);
        } else if (handler instanceof RequestHandler<?, ?> requestHandler) {
            summary = handleTyped(requestHandler, event, context, loader);
        } else {
            throw new IllegalArgumentException(handlerClass + " implements neither RequestHandler nor RequestStreamHandler");
        }
        Report.resultThenPeakRss(Report.abbreviate(summary));
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String handleTyped(RequestHandler handler, Path event, Context context, ClassLoader loader)
            throws Exception {
        Type[] types = requestHandlerTypes(handler.getClass());
        Class<?> inputType = (Class<?>) types[0];
        Class<?> outputType = (Class<?>) types[1];
        PojoSerializer in = LambdaEventSerializers.serializerFor(inputType, loader);
        Object input;
        try (InputStream stream = Files.newInputStream(event)) {
            input = in.fromJson(stream);
        }
        Object output = handler.handleRequest(input, context);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (output != null) {
            PojoSerializer serializer = LambdaEventSerializers.serializerFor(outputType, loader);
            serializer.toJson(output, out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The {@code I} and {@code O} of the handler's {@code RequestHandler<I, O>}, as the runtime finds them. */
    static Type[] requestHandlerTypes(Class<?> handlerClass) {
        for (Class<?> c = handlerClass; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments();
                }
            }
        }
        throw new IllegalArgumentException(handlerClass + " does not declare RequestHandler<I, O> type arguments");
    }
}
