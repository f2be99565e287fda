package dev.invoiceloyalty.bench.launch;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One SDK client and one call per service, set up as {@code dev.invoiceloyalty.adapters.AwsClients} does. */
final class FloorCalls {
    private FloorCalls() {
    }

    private static <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder, String service) {
        builder.httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10))
                        .build())
                .region(Region.of(env("AWS_REGION")))
                .overrideConfiguration(ClientOverrideConfiguration.builder().build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"))))
                .endpointOverride(URI.create(env("AWS_ENDPOINT_URL_" + service)));
        return builder;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return v;
    }

    static final class DynamoDb {
        static String call() {
            DynamoDbClient client = configure(DynamoDbClient.builder(), "DYNAMODB").build();
            var item = client.getItem(r -> r.tableName(env("TABLE_NAME"))
                    .key(Map.of("pk", AttributeValue.fromS("BENCH#floor"), "sk", AttributeValue.fromS("BENCH#floor"))));
            return "GetItem:" + (item.hasItem() ? "item" : "none");
        }
    }

    static final class Sqs {
        static String call() {
            SqsClient client = configure(SqsClient.builder(), "SQS").build();
            String id = client.sendMessage(r -> r.queueUrl(env("BENCH_FLOOR_QUEUE_URL")).messageBody("{\"bench\":\"floor\"}"))
                    .messageId();
            return "SendMessage:" + (id != null ? "ok" : "none");
        }
    }

    static final class SesV2 {
        static String call() {
            SesV2Client client = configure(SesV2Client.builder(), "SESV2").build();
            String id = client.sendEmail(r -> r.fromEmailAddress(env("FROM_EMAIL"))
                    .destination(d -> d.toAddresses("floor@example.com"))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("floor")).body(b -> b.text(t -> t.data("floor"))))))
                    .messageId();
            return "SendEmail:" + (id != null ? "ok" : "none");
        }
    }

    static final class EventBridge {
        static String call() {
            EventBridgeClient client = configure(EventBridgeClient.builder(), "EVENTBRIDGE").build();
            int failed = client.putEvents(r -> r.entries(e -> e.eventBusName(env("EVENT_BUS_NAME"))
                    .source("invoice-loyalty.bench").detailType("Floor").detail("{}"))).failedEntryCount();
            return "PutEvents:failed=" + failed;
        }
    }
}
