package dev.invoiceloyalty.mailer;

/**
 * The message names a template that this build does not contain (or a name that cannot be one). Retrying
 * cannot help: the message is poison and belongs in the dead-letter queue.
 */
public final class UnknownTemplateException extends RuntimeException {
    private final String template;

    public UnknownTemplateException(String template) {
        super("no template named '" + template + "'");
        this.template = template;
    }

    public String template() {
        return template;
    }
}
