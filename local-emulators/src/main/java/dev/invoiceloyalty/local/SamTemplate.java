package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's AWS SAM template, read as plain YAML. That works because the template keeps to the
 * long-form intrinsics ({@code Ref:}, {@code Fn::GetAtt:}, {@code Fn::Sub:}); a short-form tag such as
 * {@code !Ref} would be read silently as a plain string, so {@link #load} refuses a template that has one.
 */
public final class SamTemplate {
    public static final String FILE_NAME = "template.yaml";

    /** One {@code AWS::Serverless::Function}, with the {@code Globals.Function} settings it inherits. */
    public record FunctionDef(String logicalId, String handler, String codeUri, Map<String, String> environment,
                              List<EventDef> events) {
    }

    /** One entry of a function's {@code Events}: its name, {@code Type} and {@code Properties}. */
    public record EventDef(String name, String type, JsonNode properties) {
    }

    private static final Pattern SHORT_FORM = Pattern.compile(
            "(?:^|[\\s\\[{,:-])!(Ref|GetAtt|Sub|Join|Select|Split|If|Equals|And|Or|Not|Condition|FindInMap|"
                    + "ImportValue|Base64|Cidr|GetAZs|Transform|ToJsonString|Length)\\b");

    private final Path path;
    private final JsonNode root;

    private SamTemplate(Path path, JsonNode root) {
        this.path = path;
        this.root = root;
    }

    public static SamTemplate load(Path path) {
        try {
            String yaml = Files.readString(path);
            rejectShortFormTags(path, yaml);
            JsonNode root = new YAMLMapper().readTree(yaml);
            if (root == null || !root.path("Resources").isObject()) {
                throw new IllegalArgumentException(path + " has no Resources section");
            }
            return new SamTemplate(path, root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * The {@code template.yaml} of the nearest folder at or above the working directory, so that tests
     * running in {@code functions/x/} find the one at the repository root.
     */
    public static Path locate() {
        return find().orElseThrow(() -> new IllegalStateException(
                "no " + FILE_NAME + " in " + Path.of("").toAbsolutePath() + " or any folder above it"));
    }

    /** Like {@link #locate()}, empty where there is none. */
    public static Optional<Path> find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Path path() {
        return path;
    }

    /** The whole template as a tree. */
    public JsonNode root() {
        return root;
    }

    /** A resource's whole declaration ({@code Type}, {@code Properties}, ...). */
    public JsonNode resource(String logicalId) {
        JsonNode resource = root.path("Resources").get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in " + path);
        }
        return resource;
    }

    /** The logical ids of the resources of one type, in template order. */
    public List<String> logicalIdsOfType(String type) {
        List<String> ids = new ArrayList<>();
        root.path("Resources").properties().forEach(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                ids.add(entry.getKey());
            }
        });
        return List.copyOf(ids);
    }

    public List<String> tableLogicalIds() {
        return logicalIdsOfType("AWS::DynamoDB::Table");
    }

    public List<String> queueLogicalIds() {
        return logicalIdsOfType("AWS::SQS::Queue");
    }

    public List<FunctionDef> functions() {
        List<FunctionDef> functions = new ArrayList<>();
        for (String id : logicalIdsOfType("AWS::Serverless::Function")) {
            functions.add(function(id));
        }
        return List.copyOf(functions);
    }

    public FunctionDef function(String logicalId) {
        JsonNode resource = resource(logicalId);
        if (!"AWS::Serverless::Function".equals(resource.path("Type").asText())) {
            throw new IllegalArgumentException(logicalId + " in " + path + " is not an AWS::Serverless::Function");
        }
        JsonNode globals = root.path("Globals").path("Function");
        JsonNode properties = resource.path("Properties");

        Map<String, String> environment = new LinkedHashMap<>();
        putAll(environment, globals.path("Environment").path("Variables"));
        putAll(environment, properties.path("Environment").path("Variables"));

        List<EventDef> events = new ArrayList<>();
        properties.path("Events").properties().forEach(entry -> events.add(new EventDef(
                entry.getKey(), entry.getValue().path("Type").asText(null), entry.getValue().path("Properties"))));

        return new FunctionDef(logicalId,
                scalar(first(properties.get("Handler"), globals.get("Handler"))),
                scalar(first(properties.get("CodeUri"), globals.get("CodeUri"))),
                Collections.unmodifiableMap(environment),
                List.copyOf(events));
    }

    @Override
    public String toString() {
        return "SamTemplate[" + path + "]";
    }

    private static JsonNode first(JsonNode own, JsonNode inherited) {
        return own != null && !own.isNull() ? own : inherited;
    }

    /** Plain values as text; intrinsics ({@code Ref:}, {@code Fn::Sub:}) as their JSON, for the caller to resolve. */
    private static String scalar(JsonNode node) {
        if (node == null || node.isNull() || node instanceof MissingNode) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static void putAll(Map<String, String> into, JsonNode variables) {
        variables.properties().forEach(entry -> into.put(entry.getKey(), scalar(entry.getValue())));
    }

    private static void rejectShortFormTags(Path path, String yaml) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]);
            Matcher matcher = SHORT_FORM.matcher(line);
            if (matcher.find()) {
                throw new IllegalArgumentException(path + ":" + (i + 1) + " uses the short form !" + matcher.group(1)
                        + "; this repository's template uses long-form intrinsics only (Ref:, Fn::GetAtt:, Fn::Sub:, ...)"
                        + " so that plain YAML readers see them");
            }
        }
    }

    /** The line without a trailing {@code # comment}, ignoring '#' inside quotes. */
    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
