package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.invoiceloyalty.local.CapturedEmail;
import dev.invoiceloyalty.local.SesCapture;
import software.amazon.awssdk.core.SdkBytes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mail an external endpoint recorded: moto's {@code GET /moto-api/data.json} ({@code ses.Message} for simple
 * sends, {@code ses.RawMessage} for raw ones) or LocalStack's {@code GET /_aws/ses}. The endpoint is never reset:
 * {@link #clear()} hides what was there (a watermark of ids).
 *
 * <p>Raw MIME is parsed by a private {@link SesCapture} (the same parser the embedded stack uses), fed through its
 * SES API. moto keeps only one body of a simple send (the HTML part when there is one) and no time, so such an
 * email shows {@code text: null} and {@code sentAt} is when this stack first saw it.
 */
final class EndpointMailBox implements MailBox, AutoCloseable {
    enum Flavour { MOTO, LOCALSTACK, NONE }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient http;
    private final Flavour flavour;
    private final Map<String, CapturedEmail> seen = new LinkedHashMap<>();
    private final Set<String> hidden = new HashSet<>();
    private SesCapture mimeParser;

    private EndpointMailBox(URI endpoint, HttpClient http, Flavour flavour) {
        this.endpoint = endpoint;
        this.http = http;
        this.flavour = flavour;
    }

    static EndpointMailBox detect(URI endpoint) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Flavour flavour = Flavour.NONE;
        if (get(http, endpoint, "/moto-api/data.json") != null) {
            flavour = Flavour.MOTO;
        } else if (get(http, endpoint, "/_aws/ses") != null) {
            flavour = Flavour.LOCALSTACK;
        }
        return new EndpointMailBox(endpoint, http, flavour);
    }

    Flavour flavour() {
        return flavour;
    }

    @Override
    public synchronized List<CapturedEmail> emails() {
        refresh();
        List<CapturedEmail> visible = new ArrayList<>();
        seen.forEach((id, email) -> {
            if (!hidden.contains(id)) {
                visible.add(email);
            }
        });
        return visible;
    }

    @Override
    public synchronized void clear() {
        refresh();
        hidden.addAll(seen.keySet());
    }

    private void refresh() {
        switch (flavour) {
            case MOTO -> refreshFromMoto();
            case LOCALSTACK -> refreshFromLocalStack();
            case NONE -> throw new UnsupportedOperationException("the endpoint " + endpoint
                    + " shows no sent mail (neither moto's /moto-api/data.json nor LocalStack's /_aws/ses answers)");
        }
    }

    private void refreshFromMoto() {
        JsonNode ses = require("/moto-api/data.json").path("ses");
        for (JsonNode message : ses.path("Message")) {
            String id = message.path("id").asText();
            if (seen.containsKey(id)) {
                continue;
            }
            String body = text(message, "body");
            boolean html = body != null && body.contains("</");
            seen.put(id, new CapturedEmail(id, text(message, "source"),
                    strings(message.path("destinations").path("ToAddresses")),
                    strings(message.path("destinations").path("CcAddresses")),
                    text(message, "subject"), html ? null : body, html ? body : null, List.of(), null, now()));
        }
        for (JsonNode message : ses.path("RawMessage")) {
            String id = message.path("id").asText();
            if (!seen.containsKey(id)) {
                seen.put(id, parseRaw(id, text(message, "source"), text(message, "raw_data"), now()));
            }
        }
    }

    private void refreshFromLocalStack() {
        for (JsonNode message : require("/_aws/ses").path("messages")) {
            String id = message.path("Id").asText();
            if (seen.containsKey(id)) {
                continue;
            }
            String sentAt = text(message, "Timestamp") != null ? text(message, "Timestamp") : now();
            String raw = text(message, "RawData");
            if (raw != null) {
                seen.put(id, parseRaw(id, text(message, "Source"), raw, sentAt));
                continue;
            }
            JsonNode destination = message.path("Destination");
            seen.put(id, new CapturedEmail(id, text(message, "Source"), strings(destination.path("ToAddresses")),
                    strings(destination.path("CcAddresses")), text(message, "Subject"),
                    text(message.path("Body"), "text_part"), text(message.path("Body"), "html_part"), List.of(), null,
                    sentAt));
        }
    }

    private CapturedEmail parseRaw(String id, String source, String raw, String sentAt) {
        if (mimeParser == null) {
            mimeParser = SesCapture.start();
        }
        try {
            String parsedId = mimeParser.client().sendEmail(request -> {
                if (source != null) {
                    request.fromEmailAddress(source);
                }
                request.content(content -> content.raw(r -> r.data(SdkBytes.fromString(raw, StandardCharsets.UTF_8))));
            }).messageId();
            CapturedEmail parsed = mimeParser.email(parsedId).orElseThrow();
            return new CapturedEmail(id, parsed.from(), parsed.to(), parsed.cc(), parsed.subject(), parsed.text(),
                    parsed.html(), parsed.attachments(), raw, sentAt);
        } catch (RuntimeException unparseable) {
            return new CapturedEmail(id, source, List.of(), List.of(), null, null, null, List.of(), raw, sentAt);
        } finally {
            mimeParser.clear();
        }
    }

    private JsonNode require(String path) {
        JsonNode body = get(http, endpoint, path);
        if (body == null) {
            throw new IllegalStateException("GET " + endpoint.resolve(path) + " did not answer with JSON");
        }
        return body;
    }

    private static JsonNode get(HttpClient http, URI endpoint, String path) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return null;
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Override
    public synchronized void close() {
        if (mimeParser != null) {
            mimeParser.close();
        }
    }
}
