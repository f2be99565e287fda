package dev.invoiceloyalty.reminders.sweep;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An estimate of an item's size as DynamoDB counts it toward the 4 MB of a transaction: the UTF-8 bytes of each
 * attribute name and value, numbers by their digits, booleans and nulls one byte, lists and maps three bytes plus
 * their elements (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 * It errs on the large side (a number's digits, not DynamoDB's packed form), so a group it passes fits.
 */
final class ItemSize {
    private ItemSize() {
    }

    /** The estimated bytes of the item a transaction action puts (or of its key, for the other actions). */
    static long of(TransactWriteItem write) {
        if (write.put() != null) {
            return of(write.put().item());
        }
        if (write.update() != null) {
            return of(write.update().key());
        }
        if (write.delete() != null) {
            return of(write.delete().key());
        }
        return write.conditionCheck() == null ? 0 : of(write.conditionCheck().key());
    }

    static long of(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (var e : item.entrySet()) {
            bytes += utf8(e.getKey()) + of(e.getValue());
        }
        return bytes;
    }

    static long of(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return v.n().length() + 1L;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        long bytes = 0;
        if (v.hasM()) {
            bytes = 3 + of(v.m()) + v.m().size();
        } else if (v.hasL()) {
            bytes = 3 + v.l().size();
            for (AttributeValue element : v.l()) {
                bytes += of(element);
            }
        } else if (v.hasSs()) {
            bytes = v.ss().stream().mapToLong(ItemSize::utf8).sum();
        } else if (v.hasNs()) {
            bytes = v.ns().stream().mapToLong(n -> n.length() + 1L).sum();
        } else if (v.hasBs()) {
            bytes = v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
        }
        return bytes;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
