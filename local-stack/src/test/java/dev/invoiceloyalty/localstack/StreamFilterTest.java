package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lambda's event filtering, the subset the local stack implements, on DynamoDB stream records. */
class StreamFilterTest {
    /** The template's OutboxStream filter. */
    private static final String OUTBOX = "{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"NewImage\": {\"relay\": {\"S\": [\"outbox\"]}}}}";

    private static JsonNode json(String text) {
        try {
            return HttpApiEvents.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StreamFilter filter(String... patterns) {
        ObjectNode criteria = HttpApiEvents.JSON.createObjectNode();
        ArrayNode filters = criteria.putArray("Filters");
        for (String pattern : patterns) {
            filters.addObject().put("Pattern", pattern);
        }
        return StreamFilter.of(criteria);
    }

    private static JsonNode record(String eventName, String newImage) {
        return json("{\"eventID\":\"1\",\"eventName\":\"" + eventName + "\",\"eventSource\":\"aws:dynamodb\","
                + "\"dynamodb\":{\"Keys\":{\"pk\":{\"S\":\"A\"}},\"SequenceNumber\":\"100\",\"StreamViewType\":\"NEW_IMAGE\""
                + (newImage == null ? "" : ",\"NewImage\":" + newImage) + "}}");
    }

    @Test
    void givenTheOutboxPattern_whenAnOutboxItemIsInserted_thenTheRecordIsKept() {
        JsonNode record = record("INSERT", "{\"pk\":{\"S\":\"A\"},\"relay\":{\"S\":\"outbox\"},\"messages\":{\"L\":[]}}");

        assertTrue(filter(OUTBOX).matches(record));
    }

    @Test
    void givenTheOutboxPattern_whenTheOutboxItemIsModified_thenTheRecordIsDropped() {
        JsonNode record = record("MODIFY", "{\"pk\":{\"S\":\"A\"},\"relay\":{\"S\":\"outbox\"}}");

        assertFalse(filter(OUTBOX).matches(record));
    }

    @Test
    void givenTheOutboxPattern_whenAnotherItemIsInserted_thenTheRecordIsDropped() {
        assertFalse(filter(OUTBOX).matches(record("INSERT", "{\"pk\":{\"S\":\"A\"},\"relay\":{\"S\":\"other\"}}")));
        assertFalse(filter(OUTBOX).matches(record("INSERT", "{\"pk\":{\"S\":\"A\"}}")));
        assertFalse(filter(OUTBOX).matches(record("REMOVE", null)));
    }

    @Test
    void givenANestedPatternWhereTheRecordHasALeaf_whenMatched_thenItIsDropped() {
        // {"relay": "outbox"} instead of {"relay": {"S": "outbox"}}: the pattern's object needs an object.
        JsonNode record = json("{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"relay\":\"outbox\"}}}");

        assertFalse(filter(OUTBOX).matches(record));
    }

    @Test
    void givenSeveralFilters_whenARecordMatchesAnyOfThem_thenItIsKept() {
        StreamFilter either = filter("{\"eventName\": [\"REMOVE\"]}", OUTBOX);

        assertTrue(either.matches(record("REMOVE", null)));
        assertTrue(either.matches(record("INSERT", "{\"relay\":{\"S\":\"outbox\"}}")));
        assertFalse(either.matches(record("MODIFY", "{\"relay\":{\"S\":\"outbox\"}}")));
    }

    @Test
    void givenAnArrayOfAllowedValues_whenTheRecordHasOneOfThem_thenItIsKept() {
        StreamFilter inserts = filter("{\"eventName\": [\"INSERT\", \"MODIFY\"]}");

        assertTrue(inserts.matches(record("INSERT", null)));
        assertTrue(inserts.matches(record("MODIFY", null)));
        assertFalse(inserts.matches(record("REMOVE", null)));
    }

    @Test
    void givenExistsTrue_whenTheFieldIsThereOrNot_thenOnlyRecordsWithItAreKept() {
        StreamFilter withMessages = filter("{\"dynamodb\": {\"NewImage\": {\"messages\": [{\"exists\": true}]}}}");

        assertTrue(withMessages.matches(record("INSERT", "{\"messages\":{\"L\":[]}}")));
        assertFalse(withMessages.matches(record("INSERT", "{\"pk\":{\"S\":\"A\"}}")));
        assertFalse(withMessages.matches(record("REMOVE", null)));
    }

    @Test
    void givenExistsFalse_whenTheFieldIsThereOrNot_thenOnlyRecordsWithoutItAreKept() {
        StreamFilter withoutTtl = filter("{\"dynamodb\": {\"NewImage\": {\"ttl\": [{\"exists\": false}]}}}");

        assertTrue(withoutTtl.matches(record("INSERT", "{\"pk\":{\"S\":\"A\"}}")));
        assertFalse(withoutTtl.matches(record("INSERT", "{\"ttl\":{\"N\":\"1700000000\"}}")));
    }

    @Test
    void givenAnExactValue_whenTheRecordHoldsAnArrayContainingIt_thenItIsKept() {
        StreamFilter tagged = filter("{\"dynamodb\": {\"NewImage\": {\"tags\": {\"SS\": [\"vip\"]}}}}");

        assertTrue(tagged.matches(record("INSERT", "{\"tags\":{\"SS\":[\"new\",\"vip\"]}}")));
        assertFalse(tagged.matches(record("INSERT", "{\"tags\":{\"SS\":[\"new\"]}}")));
    }

    @Test
    void givenNumbersBooleansAndNull_whenMatched_thenTheyCompareByValueAndType() {
        StreamFilter numbers = filter("{\"size\": [1]}");
        StreamFilter flags = filter("{\"flag\": [true]}");
        StreamFilter nulls = filter("{\"gone\": [null]}");

        assertTrue(numbers.matches(json("{\"size\": 1.0}")));
        assertFalse(numbers.matches(json("{\"size\": \"1\"}")));
        assertTrue(flags.matches(json("{\"flag\": true}")));
        assertFalse(flags.matches(json("{\"flag\": \"true\"}")));
        assertTrue(nulls.matches(json("{\"gone\": null}")));
        assertFalse(nulls.matches(json("{}")));
    }

    @Test
    void givenPrefixAnythingButAndNumeric_whenMatched_thenEachAppliesItsRule() {
        StreamFilter invoices = filter("{\"dynamodb\": {\"Keys\": {\"pk\": {\"S\": [{\"prefix\": \"INVOICE#\"}]}}}}");
        StreamFilter notRemove = filter("{\"eventName\": [{\"anything-but\": [\"REMOVE\"]}]}");
        StreamFilter range = filter("{\"amount\": [{\"numeric\": [\">\", 0, \"<=\", 100]}]}");

        assertTrue(invoices.matches(json("{\"dynamodb\":{\"Keys\":{\"pk\":{\"S\":\"INVOICE#1\"}}}}")));
        assertFalse(invoices.matches(json("{\"dynamodb\":{\"Keys\":{\"pk\":{\"S\":\"CUSTOMER#1\"}}}}")));
        assertTrue(notRemove.matches(record("INSERT", null)));
        assertFalse(notRemove.matches(record("REMOVE", null)));
        assertTrue(range.matches(json("{\"amount\": 100}")));
        assertFalse(range.matches(json("{\"amount\": 0}")));
        assertFalse(range.matches(json("{\"amount\": \"50\"}")));
    }

    @Test
    void givenNoFilterCriteria_whenMatched_thenEveryRecordIsKept() {
        StreamFilter none = StreamFilter.of(null);

        assertTrue(none.matches(record("REMOVE", null)));
        assertTrue(StreamFilter.of(json("{\"Filters\": []}")).matches(record("MODIFY", null)));
        assertEquals(List.of(), none.describe());
    }

    @Test
    void givenAnOperatorTheStackDoesNotImplement_whenTheFilterIsRead_thenItIsRefusedByName() {
        IllegalArgumentException suffix = assertThrows(IllegalArgumentException.class,
                () -> filter("{\"eventName\": [{\"suffix\": \"ERT\"}]}"));
        IllegalArgumentException or = assertThrows(IllegalArgumentException.class,
                () -> filter("{\"$or\": [{\"eventName\": [\"INSERT\"]}]}"));

        assertTrue(suffix.getMessage().contains("suffix"), suffix.getMessage());
        assertTrue(or.getMessage().contains("$or"), or.getMessage());
    }

    @Test
    void givenAPatternThatIsNotAJsonObjectOfRules_whenTheFilterIsRead_thenItIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> filter("{\"eventName\": "));
        assertThrows(IllegalArgumentException.class, () -> filter("[\"INSERT\"]"));
        assertThrows(IllegalArgumentException.class, () -> filter("{\"eventName\": \"INSERT\"}"));
        assertThrows(IllegalArgumentException.class, () -> filter("{\"eventName\": []}"));
    }
}
