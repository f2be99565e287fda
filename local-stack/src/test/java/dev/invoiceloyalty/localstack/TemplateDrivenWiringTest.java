package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.local.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack is wired from the template alone: every Handler of the repository's template resolves in its jar, and a
 * fixture template with a function and a schedule the stack's code has never heard of is served as it stands.
 */
class TemplateDrivenWiringTest {
    private static LocalStack stack;
    private static Http http;

    @BeforeAll
    static void start() {
        Path fixture = Repository.resource("/fixture-template.yaml");
        Repository.requireJars(fixture, Repository.root());
        stack = LocalStack.start(Options.builder().port(0).template(fixture).codeRoot(Repository.root())
                .endpoint(Repository.endpoint()).build());
        http = new Http(stack.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void givenTheRepositoryTemplate_whenEachHandlerIsResolvedInItsCodeUriJar_thenTheClassAndMethodExist() throws Exception {
        Repository.requireJars(Repository.template(), Repository.root());
        SamTemplate template = SamTemplate.load(Repository.template());
        List<String> checked = new ArrayList<>();
        for (SamTemplate.FunctionDef function : template.functions()) {
            Path jar = Repository.root().resolve(function.codeUri());
            try (URLClassLoader loader = new URLClassLoader(new java.net.URL[]{jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader())) {
                HandlerMethod handler = HandlerMethod.resolve(function.handler(), loader);
                assertEquals(function.handler().substring(function.handler().indexOf("::") + 2), handler.method().getName());
                checked.add(function.logicalId());
            }
        }
        assertTrue(checked.containsAll(List.of("InvoiceApiFunction", "MailerFunction")), "checked " + checked);
    }

    @Test
    void givenAFunctionTheStackCodeNeverNames_whenItsRouteIsCalled_thenItsHandlerAnswers() {
        // The mailer's handler behind an HttpApi route: the event has no Records, so no item failed.
        HttpResponse<String> response = http.json("POST", "/previews/mail-batch", "{}");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(0, Http.tree(response).path("batchItemFailures").size());
        assertTrue(Http.tree(response).path("batchItemFailures").isArray());
        assertTrue(stack.functionIds().contains("MailBatchPreviewFunction"));
    }

    @Test
    void givenAScheduleV2Event_whenTriggeredForATime_thenTheFunctionGetsItsInputWithThatTime() {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/MailerFunction",
                "{\"time\":\"2026-11-23T06:00:00Z\",\"schedule\":\"ReplayProbe\"}");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = Http.tree(response);
        assertEquals("MailerFunction", answer.path("function").asText());
        assertEquals("ReplayProbe", answer.path("schedule").asText());
        assertEquals("2026-11-23T06:00:00Z", answer.path("time").asText());
        // The Input's one record is not a mail message: reported failed under the id the scheduled time filled in.
        assertEquals("2026-11-23T06:00:00Z", answer.at("/result/batchItemFailures/0/itemIdentifier").asText());
    }

    @Test
    void givenABodyWithoutTime_whenAScheduleIsTriggered_thenItIsA400() {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/MailerFunction", "{\"schedule\":\"ReplayProbe\"}");

        assertEquals(400, response.statusCode(), response.body());
    }

    @Test
    void givenAnUnknownScheduleName_whenTriggered_thenItIsA404() {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/MailerFunction",
                "{\"time\":\"2026-11-23T06:00:00Z\",\"schedule\":\"Nope\"}");

        assertEquals(404, response.statusCode(), response.body());
    }
}
