package dev.invoiceloyalty.local;

import java.util.Arrays;
import java.util.Objects;

/** One attachment of a captured email, decoded. */
public record CapturedAttachment(String filename, String contentType, byte[] content) {
    public CapturedAttachment {
        content = content == null ? new byte[0] : content.clone();
    }

    /** A copy: the capture is shared by every test of a JVM, so a test must not be able to alter it. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    public int size() {
        return content.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CapturedAttachment that
                && Objects.equals(filename, that.filename)
                && Objects.equals(contentType, that.contentType)
                && Arrays.equals(content, that.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(filename, contentType, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "CapturedAttachment[filename=" + filename + ", contentType=" + contentType + ", size=" + size() + "]";
    }
}
