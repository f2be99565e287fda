package dev.invoiceloyalty.local;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One set of emulators per JVM, for tests. Each emulator starts on first use (a test class that needs only
 * DynamoDB does not pay for ElasticMQ) and stops when the JVM exits. Tests isolate themselves by creating
 * their own table and queues ({@link #createTable()}, {@link #createQueues()}) and by clearing the captures
 * they read; they never share names.
 */
public final class LocalBackends {
    /** The logical id of the single table in template.yaml. */
    public static final String TABLE_LOGICAL_ID = "InvoiceTable";

    private static LocalBackends shared;

    private final Lazy<EmbeddedDynamoDb> dynamoDb = new Lazy<>(EmbeddedDynamoDb::start);
    private final Lazy<EmbeddedSqs> sqs = new Lazy<>(EmbeddedSqs::start);
    private final Lazy<SesCapture> ses = new Lazy<>(SesCapture::start);
    private final Lazy<EventBridgeCapture> eventBridge = new Lazy<>(EventBridgeCapture::start);
    private final Lazy<SamTemplate> template = new Lazy<>(() -> SamTemplate.load(SamTemplate.locate()));
    private final AtomicInteger tables = new AtomicInteger();
    private final AtomicInteger queueSets = new AtomicInteger();

    private LocalBackends() {
    }

    public static synchronized LocalBackends shared() {
        if (shared == null) {
            LocalBackends backends = new LocalBackends();
            Runtime.getRuntime().addShutdownHook(new Thread(backends::closeStarted, "local-backends-shutdown"));
            shared = backends;
        }
        return shared;
    }

    public EmbeddedDynamoDb dynamoDb() {
        return dynamoDb.get();
    }

    public EmbeddedSqs sqs() {
        return sqs.get();
    }

    public SesCapture ses() {
        return ses.get();
    }

    public EventBridgeCapture eventBridge() {
        return eventBridge.get();
    }

    /** The repository's template.yaml, found from the working directory ({@link SamTemplate#locate()}). */
    public SamTemplate template() {
        return template.get();
    }

    /** A new, empty table shaped like the template's {@value #TABLE_LOGICAL_ID}; returns its name. */
    public String createTable() {
        return createTable(template());
    }

    /** As {@link #createTable()}, from another template (a test fixture). */
    public String createTable(SamTemplate from) {
        String name = "invoices-" + tables.incrementAndGet();
        DynamoDbClient client = dynamoDb().client();
        TemplateResources.createTable(client, from, TABLE_LOGICAL_ID, name);
        return name;
    }

    /** A new, empty set of the template's queues; returns logical id → queue URL. */
    public Map<String, String> createQueues() {
        return createQueues(template());
    }

    /**
     * The environment a function's Lambda constructor reads, pointed at these emulators: {@code TABLE_NAME}, the
     * URLs of the MailQueue and PaymentsQueue in {@code queues} (if there: {@code Map.of()} for none), a bus name,
     * region, local credentials and {@code AWS_ENDPOINT_URL_<SERVICE>} of each emulator. A mutable map: tests add
     * what else their function reads, then give it to {@code Env.override}.
     */
    public Map<String, String> functionEnvironment(String table, Map<String, String> queues) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("TABLE_NAME", table);
        if (queues.containsKey("MailQueue")) {
            env.put("MAIL_QUEUE_URL", queues.get("MailQueue"));
        }
        if (queues.containsKey("PaymentsQueue")) {
            env.put("PAYMENTS_QUEUE_URL", queues.get("PaymentsQueue"));
        }
        env.put("EVENT_BUS_NAME", "local-bus");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb().endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", sqs().endpoint().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge().endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SESV2", ses().endpoint().toString());
        return env;
    }

    /** As {@link #createQueues()}, from another template (a test fixture). */
    public Map<String, String> createQueues(SamTemplate from) {
        return TemplateResources.createQueues(sqs().client(), from, "-" + queueSets.incrementAndGet());
    }

    private void closeStarted() {
        eventBridge.closeIfStarted();
        ses.closeIfStarted();
        sqs.closeIfStarted();
        dynamoDb.closeIfStarted();
    }

    /** Started at most once, on first use, by whichever thread gets there first. */
    private static final class Lazy<T> {
        private final Supplier<T> factory;
        private T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        synchronized T get() {
            if (value == null) {
                value = factory.get();
            }
            return value;
        }

        synchronized void closeIfStarted() {
            if (value instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // The JVM is exiting; an emulator that fails to stop takes nothing with it.
                }
            }
        }
    }
}
