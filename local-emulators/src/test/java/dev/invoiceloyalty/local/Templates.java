package dev.invoiceloyalty.local;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The templates the tests run against: this module's fixture, and the repository's one where it exists. */
final class Templates {
    private Templates() {
    }

    static SamTemplate fixture() {
        try {
            return SamTemplate.load(Path.of(Templates.class.getResource("/fixture-template.yaml").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For {@code @MethodSource}: the fixture, then the repository's template.yaml if one is found. */
    static Stream<SamTemplate> all() {
        return Stream.concat(Stream.of(fixture()), SamTemplate.find().map(SamTemplate::load).stream());
    }
}
