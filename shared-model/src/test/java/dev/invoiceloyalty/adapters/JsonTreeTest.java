package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ShortNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Json#tree} and {@link Json#write} of a tree give what our mapper's {@code readTree} and
 * {@code writeValueAsString} give, node type for node type and byte for byte, for every sample event of the
 * functions, the bundled configuration and the corners of JSON (numbers at each size, decimals with trailing zeros,
 * duplicate names, empty input, trailing content, deep nesting, malformed input); and in a fresh JVM, reading and
 * writing JSON the way the functions do never loads {@link ObjectMapper} (issue 8: building one costs ~110 ms).
 */
class JsonTreeTest {
    /** Our settings, as {@link Json#mapper()} has them: the reference. */
    private static final ObjectMapper REFERENCE = Json.configured(JsonMapper.builder()).build();

    private static final List<String> CORNERS = List.of(
            "", "   ", "null", "true", "false", "\"text\"", "0", "-0", "1", "-1", "2147483647", "2147483648",
            "-2147483649", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890",
            "1.50", "1.0", "0.000", "-0.0", "1e10", "1.0E10", "1E-7", "-2.5e-3", "12345678901234567890.123456789",
            "{}", "[]", "{\"a\":1,\"a\":2,\"b\":3}", "{\"b\":{\"x\":1},\"a\":[],\"b\":null}",
            "[1,[2,[3,{\"k\":[]}]],\"x\",null,true,1.25]", "\"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\/\"",
            "{\"\":\"empty name\",\"\\u00e9\":\"\\u0000\"}", "{} trailing", "[1] ]", "  {\"a\" : [ 1 , 2 ] }  \n",
            "{\"amount\":12500,\"rate\":0.015,\"big\":99999999999,\"neg\":-12.50}",
            "[" + "[".repeat(400) + "]".repeat(400) + "]");

    private static final List<String> MALFORMED = List.of(
            "{", "[1,", "{\"a\" 1}", "tru", "NaN", "01", "{\"a\":}", "[1 2]", "\"unterminated", "{'a':1}",
            "[".repeat(1100) + "]".repeat(1100));

    @Test
    void treesAreTheMappersTreesForEverySampleEventAndTheConfiguration() throws Exception {
        List<Path> files = samples();
        assertTrue(files.size() >= 20, "the sample events are found: " + files);
        for (Path file : files) {
            sameTree(Files.readString(file), file.toString());
        }
    }

    @Test
    void treesAreTheMappersTreesAtTheCornersOfJson() throws Exception {
        for (String json : CORNERS) {
            sameTree(json, json.length() > 60 ? json.substring(0, 60) + "..." : json);
        }
    }

    @Test
    void malformedInputFailsAsTheMapperFails() {
        for (String json : MALFORMED) {
            String label = json.length() > 30 ? json.substring(0, 30) + "..." : json;
            Class<?> expected = failure(() -> REFERENCE.readTree(json), label);
            assertEquals(expected, failure(() -> Json.tree(json), label), label);
            assertEquals(expected, failure(() -> Json.tree(json.getBytes(StandardCharsets.UTF_8)), label), label);
            assertEquals(expected, failure(() -> Json.tree(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))),
                    label), label);
        }
    }

    @Test
    void treesOfEveryNodeTypeAreWrittenAsTheMapperWritesThem() throws Exception {
        ObjectNode built = Json.object();
        built.put("int", 7).put("long", 9_000_000_000L).put("decimal", new java.math.BigDecimal("10.50"))
                .put("bigint", new java.math.BigInteger("123456789012345678901234567890"))
                .put("text", "a \"quoted\" \u00e9 \u2028 </script>").put("yes", true).putNull("nothing");
        built.set("double", DoubleNode.valueOf(0.1));
        built.set("float", FloatNode.valueOf(2.5f));
        built.set("short", ShortNode.valueOf((short) 3));
        built.set("binary", BinaryNode.valueOf(new byte[]{0, 1, 2, (byte) 250}));
        ArrayNode list = built.putArray("list");
        list.add(1).add("two").addNull().add(MissingNode.getInstance()).addObject().put("nested", 1.0);
        assertEquals(REFERENCE.writeValueAsString(built), Json.write(built));
        assertEquals(REFERENCE.writeValueAsString(built), new String(Json.bytes(built), StandardCharsets.UTF_8));
        // Trees inside our values (a map holding a tree, as answers do) too, and the boxed floating-point numbers
        // that FastJson now writes itself.
        Map<String, Object> answer = Map.of("tree", built, "double", 0.1, "float", 2.5f, "nan", Double.NaN);
        assertEquals(REFERENCE.writeValueAsString(answer), Json.write(answer));
    }

    @Test
    void aFreshJvmReadsAndWritesAsTheFunctionsDoWithoutLoadingTheMapper() throws Exception {
        Path log = Files.createTempFile("json-cold-path", ".log");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                    JsonColdPath.class.getName())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM ends");
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains(JsonColdPath.DONE), out);
            String loaded = Files.readString(log);
            assertTrue(loaded.contains("dev.invoiceloyalty.adapters.Json "), "the class-load log is written");
            assertTrue(loaded.contains("com.fasterxml.jackson.databind.node.ObjectNode "), "trees were built");
            assertFalse(loaded.contains("com.fasterxml.jackson.databind.ObjectMapper "),
                    "no ObjectMapper on the functions' JSON paths");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void sameTree(String json, String label) throws Exception {
        JsonNode expected = REFERENCE.readTree(json);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (JsonNode actual : List.of(Json.tree(json), Json.tree(bytes), Json.tree(new ByteArrayInputStream(bytes)))) {
            sameNode(expected, actual, label + " at $");
            if (!expected.isMissingNode()) {
                assertEquals(REFERENCE.writeValueAsString(expected), Json.write(actual), label);
            }
        }
    }

    /** Equal, with the same node class at every position (equals alone lets 1.5 and 1.50 pass in some versions). */
    private static void sameNode(JsonNode expected, JsonNode actual, String at) {
        assertNotNull(actual, at);
        assertEquals(expected.getClass(), actual.getClass(), at);
        assertEquals(expected, actual, at);
        if (expected.isBigDecimal()) {
            assertEquals(expected.decimalValue().scale(), actual.decimalValue().scale(), at + " (scale)");
        }
        if (expected.isObject()) {
            assertEquals(names(expected), names(actual), at + " (names in order)");
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sameNode(e.getValue(), actual.get(e.getKey()), at + "." + e.getKey());
            }
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                sameNode(expected.get(i), actual.get(i), at + "[" + i + "]");
            }
        }
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private interface Parse {
        Object run() throws IOException;
    }

    private static Class<?> failure(Parse parse, String label) {
        try {
            parse.run();
        } catch (JsonProcessingException e) {
            return e.getClass();
        } catch (IOException e) {
            fail(label + ": not a JSON processing failure: " + e);
        }
        fail(label + ": read without failing");
        return null;
    }

    /** Every function's sample events and the bundled configuration, from the repository. */
    private static List<Path> samples() throws IOException {
        Path events = Path.of("..", "events");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(events)) {
            walk.filter(p -> p.toString().endsWith(".json")).sorted().forEach(out::add);
        }
        out.add(Path.of("src", "main", "resources", "config", "program.json"));
        return out;
    }
}
