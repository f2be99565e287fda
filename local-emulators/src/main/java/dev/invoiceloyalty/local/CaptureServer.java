package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The JDK HTTP server on a loopback port, as the SES and EventBridge captures use it. */
final class CaptureServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;

    private CaptureServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static CaptureServer start(String name, HttpHandler handler) {
        Quiet.logging();
        // The JDK server leaves Nagle on: with the client's delayed ACK every answer waited ~40 ms, a stall AWS never
        // shows. Read once, when the JDK's server class loads, so it is set before the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // Several functions may send at once (SQS pollers run in parallel); daemon threads so that a
        // capture nobody closed never keeps a JVM alive.
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, name + "-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try {
                    handler.handle(exchange);
                } catch (RuntimeException e) {
                    // The SDK reports a 500 as a service error, which names the bug better than a dropped
                    // connection would.
                    respond(exchange, 500, "application/json", errorJson(e.toString()));
                } finally {
                    exchange.close();
                }
            });
            server.setExecutor(executor);
            server.start();
            return new CaptureServer(server, executor);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    URI endpoint() {
        return LocalClients.loopback(server.getAddress().getPort());
    }

    static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away or a response was already sent; there is nobody left to tell.
        }
    }

    static String errorJson(String message) {
        return JSON.createObjectNode().put("message", message).toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
