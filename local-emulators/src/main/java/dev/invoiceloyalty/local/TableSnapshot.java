package dev.invoiceloyalty.local;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Every item of a table in a stable order (pk, then sk): the "nothing written" and "same end state" oracle of the
 * tests. A Scan is fine here; the product never scans.
 */
public final class TableSnapshot {
    private TableSnapshot() {
    }

    public static List<Map<String, AttributeValue>> of(DynamoDbClient ddb, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            final Map<String, AttributeValue> from = start;
            var r = ddb.scan(ScanRequest.builder().tableName(table).consistentRead(true).exclusiveStartKey(from).build());
            items.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        items.sort(Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s()).thenComparing(i -> i.get("sk").s()));
        return items;
    }
}
