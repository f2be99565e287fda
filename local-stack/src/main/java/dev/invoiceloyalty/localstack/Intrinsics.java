package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.local.SamTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the template's long-form intrinsics ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}, {@code Fn::Join},
 * {@code Fn::Select}) against the resources this stack created, as CloudFormation would against a deployed stack.
 * A parameter is the process environment variable named like the variable being resolved, when set, else the
 * parameter's {@code Default}.
 */
final class Intrinsics {
    private static final Pattern SUB = Pattern.compile("\\$\\{(!?)([^}]+)}");

    private final SamTemplate template;
    private final Map<String, String> pseudo;
    private final Map<String, String> refs = new LinkedHashMap<>();
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final Function<String, String> processEnv;

    Intrinsics(SamTemplate template, Map<String, String> pseudo, Function<String, String> processEnv) {
        this.template = template;
        this.pseudo = Map.copyOf(pseudo);
        this.processEnv = processEnv;
    }

    /** What {@code Ref: logicalId} gives for a resource of this stack. */
    void defineRef(String logicalId, String value) {
        refs.put(logicalId, value);
    }

    /** What {@code Fn::GetAtt: [logicalId, attribute]} gives. */
    void defineAttribute(String logicalId, String attribute, String value) {
        attributes.put(logicalId + "." + attribute, value);
    }

    String pseudo(String name) {
        return pseudo.get(name);
    }

    /** A plain value or an intrinsic, as text; {@code variable} names the variable it is for (null if none). */
    String resolve(JsonNode node, String variable) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isObject() && node.size() == 1) {
            String function = node.fieldNames().next();
            JsonNode argument = node.get(function);
            switch (function) {
                case "Ref":
                    return ref(argument.asText(), variable);
                case "Fn::GetAtt":
                    return getAtt(argument);
                case "Fn::Sub":
                    return sub(argument, variable);
                case "Fn::Join":
                    return join(argument, variable);
                case "Fn::Select":
                    return select(argument, variable);
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("cannot resolve " + node + " in " + template.path()
                + " locally (supported: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select)");
    }

    private String ref(String name, String variable) {
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        JsonNode parameter = template.root().path("Parameters").get(name);
        if (parameter != null) {
            String fromProcess = variable == null ? null : processEnv.apply(variable);
            if (fromProcess != null && !fromProcess.isBlank()) {
                return fromProcess;
            }
            JsonNode defaultValue = parameter.get("Default");
            if (defaultValue == null) {
                throw new IllegalArgumentException("parameter " + name + " of " + template.path()
                        + " has no Default; set " + (variable == null ? "it" : variable) + " in the environment");
            }
            return defaultValue.isValueNode() ? defaultValue.asText() : defaultValue.toString();
        }
        String value = refs.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Ref " + name + " in " + template.path()
                    + " names no parameter and no resource the local stack knows");
        }
        return value;
    }

    private String getAtt(JsonNode argument) {
        String logicalId;
        String attribute;
        if (argument.isArray() && argument.size() == 2) {
            logicalId = argument.get(0).asText();
            attribute = argument.get(1).asText();
        } else if (argument.isTextual() && argument.asText().contains(".")) {
            String text = argument.asText();
            logicalId = text.substring(0, text.indexOf('.'));
            attribute = text.substring(text.indexOf('.') + 1);
        } else {
            throw new IllegalArgumentException("malformed Fn::GetAtt " + argument + " in " + template.path());
        }
        return attribute(logicalId, attribute);
    }

    private String attribute(String logicalId, String attribute) {
        String value = attributes.get(logicalId + "." + attribute);
        if (value == null) {
            throw new IllegalArgumentException("Fn::GetAtt " + logicalId + "." + attribute + " in " + template.path()
                    + " names nothing the local stack knows");
        }
        return value;
    }

    private String sub(JsonNode argument, String variable) {
        String text;
        Map<String, String> values = new LinkedHashMap<>();
        if (argument.isTextual()) {
            text = argument.asText();
        } else if (argument.isArray() && argument.size() == 2) {
            text = argument.get(0).asText();
            argument.get(1).properties().forEach(entry -> values.put(entry.getKey(), resolve(entry.getValue(), variable)));
        } else {
            throw new IllegalArgumentException("malformed Fn::Sub " + argument + " in " + template.path());
        }
        Matcher matcher = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(2).trim();
            String replacement;
            if (!matcher.group(1).isEmpty()) {
                replacement = "${" + name + "}"; // ${!Literal} stands for the text ${Literal}
            } else if (values.containsKey(name)) {
                replacement = values.get(name);
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                replacement = attribute(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                replacement = ref(name, variable);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String join(JsonNode argument, String variable) {
        if (!argument.isArray() || argument.size() != 2 || !argument.get(1).isArray()) {
            throw new IllegalArgumentException("malformed Fn::Join " + argument + " in " + template.path());
        }
        List<String> parts = new ArrayList<>();
        argument.get(1).forEach(part -> parts.add(resolve(part, variable)));
        return String.join(argument.get(0).asText(), parts);
    }

    private String select(JsonNode argument, String variable) {
        if (!argument.isArray() || argument.size() != 2 || !argument.get(1).isArray()) {
            throw new IllegalArgumentException("malformed Fn::Select " + argument + " in " + template.path());
        }
        int index = Integer.parseInt(resolve(argument.get(0), variable));
        return resolve(argument.get(1).get(index), variable);
    }
}
