package dev.invoiceloyalty.localstack;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The method a {@code Handler: pkg.Class::method} names, chosen as the Lambda Java runtime chooses it: a
 * {@code RequestStreamHandler}-style {@code (InputStream, OutputStream[, Context])} method, else a public, non-bridge
 * method {@code (Input[, Context])} or {@code ()} — so for a {@code RequestHandler<I, O>} the bridge
 * {@code handleRequest(Object, Context)} is skipped and the input type is {@code I}. Without {@code ::method},
 * {@code handleRequest}.
 */
record HandlerMethod(Class<?> handlerClass, Method method, Kind kind, Type inputType, Type outputType) {
    static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";

    enum Kind { STREAM, POJO }

    static HandlerMethod resolve(String handler, ClassLoader loader) throws ReflectiveOperationException {
        int separator = handler.indexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        String methodName = separator < 0 ? "handleRequest" : handler.substring(separator + 2);
        // Not initialised here: static initialisers run when the first instance is built, after the environment is set.
        Class<?> type = Class.forName(className, false, loader);
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new NoSuchMethodException(className + " is not public");
        }
        List<Method> candidates = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.getName().equals(methodName) && !method.isBridge() && !method.isSynthetic()) {
                candidates.add(method);
            }
        }
        for (Method method : candidates) {
            Class<?>[] parameters = method.getParameterTypes();
            if (parameters.length >= 2 && parameters.length <= 3
                    && parameters[0] == java.io.InputStream.class && parameters[1] == java.io.OutputStream.class
                    && (parameters.length == 2 || isContext(parameters[2]))) {
                return new HandlerMethod(type, method, Kind.STREAM, null, null);
            }
        }
        // The most specific signature first: (Input, Context), then (Input), then ().
        candidates.sort(Comparator.comparingInt((Method method) -> -method.getParameterCount()));
        for (Method method : candidates) {
            Class<?>[] parameters = method.getParameterTypes();
            boolean fits = switch (parameters.length) {
                case 2 -> isContext(parameters[1]);
                case 1, 0 -> true;
                default -> false;
            };
            if (fits) {
                Type input = parameters.length == 0 ? null : method.getGenericParameterTypes()[0];
                return new HandlerMethod(type, method, Kind.POJO, input, method.getGenericReturnType());
            }
        }
        throw new NoSuchMethodException("no public method " + methodName + "(Input[, Context]) or " + methodName
                + "(InputStream, OutputStream[, Context]) in " + className);
    }

    boolean isStatic() {
        return Modifier.isStatic(method.getModifiers());
    }

    boolean takesContext() {
        Class<?>[] parameters = method.getParameterTypes();
        return parameters.length > 0 && isContext(parameters[parameters.length - 1]);
    }

    private static boolean isContext(Class<?> type) {
        return type.getName().equals(CONTEXT);
    }
}
