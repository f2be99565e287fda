package dev.invoiceloyalty.localstack;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.Set;

/** Where the functions' AWS calls go: the embedded emulators, or an external endpoint. */
interface Backends extends AutoCloseable {
    URI dynamoDbEndpoint();

    URI sqsEndpoint();

    URI sesEndpoint();

    URI eventBridgeEndpoint();

    DynamoDbClient dynamoDb();

    /** The stack's own client of the same DynamoDB's streams (the stream pollers read through it). */
    DynamoDbStreamsClient dynamoDbStreams();

    SqsClient sqs();

    /** Makes sure an event bus of that name exists and returns its ARN. */
    String eventBus(String name, String accountId);

    /**
     * Called once the buses and the SES identities the template names are known: sets up whatever
     * {@link #events()} and {@link #mail()} read.
     */
    void prepareCaptures(Set<String> busNames, Set<String> sesIdentities, String stackName);

    MailBox mail();

    EventLog events();

    /** A line for the start-up banner. */
    String describe();

    @Override
    void close();
}
