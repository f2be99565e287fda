package dev.invoiceloyalty.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.invoiceloyalty.adapters.Json;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The Idempotency-Key body hash: the canonical form written from the tree is byte for byte what Jackson writes for the
 * body read as plain maps with sorted keys (the form before issue 8), so key order and whitespace never make "another
 * body", and a different value always does.
 */
class RequestHashTest {
    private static String jacksonHash(JsonNode body) throws Exception {
        Object plain = Json.mapper().treeToValue(body, Object.class);
        byte[] canonical = Json.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(plain);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    }

    @Test
    void GIVEN_bodies_of_every_json_kind_WHEN_hashed_THEN_the_hash_is_that_of_the_sorted_plain_form() throws Exception {
        for (String body : List.of(
                "{\"customerId\":\"c1\",\"currency\":\"EUR\",\"lineItems\":[{\"description\":\"Größe \\\"x\\\"\\n\",\"quantity\":\"1.5\","
                        + "\"unitAmount\":1000,\"taxRate\":\"19\"}],\"netDays\":30}",
                "{\"b\":1,\"a\":{\"z\":[3,2,1],\"y\":null,\"x\":true,\"B\":false,\"_\":\"\"}}",
                "{\"big\":123456789012345678901234567890,\"long\":12345678901,\"neg\":-7,\"dec\":1.50,\"exp\":1e3,\"zero\":0.0}",
                "{\"emoji\":\"\\ud83d\\ude00\",\"ctrl\":\"\\u0001\",\"slash\":\"a/b\\\\c\"}",
                "[]", "{}", "\"text\"", "42")) {
            JsonNode tree = Json.mapper().readTree(body);

            assertEquals(jacksonHash(tree), InvoiceService.requestHash(tree), body);
        }
    }

    @Test
    void GIVEN_the_same_body_reordered_or_reformatted_WHEN_hashed_THEN_the_hash_is_the_same_and_another_value_differs()
            throws Exception {
        String a = InvoiceService.requestHash(Json.mapper().readTree("{\"a\":1,\"b\":{\"d\":[1,2],\"c\":\"x\"}}"));
        String b = InvoiceService.requestHash(Json.mapper().readTree(" { \"b\" : { \"c\":\"x\", \"d\":[1, 2] }, \"a\":1 } "));
        String c = InvoiceService.requestHash(Json.mapper().readTree("{\"a\":1,\"b\":{\"d\":[2,1],\"c\":\"x\"}}"));

        assertEquals(a, b);
        assertNotEquals(a, c);
    }
}
