package dev.maas4j.servlet.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code model} field of a {@code multipart/form-data} body (audio transcriptions and
 * translations name their model so), read and set without parsing the file parts, so that a form
 * names the model the gateway authorized like a JSON body does. Stateless.
 */
public final class MultipartForm {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

    private MultipartForm() {
    }

    /** Whether a content type is {@code multipart/form-data}. */
    public static boolean isForm(String contentType) {
        return contentType != null && contentType.strip().regionMatches(true, 0, "multipart/form-data", 0, 19);
    }

    /**
     * The form's {@code model} field.
     *
     * @throws IllegalArgumentException with a client-safe message when the form has no boundary,
     *                                  is malformed, or names a model twice
     */
    public static Optional<String> model(byte[] body, String contentType) {
        byte[] delimiter = delimiter(contentType);
        String found = null;
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("the multipart body has no part delimited by its boundary");
        }
        while (true) {
            int afterDelimiter = at + delimiter.length;
            if (startsWith(body, afterDelimiter, new byte[] {'-', '-'})) {
                return Optional.ofNullable(found);
            }
            int headersStart = afterDelimiter + CRLF.length;
            int headersEnd = indexOf(body, HEADERS_END, headersStart);
            if (!startsWith(body, afterDelimiter, CRLF) || headersEnd < 0) {
                throw new IllegalArgumentException("the multipart body has a malformed part");
            }
            int contentStart = headersEnd + HEADERS_END.length;
            int next = indexOf(body, closing(delimiter), contentStart);
            if (next < 0) {
                throw new IllegalArgumentException("the multipart body does not end with its boundary");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            if ("model".equals(fieldName(headers))) {
                if (found != null) {
                    throw new IllegalArgumentException("the multipart body names 'model' twice");
                }
                found = new String(body, contentStart, next - contentStart, StandardCharsets.UTF_8).strip();
            }
            at = next + CRLF.length;
        }
    }

    /** The form with a {@code model} field added before its closing boundary (the form has none). */
    public static byte[] withModel(byte[] body, String contentType, String model) {
        byte[] delimiter = delimiter(contentType);
        byte[] end = new byte[delimiter.length + 2];
        System.arraycopy(delimiter, 0, end, 0, delimiter.length);
        end[delimiter.length] = '-';
        end[delimiter.length + 1] = '-';
        int close = lastIndexOf(body, end);
        if (close < 0) {
            throw new IllegalArgumentException("the multipart body does not end with its boundary");
        }
        byte[] part = (new String(delimiter, StandardCharsets.ISO_8859_1)
                + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] value = (model + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[body.length + part.length + value.length];
        System.arraycopy(body, 0, result, 0, close);
        System.arraycopy(part, 0, result, close, part.length);
        System.arraycopy(value, 0, result, close + part.length, value.length);
        System.arraycopy(body, close, result, close + part.length + value.length, body.length - close);
        return result;
    }

    private static byte[] delimiter(String contentType) {
        String boundary = null;
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                boundary = p.substring(9).strip();
                if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
            }
        }
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new IllegalArgumentException("the multipart content type has no valid boundary");
        }
        return ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] closing(byte[] delimiter) {
        byte[] closing = new byte[delimiter.length + 2];
        closing[0] = '\r';
        closing[1] = '\n';
        System.arraycopy(delimiter, 0, closing, 2, delimiter.length);
        return closing;
    }

    /** The {@code name} of a part's {@code Content-Disposition: form-data}, or null. */
    private static String fieldName(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) {
                continue;
            }
            for (String parameter : line.substring(colon + 1).split(";")) {
                String p = parameter.strip();
                if (p.toLowerCase(Locale.ROOT).startsWith("name=")) {
                    String name = p.substring(5).strip();
                    return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")
                            ? name.substring(1, name.length() - 1) : name;
                }
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] needle, int from) {
        for (int i = Math.max(0, from); i + needle.length <= body.length; i++) {
            if (startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] body, byte[] needle) {
        for (int i = body.length - needle.length; i >= 0; i--) {
            if (startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
