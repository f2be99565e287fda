package dev.invoiceloyalty.bench.launch;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A function's floor, in a fresh JVM on the same class path as its cold path (the function's jar plus this launcher):
 * what the JVM, the AWS SDK and Jackson cost before any of our code runs. It builds the SDK clients the function
 * builds, with the same setup as {@code AwsClients} (url-connection client, region, static credentials and endpoint
 * from the environment), makes one call on each, and parses the same event as the runtime would.
 *
 * <p>Arguments: {@code <event file> <event class | stream> <service>[,<service>...]}. Each service's code is in its
 * own class, so a jar without that service module never loads it. The pseudo-service {@code renderers} (last) also
 * draws a chart and writes a MIME message with the statements' libraries ({@link FloorRenderers}).
 */
public final class Floor {
    private Floor() {
    }

    public static void main(String[] args) throws Exception {
        Path event = Path.of(args[0]);
        String eventType = args[1];
        List<String> services = args.length > 2 && !args[2].isBlank() ? List.of(args[2].split(",")) : List.of();

        Object parsed;
        try (InputStream in = Files.newInputStream(event)) {
            if ("stream".equals(eventType)) {
                parsed = new ObjectMapper().readTree(in);
            } else {
                ClassLoader loader = Floor.class.getClassLoader();
                parsed = LambdaEventSerializers.serializerFor(Class.forName(eventType, true, loader), loader).fromJson(in);
            }
        }
        List<String> answers = new ArrayList<>();
        for (String service : services) {
            answers.add(service + "=" + switch (service) {
                case "dynamodb" -> FloorCalls.DynamoDb.call();
                case "sqs" -> FloorCalls.Sqs.call();
                case "sesv2" -> FloorCalls.SesV2.call();
                case "eventbridge" -> FloorCalls.EventBridge.call();
                case "renderers" -> FloorRenderers.render();
                default -> throw new IllegalArgumentException("no floor call for service " + service);
            });
        }
        Report.resultThenPeakRss("event=" + parsed.getClass().getSimpleName() + " " + String.join(" ", answers));
        System.exit(0);
    }
}
