package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.invoiceloyalty.local.CapturedEmail;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.SamTemplate;
import dev.invoiceloyalty.local.TableStream;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole system on one machine (SPEC §10): every function of template.yaml in this JVM, each in its own class
 * loader, behind an HTTP server that routes like the HttpApi, with SQS pollers for the SQS-triggered functions and
 * DynamoDB stream pollers for the stream-triggered ones, on the embedded emulators or an external endpoint, plus the
 * local-only control routes under {@code /_local/}.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(Options.builder().port(0).build())) {
 *     URI api = stack.baseUrl();
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);

    private final Options options;
    private final Backends backends;
    private final StackWiring wiring;
    private final Map<String, LambdaFunction> functions;
    private final List<HttpApiRoute> routes;
    private final List<SqsPoller> pollers;
    private final List<StreamPoller> streamPollers;
    private final Map<String, List<ScheduleEvent>> schedules;
    private final Activity activity;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration startup;
    private final Map<String, Long> phases;
    private boolean closed;

    private LocalStack(Options options, Backends backends, StackWiring wiring, Map<String, LambdaFunction> functions,
                       List<HttpApiRoute> routes, List<SqsPoller> pollers, List<StreamPoller> streamPollers,
                       Map<String, List<ScheduleEvent>> schedules, Activity activity, HttpServer server, ExecutorService executor, Duration startup,
                       Map<String, Long> phases) {
        this.options = options;
        this.backends = backends;
        this.wiring = wiring;
        this.functions = functions;
        this.routes = routes;
        this.pollers = pollers;
        this.streamPollers = streamPollers;
        this.schedules = schedules;
        this.activity = activity;
        this.server = server;
        this.executor = executor;
        this.startup = startup;
        this.phases = Map.copyOf(phases);
    }

    /** Starts everything and returns once the HTTP server serves; fails with a clear message if a jar is missing. */
    public static LocalStack start(Options options) {
        long started = System.nanoTime();
        // Every function jar carries its own SLF4J without a provider; one warning per class loader says nothing.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        long[] mark = {started};
        Path templatePath = options.template() != null ? options.template() : SamTemplate.locate();
        // The emulators take longest and need nothing from the template: they start while it is read.
        java.util.concurrent.CompletableFuture<Backends> starting = options.endpointMode() ? null
                : java.util.concurrent.CompletableFuture.supplyAsync(EmbeddedBackends::start);
        SamTemplate template;
        try {
            template = SamTemplate.load(templatePath);
        } catch (RuntimeException e) {
            closeWhenStarted(starting);
            throw e;
        }
        StackWiring wiring = new StackWiring(template, options, System::getenv);
        // Before anything starts: a missing jar is the common mistake, and it names its fix.
        List<String> missing = new ArrayList<>();
        for (String id : wiring.functionIds()) {
            if (!java.nio.file.Files.isRegularFile(wiring.codeOf(id))) {
                missing.add(id + " (" + wiring.codeOf(id) + ")");
            }
        }
        if (!missing.isEmpty()) {
            closeWhenStarted(starting);
            throw new IllegalStateException("function jars are missing: " + String.join(", ", missing)
                    + "; build them first: run mvn -q package -DskipTests");
        }

        phases.put("template", elapsedMillis(mark));
        Backends backends;
        try {
            backends = starting == null ? EndpointBackends.connect(options.endpoint()) : starting.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        phases.put("backends", elapsedMillis(mark));
        HttpServer server = null;
        Map<String, LambdaFunction> functions = new LinkedHashMap<>();
        List<SqsPoller> pollers = new ArrayList<>();
        List<StreamPoller> streamPollers = new ArrayList<>();
        try {
            wiring.createResources(backends);
            phases.put("resources", elapsedMillis(mark));
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 64);
            int port = server.getAddress().getPort();

            Activity activity = new Activity();
            Map<String, Map<String, String>> environments = new LinkedHashMap<>();
            for (String id : wiring.functionIds()) {
                environments.put(id, wiring.environment(id, backends, port));
            }
            backends.prepareCaptures(Set.copyOf(wiring.busNames().values()), wiring.sesIdentities(environments),
                    options.stackName());
            for (String id : wiring.functionIds()) {
                FunctionSpec spec = new FunctionSpec(id, wiring.functionName(id), wiring.functionArn(id), wiring.codeOf(id),
                        template.function(id).handler(), environments.get(id), wiring.timeoutSeconds(id),
                        wiring.memoryMb(id));
                if (spec.handler() == null) {
                    throw new IllegalStateException(id + " has no Handler in " + templatePath);
                }
                functions.put(id, LambdaFunction.load(spec, activity));
            }
            phases.put("functions", elapsedMillis(mark));

            List<HttpApiRoute> routes = new ArrayList<>();
            Map<String, List<ScheduleEvent>> schedules = new LinkedHashMap<>();
            for (String id : wiring.functionIds()) {
                for (SamTemplate.EventDef event : wiring.events(id, "HttpApi")) {
                    JsonNode properties = event.properties();
                    String version = properties.path("PayloadFormatVersion").asText("2.0");
                    if (!"2.0".equals(version)) {
                        System.err.println("local stack: " + id + "." + event.name() + " asks for payload format "
                                + version + "; the local stack sends 2.0");
                    }
                    routes.add(HttpApiRoute.of(textOrNull(properties, "Method"), textOrNull(properties, "Path"), id,
                            event.name()));
                }
                for (SamTemplate.EventDef event : wiring.events(id, "SQS")) {
                    JsonNode properties = event.properties();
                    if (!properties.path("Enabled").asBoolean(true)) {
                        continue;
                    }
                    String queue = wiring.queueOf(properties.get("Queue"), id + "." + event.name());
                    boolean partial = false;
                    for (JsonNode type : properties.path("FunctionResponseTypes")) {
                        partial |= "ReportBatchItemFailures".equals(type.asText());
                    }
                    pollers.add(new SqsPoller(functions.get(id), event.name(), backends.sqs(), wiring.queueUrls().get(queue),
                            wiring.queueArns().get(queue), properties.path("BatchSize").asInt(10), partial,
                            options.retryDelay()));
                }
                for (SamTemplate.EventDef event : wiring.events(id, "DynamoDB")) {
                    if (event.properties().path("Enabled").asBoolean(true)) {
                        streamPollers.add(streamPoller(wiring, backends, functions.get(id), event, options));
                    }
                }
                for (SamTemplate.EventDef event : wiring.events(id, "Schedule*")) {
                    JsonNode properties = event.properties();
                    schedules.computeIfAbsent(id, key -> new ArrayList<>()).add(new ScheduleEvent(id, event.name(),
                            event.type(), ScheduleEvent.inputOf(properties),
                            textOrNull(properties, properties.has("ScheduleExpression") ? "ScheduleExpression" : "Schedule")));
                }
            }

            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "http-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            LocalStack stack = new LocalStack(options, backends, wiring, functions, List.copyOf(routes),
                    List.copyOf(pollers), List.copyOf(streamPollers), schedules, activity, server, executor,
                    Duration.ofNanos(System.nanoTime() - started), phases);
            server.createContext("/", stack::handle);
            server.setExecutor(executor);
            pollers.forEach(SqsPoller::start);
            streamPollers.forEach(StreamPoller::start);
            server.start();
            return stack;
        } catch (RuntimeException | IOException e) {
            pollers.forEach(SqsPoller::stop);
            streamPollers.forEach(StreamPoller::stop);
            if (server != null) {
                server.stop(0);
            }
            functions.values().forEach(LambdaFunction::close);
            backends.close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("could not bind 127.0.0.1:" + options.port() + ": " + e.getMessage(), e);
        }
    }

    /** Lambda's DynamoDB event source mapping for one {@code DynamoDB} event, on the stream of its table. */
    private static StreamPoller streamPoller(StackWiring wiring, Backends backends, LambdaFunction function,
                                             SamTemplate.EventDef event, Options options) {
        String where = function.logicalId() + "." + event.name();
        JsonNode properties = event.properties();
        String tableId = wiring.tableOfStream(properties.get("Stream"), where);
        if (!wiring.streamArns().containsKey(tableId)) {
            throw new IllegalStateException(where + ": the table " + tableId + " has no stream; give it a StreamSpecification");
        }
        StreamPoller.Settings settings;
        try {
            settings = StreamPoller.Settings.of(properties);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
        String failureQueue = wiring.onFailureQueueOf(properties, where);
        StreamPoller.FailureDestination onFailure = failureQueue == null ? null
                : new StreamPoller.FailureDestination(backends.sqs(), wiring.queueUrls().get(failureQueue), failureQueue);
        String tableName = wiring.tableNames().get(tableId);
        return new StreamPoller(function.logicalId(), event.name(), function.spec().functionArn(), function::invoke,
                settings, () -> TableStream.open(backends.dynamoDb(), backends.dynamoDbStreams(), tableName,
                Clients.REGION.id()), backends.dynamoDbStreams(), tableName, onFailure, options.retryDelay());
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Time from {@link #start} being called to serving. */
    public Duration startup() {
        return startup;
    }

    /** Milliseconds spent in each start-up phase (template, backends, resources, functions), in order. */
    public Map<String, Long> startupPhases() {
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (String name : List.of("template", "backends", "resources", "functions")) {
            if (phases.containsKey(name)) {
                ordered.put(name, phases.get(name));
            }
        }
        return ordered;
    }

    private static void closeWhenStarted(java.util.concurrent.CompletableFuture<Backends> starting) {
        if (starting != null) {
            starting.thenAccept(Backends::close);
        }
    }

    private static long elapsedMillis(long[] mark) {
        long now = System.nanoTime();
        long elapsed = (now - mark[0]) / 1_000_000;
        mark[0] = now;
        return elapsed;
    }

    public Options options() {
        return options;
    }

    /** The SQS endpoint the functions use (ElasticMQ or the external endpoint). */
    public URI sqsEndpoint() {
        return backends.sqsEndpoint();
    }

    public URI dynamoDbEndpoint() {
        return backends.dynamoDbEndpoint();
    }

    /** The URL of the template's queue {@code logicalId}. */
    public String queueUrl(String logicalId) {
        return Optional.ofNullable(wiring.queueUrls().get(logicalId))
                .orElseThrow(() -> new IllegalArgumentException("no queue " + logicalId));
    }

    /** The name of the template's table {@code logicalId}. */
    public String tableName(String logicalId) {
        return Optional.ofNullable(wiring.tableNames().get(logicalId))
                .orElseThrow(() -> new IllegalArgumentException("no table " + logicalId));
    }

    /** The logical ids of the functions served, in template order. */
    public List<String> functionIds() {
        return List.copyOf(functions.keySet());
    }

    /** What the stack serves, one line each, for the start-up banner. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("backends: " + backends.describe());
        for (LambdaFunction function : functions.values()) {
            lines.add("function " + function.logicalId() + ": " + function.spec().handler() + " from "
                    + function.spec().jar().getFileName()
                    + (function.environmentApplied() ? "" : " (no dev.invoiceloyalty.config.Env in its jar: it sees only the process environment)"));
        }
        routes.forEach(route -> lines.add("  " + route.routeKey() + " -> " + route.functionId()));
        pollers.forEach(poller -> lines.add("  " + poller.describe()));
        streamPollers.forEach(poller -> lines.add("  " + poller.describe()));
        schedules.values().forEach(list -> list.forEach(schedule -> lines.add("  " + schedule.type() + " "
                + schedule.name() + " (" + schedule.expression() + ") -> " + schedule.functionId()
                + ": POST /_local/schedules/" + schedule.functionId())));
        return lines;
    }

    /**
     * Waits until the stack is quiet twice in a row, 100 ms apart: no handler runs, every queue that feeds a function
     * shows no visible, in-flight or delayed message, and every stream poller has caught up (no record waits or is in
     * a batch, and a poll that started after the drain began and after the last handler ended found nothing, so a
     * write made before the drain, or by a handler during it, has been delivered); false when {@code timeout} passes
     * first.
     */
    public boolean drain(Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        int quietChecks = 0;
        while (System.nanoTime() < deadline) {
            if (quiet(started)) {
                if (++quietChecks >= 2) {
                    return true;
                }
            } else {
                quietChecks = 0;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private boolean quiet(long drainStarted) {
        if (activity.running() != 0) {
            return false;
        }
        long lastExit = activity.lastExitNanos();
        long since = lastExit - drainStarted > 0 ? lastExit : drainStarted;
        boolean streamsCaughtUp = true;
        for (StreamPoller poller : streamPollers) {
            if (!poller.caughtUpSince(since)) {
                streamsCaughtUp = false;
                poller.wake();
            }
        }
        return streamsCaughtUp && queuesEmpty() && activity.running() == 0;
    }

    /** Records read from each stream and not yet done, for the message of a drain that timed out. */
    private Map<String, Integer> streamBacklogs() {
        Map<String, Integer> backlogs = new LinkedHashMap<>();
        streamPollers.forEach(poller -> backlogs.put(poller.name(), poller.pendingRecords()));
        return backlogs;
    }

    private boolean queuesEmpty() {
        for (Map.Entry<String, Long> entry : queueDepths().entrySet()) {
            if (entry.getValue() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Visible + in flight + delayed, per polled queue. */
    private Map<String, Long> queueDepths() {
        Map<String, Long> depths = new LinkedHashMap<>();
        for (SqsPoller poller : pollers) {
            Map<QueueAttributeName, String> attributes = backends.sqs().getQueueAttributes(request -> request
                    .queueUrl(poller.queueUrl()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            long depth = 0;
            for (String value : attributes.values()) {
                depth += Long.parseLong(value);
            }
            depths.merge(poller.queueUrl(), depth, Long::sum);
        }
        return depths;
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP
    // ---------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            HttpApiEvents.Response response = path.equals("/_local") || path.startsWith("/_local/")
                    ? control(exchange.getRequestMethod(), path, body)
                    : api(exchange, body);
            send(exchange, response);
        } catch (RuntimeException | IOException e) {
            System.err.println("local stack: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
            send(exchange, HttpApiEvents.json(500, "{\"message\":\"Internal Server Error\"}"));
        } finally {
            exchange.close();
        }
    }

    private HttpApiEvents.Response api(HttpExchange exchange, byte[] body) {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        HttpApiRoute.Match match = HttpApiRoute.select(routes, method, rawPath);
        if (match == null) {
            return HttpApiEvents.json(404, "{\"message\":\"Not Found\"}");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values));
        HttpApiEvents.Request request = new HttpApiEvents.Request(method, rawPath, exchange.getRequestURI().getRawQuery(),
                headers, body, exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol());
        ObjectNode event = HttpApiEvents.event(request, match, wiring.accountId(), Instant.now());
        LambdaFunction function = functions.get(match.route().functionId());
        HttpApiEvents.Response response = HttpApiEvents.response(
                function.invoke(event.toString().getBytes(StandardCharsets.UTF_8)));
        response.headers().put("apigw-requestid", new ArrayList<>(List.of(event.path("requestContext").path("requestId").asText())));
        return response;
    }

    private HttpApiEvents.Response control(String method, String path, byte[] body) {
        String[] parts = path.substring(1).split("/");
        String what = parts.length > 1 ? parts[1] : "";
        switch (what) {
            case "drain" -> {
                if (!method.equals("POST")) {
                    return notAllowed();
                }
                if (!drain(options.drainTimeout())) {
                    return HttpApiEvents.json(504, message("the queues did not drain within " + options.drainTimeout()
                            + "; depths: " + queueDepths() + ", stream records pending: " + streamBacklogs()
                            + ", handlers running: " + activity.running()));
                }
                return HttpApiEvents.json(200, "{\"drained\":true}");
            }
            case "schedules" -> {
                if (!method.equals("POST")) {
                    return notAllowed();
                }
                return schedule(parts.length == 3 ? parts[2] : "", body);
            }
            case "mail" -> {
                try {
                    return mail(method, parts.length == 3 ? parts[2] : null, parts.length > 3);
                } catch (UnsupportedOperationException e) {
                    return HttpApiEvents.json(501, message(e.getMessage()));
                }
            }
            case "events" -> {
                if (!method.equals("GET") || parts.length > 2) {
                    return parts.length > 2 ? notFound() : notAllowed();
                }
                ArrayNode array = HttpApiEvents.JSON.createArrayNode();
                for (CapturedEvent event : backends.events().events()) {
                    ObjectNode node = array.addObject();
                    node.put("source", event.source());
                    node.put("detailType", event.detailType());
                    try {
                        node.set("detail", HttpApiEvents.JSON.readTree(event.detail()));
                    } catch (IOException e) {
                        node.put("detail", event.detail());
                    }
                }
                return HttpApiEvents.json(200, array.toString());
            }
            default -> {
                return notFound();
            }
        }
    }

    private HttpApiEvents.Response mail(String method, String id, boolean deeper) {
        MailBox mail = backends.mail();
        if (deeper) {
            return notFound();
        }
        if (id == null) {
            return switch (method) {
                case "GET" -> HttpApiEvents.json(200, MailJson.list(mail.emails()).toString());
                case "DELETE" -> {
                    mail.clear();
                    yield new HttpApiEvents.Response(204, new LinkedHashMap<>(), new byte[0]);
                }
                default -> notAllowed();
            };
        }
        if (!method.equals("GET")) {
            return notAllowed();
        }
        for (CapturedEmail email : mail.emails()) {
            if (email.id().equals(id)) {
                return HttpApiEvents.json(200, MailJson.email(email, true).toString());
            }
        }
        return HttpApiEvents.json(404, message("no email " + id));
    }

    private HttpApiEvents.Response schedule(String functionId, byte[] body) {
        LambdaFunction function = functions.get(functionId);
        if (function == null) {
            return HttpApiEvents.json(404, message("no function " + functionId + " in the template"));
        }
        List<ScheduleEvent> events = schedules.getOrDefault(functionId, List.of());
        if (events.isEmpty()) {
            return HttpApiEvents.json(404, message(functionId + " has no ScheduleV2 or Schedule event"));
        }
        JsonNode request;
        try {
            request = body.length == 0 ? null : HttpApiEvents.JSON.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject() || !request.path("time").isTextual()) {
            return HttpApiEvents.json(400, message("send {\"time\": \"<ISO-8601 instant>\", \"schedule\": \"<event name>\"}"));
        }
        Instant time;
        try {
            time = Instant.parse(request.get("time").asText());
        } catch (DateTimeParseException e) {
            return HttpApiEvents.json(400, message("time is not an ISO-8601 instant such as 2026-11-23T06:00:00Z"));
        }
        ScheduleEvent chosen;
        JsonNode name = request.get("schedule");
        if (name == null || name.isNull()) {
            if (events.size() > 1) {
                return HttpApiEvents.json(400, message(functionId + " has several schedules; name one in \"schedule\": "
                        + events.stream().map(ScheduleEvent::name).toList()));
            }
            chosen = events.get(0);
        } else {
            chosen = events.stream().filter(event -> event.name().equals(name.asText())).findFirst().orElse(null);
            if (chosen == null) {
                return HttpApiEvents.json(404, message(functionId + " has no schedule " + name.asText() + "; it has "
                        + events.stream().map(ScheduleEvent::name).toList()));
            }
        }
        LambdaFunction.Result result = function.invoke(chosen.payload(time, wiring.accountId(), options.stackName())
                .getBytes(StandardCharsets.UTF_8));
        ObjectNode answer = HttpApiEvents.JSON.createObjectNode();
        answer.put("function", functionId);
        answer.put("schedule", chosen.name());
        answer.put("time", time.toString());
        if (result.failed()) {
            answer.putObject("error").put("errorType", result.errorType()).put("errorMessage", result.errorMessage());
            return HttpApiEvents.json(500, answer.toString());
        }
        try {
            answer.set("result", HttpApiEvents.JSON.readTree(result.payload()));
        } catch (IOException e) {
            answer.put("result", result.payloadText());
        }
        if (!drain(options.drainTimeout())) {
            answer.put("message", "the queues did not drain within " + options.drainTimeout());
            return HttpApiEvents.json(504, answer.toString());
        }
        return HttpApiEvents.json(200, answer.toString());
    }

    private static HttpApiEvents.Response notFound() {
        return HttpApiEvents.json(404, "{\"message\":\"Not Found\"}");
    }

    private static HttpApiEvents.Response notAllowed() {
        return HttpApiEvents.json(405, "{\"message\":\"Method Not Allowed\"}");
    }

    private static String message(String text) {
        return HttpApiEvents.JSON.createObjectNode().put("message", text).toString();
    }

    private static void send(HttpExchange exchange, HttpApiEvents.Response response) {
        try {
            response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
            byte[] body = response.body();
            boolean empty = body.length == 0 || response.status() == 204 || response.status() == 304
                    || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), empty ? -1 : body.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away, or a response was already sent.
        }
    }

    private static String textOrNull(JsonNode properties, String field) {
        JsonNode value = properties.get(field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    /** Stops the server, the SQS and stream pollers (after their current poll), the functions and the backends. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        pollers.forEach(SqsPoller::stop);
        streamPollers.forEach(StreamPoller::stop);
        pollers.forEach(poller -> poller.join(Duration.ofSeconds(5)));
        streamPollers.forEach(poller -> poller.join(Duration.ofSeconds(5)));
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        functions.values().forEach(LambdaFunction::close);
        backends.close();
    }

    public static void main(String[] args) {
        Main.run(args);
    }
}
