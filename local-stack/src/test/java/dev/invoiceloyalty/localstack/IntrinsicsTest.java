package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.local.SamTemplate;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IntrinsicsTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(Repository.resource("/fixture-template.yaml"));

    private static Intrinsics intrinsics(Map<String, String> processEnv) {
        Intrinsics intrinsics = new Intrinsics(TEMPLATE, Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "000000000000",
                "AWS::StackName", "invoice-loyalty", "AWS::Partition", "aws"), processEnv::get);
        intrinsics.defineRef("MailQueue", "http://127.0.0.1:9324/000000000000/MailQueue");
        intrinsics.defineAttribute("MailQueue", "Arn", "arn:aws:sqs:us-east-1:000000000000:MailQueue");
        intrinsics.defineAttribute("InvoiceTable", "Arn", "arn:aws:dynamodb:us-east-1:000000000000:table/t");
        return intrinsics;
    }

    private static JsonNode yaml(String text) throws Exception {
        return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(text);
    }

    @Test
    void givenARefToAParameter_whenTheVariableIsNotInTheProcessEnvironment_thenItIsTheDefault() throws Exception {
        assertEquals("billing@example.com", intrinsics(Map.of()).resolve(yaml("Ref: FromEmail"), "FROM_EMAIL"));
    }

    @Test
    void givenARefToAParameter_whenTheProcessSetsTheVariable_thenThatWins() throws Exception {
        assertEquals("me@shop.example", intrinsics(Map.of("FROM_EMAIL", "me@shop.example"))
                .resolve(yaml("Ref: FromEmail"), "FROM_EMAIL"));
    }

    @Test
    void givenRefAndGetAttOfAQueue_whenResolved_thenTheyAreItsUrlAndArn() throws Exception {
        Intrinsics intrinsics = intrinsics(Map.of());

        assertEquals("http://127.0.0.1:9324/000000000000/MailQueue", intrinsics.resolve(yaml("Ref: MailQueue"), null));
        assertEquals("arn:aws:sqs:us-east-1:000000000000:MailQueue",
                intrinsics.resolve(yaml("Fn::GetAtt: [MailQueue, Arn]"), null));
    }

    @Test
    void givenASub_whenResolved_thenPseudoParametersAttributesAndLiteralsAreFilledIn() throws Exception {
        assertEquals("invoice-loyalty-integration us-east-1 arn:aws:dynamodb:us-east-1:000000000000:table/t/index/* ${Keep}",
                intrinsics(Map.of()).resolve(yaml(
                        "Fn::Sub: \"${AWS::StackName}-integration ${AWS::Region} ${InvoiceTable.Arn}/index/* ${!Keep}\""), null));
    }

    @Test
    void givenAnUnknownResource_whenResolved_thenTheErrorNamesIt() throws Exception {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> intrinsics(Map.of()).resolve(yaml("Ref: NoSuchThing"), null));
        org.junit.jupiter.api.Assertions.assertTrue(error.getMessage().contains("NoSuchThing"));
    }
}
