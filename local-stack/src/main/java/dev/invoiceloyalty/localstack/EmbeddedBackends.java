package dev.invoiceloyalty.localstack;

import dev.invoiceloyalty.local.CapturedEmail;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.EmbeddedDynamoDb;
import dev.invoiceloyalty.local.EmbeddedSqs;
import dev.invoiceloyalty.local.EventBridgeCapture;
import dev.invoiceloyalty.local.SesCapture;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** DynamoDB Local, ElasticMQ and the SES / EventBridge captures of local-emulators, in this JVM. */
final class EmbeddedBackends implements Backends {
    private final EmbeddedDynamoDb dynamoDb;
    private final EmbeddedSqs sqs;
    private final SesCapture ses;
    private final EventBridgeCapture eventBridge;
    private final DynamoDbStreamsClient dynamoDbStreams;

    private EmbeddedBackends(EmbeddedDynamoDb dynamoDb, EmbeddedSqs sqs, SesCapture ses, EventBridgeCapture eventBridge) {
        this.dynamoDb = dynamoDb;
        // Same region and credentials as the emulator's own client: DynamoDB Local keeps one database per both.
        this.dynamoDbStreams = Clients.configure(DynamoDbStreamsClient.builder(), dynamoDb.endpoint()).build();
        this.sqs = sqs;
        this.ses = ses;
        this.eventBridge = eventBridge;
    }

    /** Starts the two slow emulators (about a second each) side by side. */
    static EmbeddedBackends start() {
        CompletableFuture<EmbeddedSqs> sqs = CompletableFuture.supplyAsync(EmbeddedSqs::start);
        EmbeddedDynamoDb dynamoDb = null;
        SesCapture ses = null;
        EventBridgeCapture eventBridge = null;
        try {
            dynamoDb = EmbeddedDynamoDb.start();
            ses = SesCapture.start();
            eventBridge = EventBridgeCapture.start();
            return new EmbeddedBackends(dynamoDb, sqs.join(), ses, eventBridge);
        } catch (RuntimeException e) {
            closeQuietly(dynamoDb);
            closeQuietly(ses);
            closeQuietly(eventBridge);
            try {
                closeQuietly(sqs.join());
            } catch (CompletionException ignored) {
                // it failed too; nothing to close
            }
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    @Override
    public URI sqsEndpoint() {
        return sqs.endpoint();
    }

    @Override
    public URI sesEndpoint() {
        return ses.endpoint();
    }

    @Override
    public URI eventBridgeEndpoint() {
        return eventBridge.endpoint();
    }

    @Override
    public DynamoDbClient dynamoDb() {
        return dynamoDb.client();
    }

    @Override
    public DynamoDbStreamsClient dynamoDbStreams() {
        return dynamoDbStreams;
    }

    @Override
    public SqsClient sqs() {
        return sqs.client();
    }

    /** The capture accepts any bus name. */
    @Override
    public String eventBus(String name, String accountId) {
        return "arn:aws:events:" + Clients.REGION.id() + ":" + accountId + ":event-bus/" + name;
    }

    @Override
    public void prepareCaptures(Set<String> busNames, Set<String> sesIdentities, String stackName) {
        // The captures keep everything they are sent; there is no identity to verify and no rule to route.
    }

    @Override
    public MailBox mail() {
        return new MailBox() {
            @Override
            public List<CapturedEmail> emails() {
                return ses.emails();
            }

            @Override
            public void clear() {
                ses.clear();
            }
        };
    }

    @Override
    public EventLog events() {
        return () -> {
            List<CapturedEvent> all = eventBridge.events();
            return List.copyOf(all);
        };
    }

    @Override
    public String describe() {
        return "embedded: DynamoDB Local " + dynamoDb.endpoint() + ", ElasticMQ " + sqs.endpoint()
                + ", SES capture " + ses.endpoint() + ", EventBridge capture " + eventBridge.endpoint();
    }

    @Override
    public void close() {
        closeQuietly(dynamoDbStreams);
        closeQuietly(eventBridge);
        closeQuietly(ses);
        closeQuietly(sqs);
        closeQuietly(dynamoDb);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Stopping anyway; an emulator that fails to stop holds only memory.
        }
    }
}
