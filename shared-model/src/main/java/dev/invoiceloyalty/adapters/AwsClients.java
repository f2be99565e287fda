package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.config.Env;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Builds SDK clients the way every function needs them: one per container, the url-connection HTTP client
 * (smallest cold start; no Apache or Netty in the jars), region from {@code AWS_REGION}, credentials from the
 * environment, and the endpoint from {@code AWS_ENDPOINT_URL} / {@code AWS_ENDPOINT_URL_<SERVICE>} which the
 * SDK reads itself. An explicit endpoint (tests, the local stack) wins over the environment.
 *
 * <p>The service-specific factories live in the adapters that use them, so a function whose jar lacks, say,
 * the SQS module never loads a class that refers to it.
 */
public final class AwsClients {
    private AwsClients() {
    }

    /** Settings shared by every client of one container (or one test). */
    public record Settings(Region region, URI endpoint, List<ExecutionInterceptor> interceptors) {
        public Settings {
            interceptors = List.copyOf(interceptors);
        }

        /** From the Lambda environment: {@code AWS_REGION}, default {@code us-east-1} for local runs. */
        public static Settings fromEnvironment() {
            String region = dev.invoiceloyalty.config.Env.get("AWS_REGION");
            return new Settings(Region.of(region == null || region.isBlank() ? "us-east-1" : region), null, List.of());
        }

        /** Points every client at one emulator endpoint (DynamoDB Local, ElasticMQ, moto, LocalStack). */
        public static Settings forEndpoint(URI endpoint) {
            return new Settings(Region.US_EAST_1, endpoint, List.of());
        }

        /** Adds an interceptor to every client, for example to inject a fault into the N-th call. */
        public Settings withInterceptor(ExecutionInterceptor interceptor) {
            var all = new java.util.ArrayList<>(interceptors);
            all.add(interceptor);
            return new Settings(region, endpoint, all);
        }
    }

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build();

    /** The one HTTP client of this container; SDK clients share it. */
    public static SdkHttpClient httpClient() {
        return HTTP;
    }

    /** Applies the settings to any SDK client builder; the endpoint is the explicit one or {@code AWS_ENDPOINT_URL}. */
    public static <B extends software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>
            & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B configure(B builder, Settings settings) {
        return configure(builder, settings, null);
    }

    /**
     * Applies the settings to a client of {@code service} (the SDK's environment suffix: {@code DYNAMODB},
     * {@code SQS}, {@code SESV2}, {@code EVENTBRIDGE}). The endpoint is, in order: the explicit one of the settings,
     * {@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL}, else the AWS default. The variables are read
     * through {@link dev.invoiceloyalty.config.Env}, so the local stack can give each function its own.
     */
    public static <B extends software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>
            & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B configure(B builder, Settings settings,
                                                                                                String service) {
        builder.httpClient(HTTP)
                .region(settings.region())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .executionInterceptors(settings.interceptors())
                        .build());
        URI endpoint = settings.endpoint();
        if (endpoint == null) {
            String fromEnv = service == null ? null : Env.get("AWS_ENDPOINT_URL_" + service);
            if (fromEnv == null || fromEnv.isBlank()) {
                fromEnv = Env.get("AWS_ENDPOINT_URL");
            }
            endpoint = fromEnv == null || fromEnv.isBlank() ? null : URI.create(fromEnv);
        }
        String key = Env.get("AWS_ACCESS_KEY_ID");
        String secret = Env.get("AWS_SECRET_ACCESS_KEY");
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (settings.endpoint() != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else if (endpoint != null && key != null && secret != null) {
            // An emulator endpoint with credentials given through Env (the local stack's per-function environment).
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder;
    }
}
