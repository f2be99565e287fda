package dev.invoiceloyalty.localstack;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One function of the template, loaded from its {@code CodeUri} jar in a class loader of its own whose parent is the
 * platform class loader: the function sees its jar and the JDK, nothing of the stack or of other functions (each has
 * its own SDK, Jackson, static state and {@code Env}). Events are (de)serialised as the Lambda Java runtime does it:
 * {@link LambdaEventSerializers} for {@code com.amazonaws.services.lambda.runtime.events} types, the runtime's
 * Jackson for other types.
 *
 * <p>Handler instances are built lazily and pooled; each is used by one thread at a time, as one Lambda execution
 * environment serves one request at a time. Concurrency is not limited (Lambda's default: up to the account limit).
 */
final class LambdaFunction implements AutoCloseable {
    /** What an invocation returned: the response JSON, or the error Lambda would report. */
    record Result(byte[] payload, String errorType, String errorMessage) {
        boolean failed() {
            return errorType != null;
        }

        String payloadText() {
            return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static final String ENV_CLASS = "dev.invoiceloyalty.config.Env";

    private final FunctionSpec spec;
    private final Activity activity;
    private final URLClassLoader loader;
    private final HandlerMethod handler;
    private final LambdaContexts contexts;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final boolean environmentApplied;
    private final Deque<Object> idle = new ConcurrentLinkedDeque<>();

    private LambdaFunction(FunctionSpec spec, Activity activity, URLClassLoader loader, HandlerMethod handler,
                           LambdaContexts contexts, boolean environmentApplied) {
        this.spec = spec;
        this.activity = activity;
        this.loader = loader;
        this.handler = handler;
        this.contexts = contexts;
        this.environmentApplied = environmentApplied;
        this.input = handler.kind() == HandlerMethod.Kind.POJO && handler.inputType() != null
                ? serializer(handler.inputType(), loader) : null;
        this.output = handler.kind() == HandlerMethod.Kind.POJO && handler.outputType() != void.class
                && handler.outputType() != Void.class ? serializer(handler.outputType(), loader) : null;
    }

    /**
     * Loads the jar and checks that the handler class and method exist; builds no handler yet. Gives the function
     * its environment first, through {@code dev.invoiceloyalty.config.Env.override} in its own class loader.
     */
    static LambdaFunction load(FunctionSpec spec, Activity activity) {
        if (!Files.isRegularFile(spec.jar())) {
            throw new IllegalStateException(spec.logicalId() + ": no jar at " + spec.jar()
                    + " (its CodeUri); build the functions first: run mvn -q package -DskipTests");
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("function-" + spec.logicalId(), new URL[]{spec.jar().toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
        } catch (IOException e) {
            throw new IllegalStateException(spec.logicalId() + ": cannot open " + spec.jar(), e);
        }
        try {
            HandlerMethod handler = HandlerMethod.resolve(spec.handler(), loader);
            LambdaContexts contexts = new LambdaContexts(loader, spec.functionName(), spec.functionArn(), spec.memoryMb());
            boolean applied = applyEnvironment(loader, spec.environment());
            return new LambdaFunction(spec, activity, loader, handler, contexts, applied);
        } catch (ReflectiveOperationException | LinkageError e) {
            closeQuietly(loader);
            throw new IllegalStateException(spec.logicalId() + ": Handler " + spec.handler() + " does not resolve in "
                    + spec.jar() + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(loader);
            throw e;
        }
    }

    private static boolean applyEnvironment(ClassLoader loader, Map<String, String> environment)
            throws ReflectiveOperationException {
        Class<?> env;
        try {
            env = Class.forName(ENV_CLASS, true, loader);
        } catch (ClassNotFoundException absent) {
            return false;
        }
        env.getMethod("override", Map.class).invoke(null, environment);
        return true;
    }

    String logicalId() {
        return spec.logicalId();
    }

    FunctionSpec spec() {
        return spec;
    }

    HandlerMethod handler() {
        return handler;
    }

    /** False when the jar has no {@code Env} class: the function then sees only the process environment. */
    boolean environmentApplied() {
        return environmentApplied;
    }

    /** Invokes the handler with one event (JSON), on the calling thread. */
    Result invoke(byte[] event) {
        String requestId = UUID.randomUUID().toString();
        long started = System.nanoTime();
        long deadline = started + spec.timeoutSeconds() * 1_000_000_000L;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        activity.enter();
        Object instance = null;
        Result result;
        try {
            thread.setContextClassLoader(loader);
            instance = handler.isStatic() ? null : acquire();
            result = call(instance, event, contexts.create(requestId, deadline));
        } catch (InvocationTargetException e) {
            result = failure(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            result = failure(e);
        } finally {
            if (instance != null) {
                idle.push(instance);
            }
            thread.setContextClassLoader(previous);
            activity.exit();
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        System.out.println("REPORT " + spec.logicalId() + " RequestId: " + requestId + " Duration: " + elapsedMs + " ms"
                + (result.failed() ? " Error: " + result.errorType() : "")
                + (elapsedMs > spec.timeoutSeconds() * 1000L ? " (over the " + spec.timeoutSeconds()
                + " s Timeout: Lambda would have stopped it)" : ""));
        return result;
    }

    private Result call(Object instance, byte[] event, Object context) throws ReflectiveOperationException {
        Method method = handler.method();
        if (handler.kind() == HandlerMethod.Kind.STREAM) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Object[] args = method.getParameterCount() == 3
                    ? new Object[]{new ByteArrayInputStream(event), out, context}
                    : new Object[]{new ByteArrayInputStream(event), out};
            method.invoke(instance, args);
            return new Result(out.toByteArray(), null, null);
        }
        Object[] args = switch (method.getParameterCount()) {
            case 0 -> new Object[0];
            case 1 -> new Object[]{handler.takesContext() ? context : input.fromJson(new ByteArrayInputStream(event))};
            default -> new Object[]{input.fromJson(new ByteArrayInputStream(event)), context};
        };
        Object response = method.invoke(instance, args);
        if (output == null || response == null) {
            return new Result("null".getBytes(StandardCharsets.UTF_8), null, null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(response, out);
        return new Result(out.toByteArray(), null, null);
    }

    /** A free handler instance, or a new one (the "cold start" of a new execution environment). */
    private Object acquire() throws ReflectiveOperationException {
        Object instance = idle.poll();
        if (instance != null) {
            return instance;
        }
        return handler.handlerClass().getConstructor().newInstance();
    }

    private Result failure(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        System.err.println(spec.logicalId() + " failed: " + trace);
        return new Result(null, error.getClass().getName(), String.valueOf(error.getMessage()));
    }

    /** As the Lambda Java runtime picks a serializer: the events library's for its types, else its Jackson. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        if (type instanceof Class<?> eventClass && LambdaEventSerializers.isLambdaSupportedEvent(eventClass.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(eventClass, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    @Override
    public void close() {
        idle.clear();
        closeQuietly(loader);
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // the jar stays open until exit; nothing else depends on it
        }
    }
}
