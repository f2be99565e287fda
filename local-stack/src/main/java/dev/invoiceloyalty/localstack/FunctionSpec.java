package dev.invoiceloyalty.localstack;

import java.nio.file.Path;
import java.util.Map;

/** One {@code AWS::Serverless::Function} as the local stack runs it: its code, handler and resolved environment. */
record FunctionSpec(String logicalId, String functionName, String functionArn, Path jar, String handler,
                    Map<String, String> environment, int timeoutSeconds, int memoryMb) {
    FunctionSpec {
        environment = Map.copyOf(environment);
    }
}
