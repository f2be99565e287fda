package dev.invoiceloyalty.local;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/** ElasticMQ in this JVM, serving the SQS API on a loopback port. */
public final class EmbeddedSqs implements AutoCloseable {
    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    private EmbeddedSqs(SQSRestServer server, int port) {
        this.server = server;
        this.endpoint = LocalClients.loopback(port);
        this.client = LocalClients.configure(SqsClient.builder(), endpoint).build();
    }

    public static EmbeddedSqs start() {
        Quiet.logging();
        return LocalClients.withFreePort("ElasticMQ", port -> {
            SQSRestServer server = SQSRestServerBuilder
                    .withInterface("127.0.0.1")
                    .withPort(port)
                    // Queue URLs are built from this address, not from the bind address: without it they
                    // would name ElasticMQ's default port 9324.
                    .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                    // The region AWS would put in queue ARNs, so code that parses ARNs sees a real one.
                    .withAWSRegion(LocalClients.REGION.id())
                    .withAWSAccountId(LocalClients.ACCOUNT_ID)
                    .start();
            try {
                server.waitUntilStarted();
            } catch (RuntimeException e) {
                stopQuietly(server);
                throw e;
            }
            return new EmbeddedSqs(server, port);
        });
    }

    public URI endpoint() {
        return endpoint;
    }

    /** One client for the life of the emulator; closed with it. */
    public SqsClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        stopQuietly(server);
    }

    private static void stopQuietly(SQSRestServer server) {
        try {
            server.stopAndWait();
        } catch (RuntimeException e) {
            // In-memory queues: nothing to lose, and a failed stop must not fail a test.
        }
    }
}
