package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.local.CapturedEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An external AWS-compatible endpoint (moto, LocalStack) for every service. The functions call the real SES v2 and
 * EventBridge APIs there; {@code /_local/events} reads an SQS queue that an EventBridge rule on each bus feeds, and
 * {@code /_local/mail} reads what the endpoint recorded ({@link EndpointMailBox}).
 */
final class EndpointBackends implements Backends {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient dynamoDbStreams;
    private final SqsClient sqs;
    private final EventBridgeClient eventBridge;
    private final SesV2Client ses;
    private final EndpointMailBox mail;
    private final List<CapturedEvent> events = new ArrayList<>();
    private volatile String eventsQueueUrl;

    private EndpointBackends(URI endpoint) {
        this.endpoint = endpoint;
        this.dynamoDb = Clients.configure(DynamoDbClient.builder(), endpoint).build();
        this.dynamoDbStreams = Clients.configure(DynamoDbStreamsClient.builder(), endpoint).build();
        this.sqs = Clients.configure(SqsClient.builder(), endpoint).build();
        this.eventBridge = Clients.configure(EventBridgeClient.builder(), endpoint).build();
        this.ses = Clients.configure(SesV2Client.builder(), endpoint).build();
        this.mail = EndpointMailBox.detect(endpoint);
    }

    static EndpointBackends connect(URI endpoint) {
        EndpointBackends backends = new EndpointBackends(endpoint);
        try {
            backends.sqs.listQueues(request -> request.maxResults(1));
        } catch (RuntimeException e) {
            backends.close();
            throw new IllegalStateException("the endpoint " + endpoint + " does not answer the SQS API: " + e.getMessage(), e);
        }
        return backends;
    }

    @Override
    public URI dynamoDbEndpoint() {
        return endpoint;
    }

    @Override
    public URI sqsEndpoint() {
        return endpoint;
    }

    @Override
    public URI sesEndpoint() {
        return endpoint;
    }

    @Override
    public URI eventBridgeEndpoint() {
        return endpoint;
    }

    @Override
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    @Override
    public DynamoDbStreamsClient dynamoDbStreams() {
        return dynamoDbStreams;
    }

    @Override
    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public String eventBus(String name, String accountId) {
        try {
            return eventBridge.createEventBus(request -> request.name(name)).eventBusArn();
        } catch (ResourceAlreadyExistsException exists) {
            return eventBridge.describeEventBus(request -> request.name(name)).arn();
        }
    }

    /**
     * Verifies the SES identities (moto and LocalStack refuse mail from unverified ones, as the SES sandbox does) and
     * routes every event of each bus to a queue of this stack's own, {@code <stack>-local-events}.
     */
    @Override
    public void prepareCaptures(Set<String> busNames, Set<String> sesIdentities, String stackName) {
        for (String identity : sesIdentities) {
            try {
                ses.createEmailIdentity(request -> request.emailIdentity(identity));
            } catch (AlreadyExistsException exists) {
                // verified before
            }
        }
        String queueName = stackName + "-local-events";
        String url = sqs.createQueue(request -> request.queueName(queueName)).queueUrl();
        String arn = sqs.getQueueAttributes(request -> request.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        for (String bus : busNames) {
            String ruleArn = eventBridge.putRule(request -> request.name(queueName).eventBusName(bus)
                    .eventPattern("{\"source\":[{\"prefix\":\"\"}]}")).ruleArn();
            eventBridge.putTargets(request -> request.rule(queueName).eventBusName(bus)
                    .targets(target -> target.id("local-events").arn(arn)));
            // What AWS requires for a rule to deliver to a queue; emulators accept it and may ignore it.
            ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
            policy.putArray("Statement").addObject()
                    .put("Effect", "Allow")
                    .put("Action", "sqs:SendMessage")
                    .put("Resource", arn)
                    .set("Principal", JSON.createObjectNode().put("Service", "events.amazonaws.com"));
            ((ObjectNode) policy.path("Statement").get(0)).set("Condition", JSON.createObjectNode()
                    .set("ArnEquals", JSON.createObjectNode().put("aws:SourceArn", ruleArn)));
            sqs.setQueueAttributes(request -> request.queueUrl(url)
                    .attributes(Map.of(QueueAttributeName.POLICY, policy.toString())));
        }
        // Events of an earlier run are not this run's.
        drainEventsQueue(url, false);
        eventsQueueUrl = url;
    }

    @Override
    public MailBox mail() {
        return mail;
    }

    @Override
    public EventLog events() {
        return () -> {
            synchronized (events) {
                if (eventsQueueUrl != null) {
                    drainEventsQueue(eventsQueueUrl, true);
                }
                return List.copyOf(events);
            }
        };
    }

    /** Takes every message off the events queue; keeps them as events when {@code keep}. */
    private void drainEventsQueue(String url, boolean keep) {
        int emptyAnswers = 0;
        // Short polls sample a subset of SQS's servers; two empty answers in a row are taken as empty.
        while (emptyAnswers < 2) {
            List<Message> messages = sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                emptyAnswers++;
                continue;
            }
            emptyAnswers = 0;
            for (Message message : messages) {
                if (keep) {
                    events.add(toEvent(message.body()));
                }
                sqs.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** An EventBridge event as a rule delivers it: {@code source}, {@code detail-type}, {@code detail} (an object). */
    private static CapturedEvent toEvent(String body) {
        try {
            JsonNode event = JSON.readTree(body);
            return new CapturedEvent(event.path("source").asText(null), event.path("detail-type").asText(null),
                    event.path("detail").toString(), event.path("event-bus-name").asText(null));
        } catch (IOException e) {
            return new CapturedEvent(null, null, JSON.createObjectNode().put("unparsed", body).toString(), null);
        }
    }

    @Override
    public String describe() {
        return "endpoint " + endpoint + " (DynamoDB and its streams, SQS, SES v2, EventBridge; mail read from "
                + switch (mail.flavour()) {
                    case MOTO -> "moto's /moto-api/data.json";
                    case LOCALSTACK -> "LocalStack's /_aws/ses";
                    case NONE -> "nowhere: this endpoint shows no sent mail";
                } + ")";
    }

    @Override
    public void close() {
        mail.close();
        dynamoDb.close();
        dynamoDbStreams.close();
        sqs.close();
        eventBridge.close();
        ses.close();
    }
}
