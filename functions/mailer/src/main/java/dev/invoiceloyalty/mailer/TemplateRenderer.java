package dev.invoiceloyalty.mailer;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Renders a named template in a language with JMustache. Templates are classpath resources:
 * <pre>
 *   templates/&lt;template&gt;/&lt;lang&gt;.subject.mustache   one line after rendering
 *   templates/&lt;template&gt;/&lt;lang&gt;.txt.mustache       the plain-text part
 *   templates/&lt;template&gt;/&lt;lang&gt;.html.mustache      the HTML part (values are HTML-escaped)
 * </pre>
 * {@code lang} is the primary subtag of the recipient's BCP 47 tag ({@code de-AT} → {@code de}); each file
 * falls back to {@code en} on its own when the language's file is missing. A template exists when its three
 * {@code en} files exist.
 *
 * <p>Each file is compiled at most once per container, on first use: a container that only sends welcome
 * emails in German never compiles anything else. Instances are thread-safe.
 */
public final class TemplateRenderer {
    public static final String FALLBACK_LANGUAGE = "en";

    /** Names are path segments: this keeps a message from reading anything outside its template folder. */
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern PRIMARY_LANGUAGE = Pattern.compile("[a-z]{2,3}");

    private enum Part {
        SUBJECT("subject"), TEXT("txt"), HTML("html");

        private final String suffix;

        Part(String suffix) {
            this.suffix = suffix;
        }
    }

    private record Key(String template, String language, Part part) {
    }

    // A missing value renders as "" and 0 / "" count as false in sections, so a producer can leave an
    // optional block out ({{#paymentUrl}}, {{#largeInvoiceBonusPoints}}) without the template testing for it.
    private final Mustache.Compiler textCompiler = Mustache.compiler()
            .defaultValue("").escapeHTML(false).zeroIsFalse(true).emptyStringIsFalse(true);
    private final Mustache.Compiler htmlCompiler = Mustache.compiler()
            .defaultValue("").escapeHTML(true).zeroIsFalse(true).emptyStringIsFalse(true);

    private final ClassLoader classLoader;
    private final String root;
    /** (template, language, part) → the compiled file that serves it, after the fallback to {@code en}. */
    private final ConcurrentMap<Key, Template> resolved = new ConcurrentHashMap<>();
    /** resource path → compiled template, so {@code pt} and {@code en} share one compiled English file. */
    private final ConcurrentMap<String, Template> compiled = new ConcurrentHashMap<>();

    private TemplateRenderer(ClassLoader classLoader, String root) {
        this.classLoader = classLoader;
        this.root = root;
    }

    /** The templates shipped in this jar, under {@code templates/}. */
    public static TemplateRenderer create() {
        return fromClasspath("templates");
    }

    /** Templates under another classpath folder (tests use one with deliberately incomplete languages). */
    public static TemplateRenderer fromClasspath(String root) {
        return new TemplateRenderer(TemplateRenderer.class.getClassLoader(), root);
    }

    /**
     * @param template    template name, e.g. {@code invoice-issued}
     * @param languageTag BCP 47 tag of the recipient; null or unusable tags mean {@code en}
     * @param model       the template's variables: strings, numbers, booleans, lists and maps of those
     * @throws UnknownTemplateException when no such template exists
     */
    public RenderedEmail render(String template, String languageTag, Map<String, ?> model) {
        if (template == null || !TEMPLATE_NAME.matcher(template).matches()) {
            throw new UnknownTemplateException(String.valueOf(template));
        }
        String language = primaryLanguage(languageTag);
        String subject = template(template, language, Part.SUBJECT).execute(model);
        String text = template(template, language, Part.TEXT).execute(model);
        String html = template(template, language, Part.HTML).execute(model);
        return new RenderedEmail(oneLine(subject), text, html);
    }

    /** How many template files this instance has compiled so far (each at most once). */
    int compiledFiles() {
        return compiled.size();
    }

    /** {@code de-AT} → {@code de}; anything that is not a language subtag → {@code en}. */
    static String primaryLanguage(String languageTag) {
        if (languageTag == null) {
            return FALLBACK_LANGUAGE;
        }
        String primary = languageTag.strip().replace('_', '-').split("-", 2)[0].toLowerCase(Locale.ROOT);
        return PRIMARY_LANGUAGE.matcher(primary).matches() ? primary : FALLBACK_LANGUAGE;
    }

    /** A subject is a header: a line break in it would end the header (or smuggle in another one). */
    private static String oneLine(String subject) {
        return subject.replaceAll("\\s+", " ").strip();
    }

    private Template template(String template, String language, Part part) {
        return resolved.computeIfAbsent(new Key(template, language, part), this::resolve);
    }

    private Template resolve(Key key) {
        Template own = load(path(key.template(), key.language(), key.part()), key.part());
        if (own != null) {
            return own;
        }
        Template fallback = load(path(key.template(), FALLBACK_LANGUAGE, key.part()), key.part());
        if (fallback == null) {
            throw new UnknownTemplateException(key.template());
        }
        return fallback;
    }

    private String path(String template, String language, Part part) {
        return root + "/" + template + "/" + language + "." + part.suffix + ".mustache";
    }

    /** The compiled file, or null when the classpath has no such file. */
    private Template load(String path, Part part) {
        Template cached = compiled.get(path);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = classLoader.getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                Template template = (part == Part.HTML ? htmlCompiler : textCompiler).compile(reader);
                Template raced = compiled.putIfAbsent(path, template);
                return raced != null ? raced : template;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + path, e);
        }
    }
}
