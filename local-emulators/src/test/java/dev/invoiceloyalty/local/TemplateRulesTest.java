package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules SPEC §2 and the foundation issue set for template.yaml, checked on the real file: cfn-lint proves it
 * is a valid template; these prove it is the template we promised.
 */
class TemplateRulesTest {
    private final SamTemplate template = SamTemplate.load(SamTemplate.locate());

    private int timeoutOf(String functionLogicalId) {
        JsonNode own = template.resource(functionLogicalId).path("Properties").path("Timeout");
        return own.isMissingNode() ? template.root().path("Globals").path("Function").path("Timeout").asInt(3) : own.asInt();
    }

    /**
     * Issue 8: every function starts with C1 only. SAM merges environment variables by name, so a function that sets
     * its own JAVA_TOOL_OPTIONS replaces the Globals value and must repeat the options.
     */
    @Test
    void everyFunctionRunsWithTheC1OnlyJvmOptions() {
        List<String> without = new ArrayList<>();
        for (var f : template.functions()) {
            String options = f.environment().getOrDefault("JAVA_TOOL_OPTIONS", "");
            if (!options.contains("-XX:+TieredCompilation") || !options.contains("-XX:TieredStopAtLevel=1")) {
                without.add(f.logicalId() + ": " + options);
            }
        }
        assertEquals(List.of(), without);
    }

    @Test
    void noPolicyStatementGrantsAWildcardActionOrResourceOfAllAccounts() {
        List<String> offending = new ArrayList<>();
        for (var f : template.functions()) {
            for (JsonNode policy : template.resource(f.logicalId()).path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    JsonNode actions = statement.path("Action");
                    for (JsonNode a : actions.isArray() ? actions : List.of(actions)) {
                        if (a.asText().contains("*")) {
                            offending.add(f.logicalId() + ": " + a.asText());
                        }
                    }
                    JsonNode resources = statement.path("Resource");
                    for (JsonNode r : resources.isArray() ? resources : List.of(resources)) {
                        if (r.isTextual() && r.asText().equals("*")) {
                            offending.add(f.logicalId() + ": Resource *");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), offending);
    }

    @Test
    void everyQueueThatIsNotADeadLetterQueueRedrivesToOneAfterFiveReceives() {
        List<String> deadLetterQueues = new ArrayList<>();
        for (String q : template.queueLogicalIds()) {
            JsonNode redrive = template.resource(q).path("Properties").path("RedrivePolicy");
            if (!redrive.isMissingNode()) {
                assertEquals(5, redrive.path("maxReceiveCount").asInt(), q);
                deadLetterQueues.add(redrive.path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText());
            }
        }
        // Queues that catch what EventBridge Scheduler could not deliver, and a stream mapping's on-failure
        // destination, are dead-letter queues too.
        for (var f : template.functions()) {
            for (var e : f.events()) {
                JsonNode dlq = e.properties().path("DeadLetterConfig").path("Arn").path("Fn::GetAtt");
                if (dlq.isArray()) {
                    deadLetterQueues.add(dlq.get(0).asText());
                }
                JsonNode onFailure = e.properties().path("DestinationConfig").path("OnFailure").path("Destination")
                        .path("Fn::GetAtt");
                if (onFailure.isArray()) {
                    deadLetterQueues.add(onFailure.get(0).asText());
                }
            }
        }
        for (String q : template.queueLogicalIds()) {
            boolean isDlq = deadLetterQueues.contains(q);
            boolean hasRedrive = !template.resource(q).path("Properties").path("RedrivePolicy").isMissingNode();
            assertTrue(isDlq || hasRedrive, q + " has no dead-letter queue");
        }
    }

    @Test
    void everySqsConsumerReportsBatchItemFailuresAndItsQueueWaitsSixTimesItsTimeout() {
        int consumers = 0;
        for (var f : template.functions()) {
            for (var e : f.events()) {
                if (!e.type().equals("SQS")) {
                    continue;
                }
                consumers++;
                List<String> types = new ArrayList<>();
                e.properties().path("FunctionResponseTypes").forEach(t -> types.add(t.asText()));
                assertEquals(List.of("ReportBatchItemFailures"), types, f.logicalId());
                String queue = e.properties().path("Queue").path("Fn::GetAtt").get(0).asText();
                int visibility = template.resource(queue).path("Properties").path("VisibilityTimeout").asInt(30);
                assertTrue(visibility >= 6 * timeoutOf(f.logicalId()),
                        queue + " visibility " + visibility + " < 6 × " + timeoutOf(f.logicalId()));
            }
        }
        assertTrue(consumers >= 1);
    }

    @Test
    void everyScheduleHandsItsScheduledTimeToTheFunctionAndHasRetriesAndADeadLetterQueue() {
        int schedules = 0;
        for (var f : template.functions()) {
            for (var e : f.events()) {
                if (!e.type().equals("ScheduleV2")) {
                    continue;
                }
                schedules++;
                assertTrue(e.properties().path("Input").asText().contains("<aws.scheduler.scheduled-time>"), e.name());
                assertFalse(e.properties().path("ScheduleExpressionTimezone").asText().isEmpty(), e.name());
                assertTrue(e.properties().path("RetryPolicy").path("MaximumRetryAttempts").asInt() > 0, e.name());
                assertTrue(e.properties().path("DeadLetterConfig").has("Arn"), e.name());
            }
        }
        assertTrue(schedules >= 1);
    }

    @Test
    void functionsRunOnJava21WithSnapStartOnPublishedVersions() {
        JsonNode globals = template.root().path("Globals").path("Function");
        assertEquals("java21", globals.path("Runtime").asText());
        assertEquals("PublishedVersions", globals.path("SnapStart").path("ApplyOn").asText());
        assertFalse(globals.path("AutoPublishAlias").asText().isEmpty());
    }

    @Test
    void clientRoutesUseIamAuthAndOnlyWebhooksOptOut() {
        JsonNode api = template.resource("HttpApi").path("Properties").path("Auth");
        assertEquals("AWS_IAM", api.path("DefaultAuthorizer").asText());
        for (var f : template.functions()) {
            for (var e : f.events()) {
                if (!e.type().equals("HttpApi")) {
                    continue;
                }
                String path = e.properties().path("Path").asText();
                String authorizer = e.properties().path("Auth").path("Authorizer").asText("");
                if (path.startsWith("/webhooks/")) {
                    assertEquals("NONE", authorizer, path);
                } else {
                    assertTrue(authorizer.isEmpty() || authorizer.equals("AWS_IAM"), path + " uses " + authorizer);
                }
            }
        }
    }

    @Test
    void everyFunctionCodeUriIsItsShadedJarAndItsHandlerIsAClassMethod() {
        for (var f : template.functions()) {
            assertTrue(f.codeUri().matches("functions/[a-z-]+/target/[a-z-]+-lambda\\.jar"), f.codeUri());
            assertTrue(f.handler().matches("[a-z.]+\\.[A-Z][A-Za-z]+::[a-zA-Z]+"), f.handler());
        }
    }
}
