package dev.invoiceloyalty.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.invoiceloyalty.bench.launch.BenchContext;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.local.SamTemplate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * One function of the template run in the bench JVM as the Lambda Java runtime runs it: the template's handler class
 * built by its no-arg constructor (after {@link Env#override} with the function's environment, which is where the
 * handler reads its configuration), invoked with the event's JSON bytes (as they are for a
 * {@link RequestStreamHandler}, through {@link LambdaEventSerializers} for a {@link RequestHandler}'s types). The bench
 * names no function class at compile time, so a function that changes its handler's shape is measured as it is.
 */
final class InProcessFunction {
    private final String logicalId;
    private final Object handler;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final Context context;

    private InProcessFunction(String logicalId, Object handler, PojoSerializer<Object> input,
                              PojoSerializer<Object> output) {
        this.logicalId = logicalId;
        this.handler = handler;
        this.input = input;
        this.output = output;
        this.context = new BenchContext(logicalId);
    }

    /** Sets the function's environment and builds its handler as Lambda does: by class name, no-arg constructor. */
    @SuppressWarnings("unchecked")
    static InProcessFunction build(SamTemplate.FunctionDef function, Map<String, String> environment)
            throws ReflectiveOperationException {
        Env.override(environment);
        String className = function.handler().split("::")[0];
        ClassLoader loader = InProcessFunction.class.getClassLoader();
        Object handler = Class.forName(className, true, loader).getDeclaredConstructor().newInstance();
        if (handler instanceof RequestStreamHandler) {
            return new InProcessFunction(function.logicalId(), handler, null, null);
        }
        if (!(handler instanceof RequestHandler<?, ?>)) {
            throw new IllegalStateException(className + " implements neither RequestHandler nor RequestStreamHandler");
        }
        Type[] types = requestHandlerTypes(handler.getClass());
        return new InProcessFunction(function.logicalId(), handler,
                (PojoSerializer<Object>) LambdaEventSerializers.serializerFor((Class<?>) types[0], loader),
                (PojoSerializer<Object>) LambdaEventSerializers.serializerFor((Class<?>) types[1], loader));
    }

    String logicalId() {
        return logicalId;
    }

    /** Handles one event (its JSON) and returns the response's JSON, as the runtime would send it back. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    String invoke(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler stream) {
            stream.handleRequest(new ByteArrayInputStream(event), out, context);
        } else {
            Object response = ((RequestHandler) handler).handleRequest(input.fromJson(new ByteArrayInputStream(event)),
                    context);
            if (response != null) {
                output.toJson(response, out);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Type[] requestHandlerTypes(Class<?> handlerClass) {
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
