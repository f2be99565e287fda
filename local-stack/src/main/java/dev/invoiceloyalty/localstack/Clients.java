package dev.invoiceloyalty.localstack;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;

/** The stack's own SDK clients (resource set-up, pollers, drain): one HTTP client, fixed local credentials. */
final class Clients {
    static final Region REGION = Region.US_EAST_1;
    static final String ACCESS_KEY = "local";
    static final String SECRET_KEY = "local";
    static final String EMBEDDED_ACCOUNT_ID = "000000000000";

    // The pollers long-poll for up to 2 s, well under this socket timeout.
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(30))
            .build();

    private Clients() {
    }

    static <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        builder.httpClient(HTTP)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .endpointOverride(endpoint);
        return builder;
    }
}
