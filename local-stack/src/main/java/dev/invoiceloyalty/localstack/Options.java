package dev.invoiceloyalty.localstack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to start a {@link LocalStack}. Built with {@link #builder()}; every setting has a default.
 *
 * @param port         HTTP port on 127.0.0.1; 0 picks a free one (tests). Default 3000.
 * @param endpoint     an AWS-compatible endpoint (moto, LocalStack) for DynamoDB, SQS, SES v2 and EventBridge;
 *                     null (the default) starts the embedded emulators instead
 * @param template     the SAM template; default: {@code template.yaml} found from the working directory
 * @param codeRoot     the folder that relative {@code CodeUri}s resolve against; default: the template's folder
 * @param stackName    {@code AWS::StackName}, and the prefix of table names; default {@code invoice-loyalty}
 * @param environment  variables that win over the template's and the process's for every function (the
 *                     process environment is read for parameters and secrets only)
 * @param retryDelay   how long a failed SQS message stays invisible before the local retry (AWS: the queue's
 *                     visibility timeout), and how long a stream poller waits before retrying a failed batch;
 *                     default 1 s
 * @param drainTimeout how long {@code /_local/drain} and the schedules route wait for the queues and the streams;
 *                     default 60 s
 * @param launchedAtMillis epoch millis at which the command started (the script's clock), or 0 when unknown
 */
public record Options(int port, URI endpoint, Path template, Path codeRoot, String stackName,
                      Map<String, String> environment, Duration retryDelay, Duration drainTimeout,
                      long launchedAtMillis) {
    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_STACK_NAME = "invoice-loyalty";

    public Options {
        environment = Map.copyOf(environment);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder().port(port).endpoint(endpoint).template(template).codeRoot(codeRoot)
                .stackName(stackName).retryDelay(retryDelay).drainTimeout(drainTimeout)
                .launchedAtMillis(launchedAtMillis);
        builder.environment.putAll(environment);
        return builder;
    }

    /** True when an external endpoint replaces the embedded emulators. */
    public boolean endpointMode() {
        return endpoint != null;
    }

    public static final class Builder {
        private int port = DEFAULT_PORT;
        private URI endpoint;
        private Path template;
        private Path codeRoot;
        private String stackName = DEFAULT_STACK_NAME;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration retryDelay = Duration.ofSeconds(1);
        private Duration drainTimeout = Duration.ofSeconds(60);
        private long launchedAtMillis;

        private Builder() {
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder template(Path template) {
            this.template = template;
            return this;
        }

        public Builder codeRoot(Path codeRoot) {
            this.codeRoot = codeRoot;
            return this;
        }

        public Builder stackName(String stackName) {
            this.stackName = stackName;
            return this;
        }

        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        public Builder launchedAtMillis(long launchedAtMillis) {
            this.launchedAtMillis = launchedAtMillis;
            return this;
        }

        public Options build() {
            return new Options(port, endpoint, template, codeRoot, stackName, environment, retryDelay, drainTimeout,
                    launchedAtMillis);
        }
    }
}
