package dev.invoiceloyalty.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamTemplateTest {

    static List<SamTemplate> templates() {
        return Templates.all().toList();
    }

    @Test
    void GIVEN_the_fixture_WHEN_functions_are_read_THEN_each_has_handler_code_uri_events_and_merged_environment() {
        SamTemplate template = Templates.fixture();

        List<SamTemplate.FunctionDef> functions = template.functions();

        assertEquals(List.of("InvoiceApiFunction", "MailerFunction"),
                functions.stream().map(SamTemplate.FunctionDef::logicalId).toList());
        SamTemplate.FunctionDef api = functions.get(0);
        assertEquals("dev.invoiceloyalty.api.InvoiceApiHandler::handleRequest", api.handler());
        assertEquals("functions/invoice-api/target/invoice-api-lambda.jar", api.codeUri());
        // Globals first, the function's own after; its own value wins; intrinsics stay as JSON.
        assertEquals(Map.of(
                "TABLE_NAME", "{\"Ref\":\"InvoiceTable\"}",
                "MAIL_QUEUE_URL", "{\"Ref\":\"MailQueue\"}",
                "FROM_EMAIL", "{\"Ref\":\"FromEmail\"}",
                "LOG_LEVEL", "DEBUG",
                "EVENT_BUS_NAME", "{\"Ref\":\"IntegrationEventBus\"}"), api.environment());
        assertEquals(List.of("TABLE_NAME", "MAIL_QUEUE_URL", "FROM_EMAIL", "LOG_LEVEL", "EVENT_BUS_NAME"),
                List.copyOf(api.environment().keySet()));
        assertEquals(List.of("CreateInvoice:HttpApi", "GetInvoice:HttpApi"),
                api.events().stream().map(e -> e.name() + ":" + e.type()).toList());
        assertEquals("/invoices/{invoiceId}", api.events().get(1).properties().get("Path").asText());

        SamTemplate.EventDef sqs = functions.get(1).events().get(0);
        assertEquals("SQS", sqs.type());
        assertEquals("MailQueue", sqs.properties().get("Queue").get("Fn::GetAtt").get(0).asText());
        assertEquals("INFO", functions.get(1).environment().get("LOG_LEVEL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_the_template_WHEN_resources_are_listed_by_type_THEN_the_table_queues_and_functions_are_found(SamTemplate template) {
        assertEquals(List.of("InvoiceTable"), template.tableLogicalIds());
        assertTrue(template.queueLogicalIds().containsAll(List.of("MailQueue", "MailDeadLetterQueue")), template.queueLogicalIds().toString());
        List<String> functions = template.functions().stream().map(SamTemplate.FunctionDef::logicalId).toList();
        assertTrue(functions.containsAll(List.of("InvoiceApiFunction", "MailerFunction")), functions.toString());
        assertEquals("AWS::Events::EventBus", template.resource("IntegrationEventBus").get("Type").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_the_template_WHEN_a_function_environment_is_read_THEN_globals_are_inherited(SamTemplate template) {
        Map<String, String> environment = template.function("MailerFunction").environment();

        assertEquals("{\"Ref\":\"InvoiceTable\"}", environment.get("TABLE_NAME"));
        assertEquals("{\"Ref\":\"FromEmail\"}", environment.get("FROM_EMAIL"));
    }

    @Test
    void GIVEN_a_missing_resource_WHEN_it_is_asked_for_THEN_the_error_names_it_and_the_file() {
        SamTemplate template = Templates.fixture();

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> template.resource("Nope"));

        assertTrue(error.getMessage().contains("Nope") && error.getMessage().contains("fixture-template.yaml"), error.getMessage());
    }

    @Test
    void GIVEN_a_template_with_a_short_form_tag_WHEN_loaded_THEN_it_is_refused_with_the_line(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, String.join("\n",
                "Resources:",
                "  # a comment may mention !Ref freely",
                "  Fn:",
                "    Type: AWS::Serverless::Function",
                "    Properties:",
                "      Environment:",
                "        Variables:",
                "          TABLE_NAME: !Ref InvoiceTable",
                ""));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SamTemplate.load(file));

        assertTrue(error.getMessage().contains("template.yaml:8") && error.getMessage().contains("!Ref"), error.getMessage());
    }

    @Test
    void GIVEN_tests_run_in_this_module_WHEN_the_template_is_located_THEN_it_is_the_repository_root_one() {
        Path root = Path.of("").toAbsolutePath().getParent();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(root.resolve("template.yaml")),
                "the repository's template.yaml is not there yet");

        assertEquals(root.resolve("template.yaml"), SamTemplate.locate());
    }
}
