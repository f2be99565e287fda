package dev.invoiceloyalty.api;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.http.ApiGatewayHttp;
import dev.invoiceloyalty.http.HttpResponse;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingHttp;
import dev.invoiceloyalty.snapstart.PrimingResource;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.snapstart.Priming.expect;
import static dev.invoiceloyalty.snapstart.PrimingSamples.ABSENT_ID;

/**
 * SnapStart priming of {@code InvoiceApiFunction}: runs the create-invoice route through the real {@link InvoiceApi}
 * up to its validation, the read routes on ids that cannot exist, and then, in memory, what a creation does after its
 * reads: {@code InvoiceFactory}, the issued email, the stored item and the transaction with its outbox item, and the
 * 201 answer. Only reads reach the table (GetItem, Query); the transaction is built, never sent. There are no sends to
 * prime: the function announces its emails and events through the outbox item, and {@code OutboxRelayFunction}
 * sends them from the table's stream.
 */
final class InvoiceApiPriming extends PrimingResource {
    /** The Idempotency-Key of the primed creation. Its body can never be stored (see the step), so no replay runs. */
    static final String IDEMPOTENCY_KEY = "snapstart-priming";

    private final InvoiceApi api;

    InvoiceApiPriming(InvoiceApi api) {
        super("invoice-api");
        this.api = api;
    }

    @Override
    protected void prime(Priming.Run run) {
        InvoiceApi.Dependencies d = api.dependencies();
        // The create route up to validation: transport checks, request hash, the idempotency GetItem, every field
        // rule. The body's customerId is not a valid id, so it ends in 400 before any write; and an idempotency record
        // is stored only by a successful creation, so none can ever hold this body's hash (a replay needs one).
        run.step("create-invoice-route", () -> {
            var r = call("POST", "/invoices", InvoiceApi.CREATE_INVOICE, Map.of(),
                    Map.of("idempotency-key", IDEMPOTENCY_KEY), PrimingSamples.createInvoiceBody(ABSENT_ID));
            expect(r.status() == 400 && r.body().contains("customerId"), "400 on customerId, got " + r.body());
        });
        run.step("get-invoice-route", () -> {
            var r = call("GET", "/invoices/priming", InvoiceApi.GET_INVOICE, Map.of("invoiceId", ABSENT_ID), Map.of(), null);
            expect(r.status() == 404, "404 for an absent invoice, got " + r.status());
        });
        run.step("get-customer-route", () -> {
            var r = call("GET", "/customers/priming", InvoiceApi.GET_CUSTOMER, Map.of("customerId", ABSENT_ID), Map.of(),
                    null);
            expect(r.status() == 404, "404 for an absent customer, got " + r.status());
        });
        // The other read of a creation: the customer's open credit lots (a Query).
        run.step("credit-lots-read", () -> expect(new DynamoDbCustomerStore(d.dynamoDb(), d.table())
                .openCreditLots(ABSENT_ID, PrimingSamples.CURRENCY, d.clock().instant()).isEmpty(), "no lots"));

        Invoice[] invoice = new Invoice[1];
        Customer[] customer = new Customer[1];
        List<OutboxMessage> messages = new ArrayList<>();
        run.step("invoice-factory", () -> {
            customer[0] = PrimingSamples.customer(d.config());
            invoice[0] = PrimingSamples.invoice(d.config());
            expect(invoice[0].total() > 0, "an invoice with a total");
        });
        run.step("invoice-issued-email", () -> {
            MailMessage mail = new Emails(d.config(), d.businessName()).invoiceIssued(invoice[0], customer[0]);
            messages.add(OutboxMessage.mail(mail.emailId(), Json.write(mail)));
            messages.add(OutboxMessage.event("InvoiceCreated#" + invoice[0].invoiceId(), "InvoiceCreated",
                    Json.write(invoice[0])));
            expect(Json.read(messages.get(0).body(), MailMessage.class).model().size() > 0, "a mail model");
        });
        run.step("create-transaction-request", () -> {
            TransactWriteItemsRequest request = createTransaction(d.table(), invoice[0], messages);
            expect(request.transactItems().size() == 5, "the creation's items: four and one outbox item");
            Map<String, AttributeValue> outbox = request.transactItems().get(4).put().item();
            expect(OutboxItems.RELAY_OUTBOX.equals(outbox.get(OutboxItems.RELAY).s())
                    && outbox.get(OutboxItems.MESSAGES).l().size() == messages.size(), "the outbox item's messages");
        });
        run.step("created-response", () -> {
            String body = Json.write(invoice[0]);
            var out = new java.io.ByteArrayOutputStream();
            ApiGatewayHttp.writeResponse(HttpResponse.json(201, body)
                    .withHeader("location", "/invoices/" + invoice[0].invoiceId()), out);
            var answer = Json.tree(out.toByteArray());
            expect(Json.read(answer.path("body").asText(), Invoice.class).equals(invoice[0]),
                    "the invoice read back from its JSON");
        });
    }

    private PrimingHttp.Answer call(String method, String path, String route, Map<String, String> pathParameters,
                                    Map<String, String> headers, String body) {
        return PrimingHttp.call(api::handle, PrimingHttp.event(method, path, route, pathParameters, headers, body));
    }

    /**
     * The shape of {@link DynamoDbInvoiceStore#create}'s transaction: counter, invoice, idempotency, customer, and one
     * outbox item carrying every message.
     */
    private static TransactWriteItemsRequest createTransaction(String table, Invoice inv, List<OutboxMessage> messages) {
        String pk = Keys.invoicePk(inv.invoiceId());
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Attr.key(Keys.invoiceCounterPk(2026), Keys.COUNTER_SK))
                .updateExpression("SET #last = :next").conditionExpression("#last = :previous")
                .expressionAttributeNames(Map.of("#last", "last"))
                .expressionAttributeValues(Map.of(":next", Attr.n(2), ":previous", Attr.n(1))).build()).build());
        Map<String, AttributeValue> item = DynamoDbInvoiceStore.encode(inv);
        item.put("version", Attr.n(1));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        Map<String, AttributeValue> idempotency = new HashMap<>(Attr.key(
                Keys.idempotencyPk(InvoiceService.CREATE_SCOPE, IDEMPOTENCY_KEY), Keys.IDEMPOTENCY_SK));
        idempotency.put("responseBody", Attr.s(Json.write(inv)));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(idempotency)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        writes.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                .key(Attr.key(Keys.customerPk(inv.customerId()), Keys.CUSTOMER_PROFILE_SK))
                .conditionExpression("attribute_exists(pk)").build()).build());
        writes.add(OutboxItems.put(table, pk, messages, inv.createdAt()));
        return TransactWriteItemsRequest.builder().transactItems(writes).build();
    }
}
