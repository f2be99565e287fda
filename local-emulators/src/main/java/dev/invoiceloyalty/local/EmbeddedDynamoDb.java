package dev.invoiceloyalty.local;

import com.amazonaws.services.dynamodbv2.local.main.CommandLineInput;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.lang.reflect.Field;
import java.net.URI;

/**
 * DynamoDB Local as an in-memory HTTP server on a loopback port. A server rather than the in-process
 * {@code DynamoDBEmbedded}: code under test then reaches it through the same SDK client and HTTP stack it
 * uses in Lambda, the local stack can hand the endpoint to anything, and it starts faster.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private static final String JOBS_PACKAGE = "com.amazonaws.services.dynamodbv2.local.shared.jobs.";
    private static int running;

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final DynamoDbClient client;
    private boolean closed;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.endpoint = LocalClients.loopback(port);
        this.client = LocalClients.configure(DynamoDbClient.builder(), endpoint).build();
    }

    public static EmbeddedDynamoDb start() {
        Quiet.logging();
        // Counted before starting, so that an instance closing meanwhile does not take this one's threads
        // for leftovers (see releaseBackgroundJobs).
        synchronized (EmbeddedDynamoDb.class) {
            running++;
        }
        try {
            return LocalClients.withFreePort("DynamoDB Local", EmbeddedDynamoDb::startOn);
        } catch (RuntimeException e) {
            synchronized (EmbeddedDynamoDb.class) {
                running--;
            }
            throw e;
        }
    }

    private static EmbeddedDynamoDb startOn(int port) throws Exception {
        // ServerRunner.createServerFromCommandLineArgs with these arguments does exactly this, and
        // also prints its configuration to stdout for every test class.
        CommandLineInput input = new CommandLineInput(
                new String[]{"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        if (!input.init()) {
            throw new IllegalStateException("DynamoDB Local rejected its arguments");
        }
        DynamoDBProxyServer server = ServerRunner.createServer(input);
        bindToLoopback(server);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw e;
        }
        return new EmbeddedDynamoDb(server, port);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** One client for the life of the emulator; closed with it. */
    public DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() {
        synchronized (EmbeddedDynamoDb.class) {
            if (closed) {
                return;
            }
            closed = true;
            client.close();
            stopQuietly(server);
            if (--running == 0) {
                releaseBackgroundJobs();
            }
        }
    }

    /**
     * DynamoDB Local binds every interface and has no option for it; an unauthenticated database on the
     * LAN is not what a test or a developer's local stack wants. Its Jetty server is a private field, so
     * this is best effort: if a future version renames it, the server still starts, only more widely.
     */
    private static void bindToLoopback(DynamoDBProxyServer proxy) {
        try {
            Field field = DynamoDBProxyServer.class.getDeclaredField("server");
            field.setAccessible(true);
            Server jetty = (Server) field.get(proxy);
            for (Connector connector : jetty.getConnectors()) {
                if (connector instanceof ServerConnector serverConnector) {
                    serverConnector.setHost("127.0.0.1");
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Keep the default binding; see above.
        }
    }

    /**
     * Stopping the server cancels DynamoDB Local's background jobs but leaves their non-daemon threads
     * asleep for minutes, which keeps a JVM that has nothing else to do (the local stack after Ctrl-C, a
     * main method) from exiting. An interrupt ends the sleep and with it the job. Done only when no other
     * instance runs in this JVM, because the threads cannot be told apart by instance.
     */
    private static void releaseBackgroundJobs() {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith(JOBS_PACKAGE)) {
                    thread.interrupt();
                    return;
                }
            }
        });
    }

    private static void stopQuietly(DynamoDBProxyServer server) {
        try {
            server.stop();
        } catch (Exception e) {
            // An in-memory database: nothing is lost, and a failed stop must not fail a test.
        }
    }
}
