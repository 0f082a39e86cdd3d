package dev.maas4j.client;

import dev.maas4j.client.internal.Values;

import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One part of a message's content: text, an image, or any other part type kept as its JSON
 * ({@code input_audio}, {@code file}, ...).
 *
 * <pre>{@code
 * ChatMessage.user(ContentPart.text("What is in this picture?"),
 *                  ContentPart.imageUrl("https://example.com/cat.png"));
 * }</pre>
 */
public sealed interface ContentPart {

    /** The part's {@code type} on the wire. */
    String type();

    /** A text part. */
    static Text text(String text) {
        return new Text(text);
    }

    /** An image by URL (or {@code data:} URL). */
    static Image imageUrl(String url) {
        return new Image(url, Optional.empty());
    }

    /** An image by URL with a {@code detail} level ({@code low}, {@code high}, {@code auto}). */
    static Image imageUrl(String url, String detail) {
        return new Image(url, Optional.of(Values.notBlank(detail, "detail")));
    }

    /** An image sent inline as a base64 {@code data:} URL. */
    static Image imageData(byte[] data, String mediaType) {
        Objects.requireNonNull(data, "data");
        Values.notBlank(mediaType, "mediaType");
        return new Image("data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(data), Optional.empty());
    }

    /**
     * Text: {@code {"type": "text", "text": ...}}.
     *
     * @param text the text
     */
    record Text(String text) implements ContentPart {
        /** Validates the text. */
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "text";
        }
    }

    /**
     * An image: {@code {"type": "image_url", "image_url": {"url": ..., "detail": ...}}}.
     *
     * @param url    an {@code https:} or {@code data:} URL
     * @param detail the detail level, if set
     */
    record Image(String url, Optional<String> detail) implements ContentPart {
        /** Validates the components. */
        public Image {
            Values.notBlank(url, "url");
            detail = Values.opt(detail);
        }

        @Override
        public String type() {
            return "image_url";
        }

        @Override
        public String toString() {
            // data: URLs can be megabytes long.
            String shown = url.length() > 80 ? url.substring(0, 80) + "…" : url;
            return "Image[url=" + shown + ", detail=" + detail + "]";
        }
    }

    /**
     * A part of another type, kept as its JSON object.
     *
     * @param type the part's type
     * @param json the whole part, {@code type} included
     */
    record Other(String type, Map<String, Object> json) implements ContentPart {
        /** Validates the components. */
        public Other {
            Values.notBlank(type, "type");
            json = Values.extra(json);
        }
    }
}
