package dev.maas4j.core.usage;

import static dev.maas4j.core.usage.Feeding.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamOptionsTest {

    private static String rewrite(String body) {
        return new String(StreamOptions.withIncludeUsage(utf8(body)), StandardCharsets.UTF_8);
    }

    @Test
    void streamedRequestWithoutStreamOptionsGetsThemAsLastMember() {
        assertEquals("{\"model\":\"m\",\"stream\":true,\"messages\":[]\n,\"stream_options\":{\"include_usage\":true}}",
                rewrite("{\"model\":\"m\",\"stream\":true,\"messages\":[]\n}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // include_usage false or null is set in place
        "{\"stream_options\":{\"include_usage\":false},\"stream\":true} | {\"stream_options\":{\"include_usage\":true},\"stream\":true}",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":null }} | {\"stream\":true,\"stream_options\":{\"include_usage\":true }}",
        // other options are kept, include_usage is appended
        "{\"stream\":true,\"stream_options\":{\"continuous_usage_stats\":true}} | {\"stream\":true,\"stream_options\":{\"continuous_usage_stats\":true,\"include_usage\":true}}",
        "{\"stream\":true,\"stream_options\":{ }}                       | {\"stream\":true,\"stream_options\":{ \"include_usage\":true}}",
        // null stream_options becomes the object
        "{\"stream\":true,\"stream_options\":null,\"n\":1}              | {\"stream\":true,\"stream_options\":{\"include_usage\":true},\"n\":1}",
        // every duplicate inside stream_options is set
        "{\"stream\":true,\"stream_options\":{\"include_usage\":false,\"include_usage\":true}} | {\"stream\":true,\"stream_options\":{\"include_usage\":true,\"include_usage\":true}}",
    })
    void streamOptionsAreMergedInPlace(String body, String expected) {
        assertEquals(expected, rewrite(body));
    }

    @Test
    void everythingElseIsKeptByteForByte() {
        String body = "\uFEFF{ \"messages\" : [ {\"role\":\"user\", \"content\":\"caf\\u00e9 \\/ \u00e9\\n\"} ],\n"
                + "  \"temperature\": 1.0e0, \"seed\": 12345678901234567890123,\n"
                + "  \"stream\" : true ,\"stream_options\":{\"x\":[1,2,{\"include_usage\":false}],"
                + "\"include_usage\" : false}\t}";
        String expected = body.replace("\"include_usage\" : false", "\"include_usage\" : true");

        assertEquals(expected, rewrite(body));
    }

    @Test
    void requestThatIsNotStreamedIsReturnedUnchanged() {
        for (String body : new String[] {"{\"model\":\"m\"}", "{\"stream\":false}", "{\"stream\":null}",
                "{\"stream\":false,\"stream_options\":{\"include_usage\":false}}"}) {
            byte[] bytes = utf8(body);
            assertSame(bytes, StreamOptions.withIncludeUsage(bytes), body);
        }
    }

    @Test
    void requestAlreadyAskingForUsageIsReturnedUnchanged() {
        byte[] bytes = utf8("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

        assertSame(bytes, StreamOptions.withIncludeUsage(bytes));
    }

    @Test
    void rewrittenRequestReadsAsAskingForUsage() {
        byte[] body = utf8("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false},\"max_tokens\":5}");

        RequestInfo info = RequestInfo.parse(StreamOptions.withIncludeUsage(body));

        assertEquals(true, info.includeUsageRequested());
        assertEquals(5, info.maxOutputTokens().getAsLong());
    }

    @Test
    void utf16BodyIsParsedButCannotBeRewritten() {
        byte[] notStreamed = "{\"stream\":false}".getBytes(StandardCharsets.UTF_16BE);
        assertSame(notStreamed, StreamOptions.withIncludeUsage(notStreamed));

        byte[] streamed = "{\"stream\":true}".getBytes(StandardCharsets.UTF_16BE);
        assertEquals("request body must be encoded in UTF-8",
                assertThrows(MalformedRequestException.class, () -> StreamOptions.withIncludeUsage(streamed)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"stream\":true,                                      | request body is not valid JSON (line 1, column 16)",
        "[]                                                     | request body must be a JSON object",
        "{\"stream\":\"yes\"}                                   | 'stream' must be a boolean",
        "{\"stream\":true,\"stream_options\":[]}                | 'stream_options' must be an object",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":1}} | 'stream_options.include_usage' must be a boolean",
        "{\"stream\":true,\"stream_options\":null,\"stream_options\":{}} | duplicate key 'stream_options'",
    })
    void malformedBodyIsRejectedByName(String body, String message) {
        assertEquals(message,
                assertThrows(MalformedRequestException.class, () -> StreamOptions.withIncludeUsage(utf8(body))).getMessage());
    }
}
