package dev.invoiceloyalty.localstack;

import dev.invoiceloyalty.local.SamTemplate;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** The repository the tests run in: its template.yaml, the function jars it names, and the test mode. */
final class Repository {
    /** {@code -Dlocalstack.endpoint=http://127.0.0.1:4566} runs the end-to-end tests against that endpoint. */
    static final String ENDPOINT_PROPERTY = "localstack.endpoint";

    private Repository() {
    }

    static Path root() {
        String configured = System.getProperty("localstack.root");
        Path root = configured != null ? Path.of(configured) : SamTemplate.locate().getParent();
        return root.toAbsolutePath().normalize();
    }

    static Path template() {
        return root().resolve(SamTemplate.FILE_NAME);
    }

    static Path resource(String name) {
        try {
            return Path.of(Repository.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The external endpoint of this run, or null for the embedded stack. */
    static URI endpoint() {
        String endpoint = System.getProperty(ENDPOINT_PROPERTY);
        return endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.strip());
    }

    /** Fails with the fix when a template's function jars have not been built. */
    static void requireJars(Path template, Path codeRoot) {
        SamTemplate sam = SamTemplate.load(template);
        List<String> missing = new ArrayList<>();
        for (SamTemplate.FunctionDef function : sam.functions()) {
            Path jar = codeRoot.resolve(function.codeUri());
            if (!Files.isRegularFile(jar)) {
                missing.add(function.logicalId() + " -> " + jar);
            }
        }
        if (!missing.isEmpty()) {
            fail("the function jars are not built: " + missing + ". Run the tests through the reactor (mvn verify"
                    + " from the repository root, which packages the functions first) or run mvn -q package -DskipTests");
        }
    }
}
