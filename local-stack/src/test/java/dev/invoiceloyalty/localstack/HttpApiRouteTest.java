package dev.invoiceloyalty.localstack;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HttpApiRouteTest {
    private static final List<HttpApiRoute> ROUTES = List.of(
            HttpApiRoute.of("GET", "/customers/{customerId}", "Api", "GetCustomer"),
            HttpApiRoute.of("GET", "/customers/{customerId}/invoices", "Api", "ListInvoices"),
            HttpApiRoute.of("GET", "/customers/me", "Profile", "Me"),
            HttpApiRoute.of("ANY", "/customers/{customerId}", "Fallback", "AnyCustomer"),
            HttpApiRoute.of("ANY", "/files/{proxy+}", "Files", "Files"),
            HttpApiRoute.of("POST", "/webhooks/{provider}", "Webhooks", "Webhook"));

    @Test
    void givenAPathWithParameters_whenSelected_thenTheDecodedParametersAreTaken() {
        HttpApiRoute.Match match = HttpApiRoute.select(ROUTES, "GET", "/customers/acme%20gmbh/invoices");

        assertEquals("GET /customers/{customerId}/invoices", match.route().routeKey());
        assertEquals(Map.of("customerId", "acme gmbh"), match.pathParameters());
    }

    @Test
    void givenALiteralAndAParameterRoute_whenBothMatch_thenTheLiteralWins() {
        assertEquals("Profile", HttpApiRoute.select(ROUTES, "GET", "/customers/me").route().functionId());
    }

    @Test
    void givenANamedMethodAndAny_whenBothMatch_thenTheNamedMethodWins() {
        assertEquals("GetCustomer", HttpApiRoute.select(ROUTES, "GET", "/customers/c1").route().eventName());
        assertEquals("AnyCustomer", HttpApiRoute.select(ROUTES, "DELETE", "/customers/c1").route().eventName());
    }

    @Test
    void givenAGreedyRoute_whenADeepPathArrives_thenProxyHoldsTheRest() {
        HttpApiRoute.Match match = HttpApiRoute.select(ROUTES, "PUT", "/files/a/b/c.txt");

        assertEquals("ANY /files/{proxy+}", match.route().routeKey());
        assertEquals(Map.of("proxy", "a/b/c.txt"), match.pathParameters());
    }

    @Test
    void givenNoRouteForThePathOrMethod_whenSelected_thenNothingMatches() {
        assertNull(HttpApiRoute.select(ROUTES, "GET", "/webhooks/stripe"));
        assertNull(HttpApiRoute.select(ROUTES, "GET", "/nowhere"));
        assertNull(HttpApiRoute.select(ROUTES, "GET", "/files"));
    }

    @Test
    void givenADefaultRoute_whenNothingElseMatches_thenItServes() {
        List<HttpApiRoute> routes = List.of(HttpApiRoute.of(null, null, "Default", "Default"),
                HttpApiRoute.of("GET", "/a", "A", "A"));

        assertEquals("A", HttpApiRoute.select(routes, "GET", "/a").route().functionId());
        assertEquals("$default", HttpApiRoute.select(routes, "POST", "/b").route().routeKey());
    }
}
