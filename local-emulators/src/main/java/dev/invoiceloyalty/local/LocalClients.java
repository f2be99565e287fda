package dev.invoiceloyalty.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

/** What every emulator's client and server have in common. */
final class LocalClients {
    static final Region REGION = Region.US_EAST_1;
    static final String ACCOUNT_ID = "000000000000";

    private LocalClients() {
    }

    /**
     * Points a builder at an emulator with the same HTTP client the functions use in Lambda, so a test
     * exercises the same wire behaviour; fixed credentials keep the default provider chain (and its
     * profile-file and IMDS look-ups, which cost seconds on a machine without them) out of tests.
     */
    static <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        builder.httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(endpoint);
        return builder;
    }

    static URI loopback(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * A port that was free a moment ago. Servers that cannot bind port 0 themselves race other processes
     * for it, so their callers retry with {@link #withFreePort}.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    interface PortStarter<T> {
        T start(int port) throws Exception;
    }

    /** Starts a server on a free port, trying again on another port if something took it first. */
    static <T> T withFreePort(String what, PortStarter<T> starter) {
        Exception last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return starter.start(freePort());
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException("could not start " + what + " on a free port", last);
    }
}
