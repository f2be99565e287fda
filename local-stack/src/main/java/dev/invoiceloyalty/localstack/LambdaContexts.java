package dev.invoiceloyalty.localstack;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Context} a handler receives: a proxy of the function class loader's own
 * {@code com.amazonaws.services.lambda.runtime.Context} (the stack does not share aws-lambda-java-core with the
 * functions), with the request id, names, memory and remaining time of this invocation, and a logger that prints
 * to stdout as Lambda's does to CloudWatch Logs.
 */
final class LambdaContexts {
    private final Class<?> contextType;
    private final Class<?> loggerType;
    private final String functionName;
    private final String functionArn;
    private final int memoryMb;
    private final Object logger;

    LambdaContexts(ClassLoader loader, String functionName, String functionArn, int memoryMb)
            throws ClassNotFoundException {
        this.contextType = Class.forName(HandlerMethod.CONTEXT, false, loader);
        this.loggerType = Class.forName("com.amazonaws.services.lambda.runtime.LambdaLogger", false, loader);
        this.functionName = functionName;
        this.functionArn = functionArn;
        this.memoryMb = memoryMb;
        this.logger = Proxy.newProxyInstance(loader, new Class<?>[]{loggerType}, this::log);
    }

    Object create(String requestId, long deadlineNanos) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "getAwsRequestId" -> requestId;
            case "getLogGroupName" -> "/aws/lambda/" + functionName;
            case "getLogStreamName" -> "local/[$LATEST]" + requestId.replace("-", "");
            case "getFunctionName" -> functionName;
            case "getFunctionVersion" -> "$LATEST";
            case "getInvokedFunctionArn" -> functionArn;
            case "getRemainingTimeInMillis" ->
                    (int) Math.max(0, Math.min(Integer.MAX_VALUE, (deadlineNanos - System.nanoTime()) / 1_000_000));
            case "getMemoryLimitInMB" -> memoryMb;
            case "getLogger" -> logger;
            case "toString" -> "LocalContext[" + functionName + ", " + requestId + "]";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> fallback(proxy, method, args);
        };
        return Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[]{contextType}, handler);
    }

    private Object log(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("log") && args != null && args.length >= 1) {
            String line = args[0] instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(args[0]);
            PrintStream out = System.out;
            out.println(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
            return null;
        }
        return switch (method.getName()) {
            case "toString" -> "LocalLambdaLogger[" + functionName + "]";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> fallback(proxy, method, args);
        };
    }

    /** Default methods keep their own behaviour; anything else Lambda leaves empty here (identity, client context). */
    private static Object fallback(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Class<?> type = method.getReturnType();
        if (type == boolean.class) {
            return false;
        }
        if (type.isPrimitive() && type != void.class) {
            return type == long.class ? 0L : type == double.class ? 0.0 : type == float.class ? 0f : 0;
        }
        return null;
    }
}
