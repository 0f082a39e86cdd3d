package dev.maas4j.core.usage;

import static dev.maas4j.core.usage.Feeding.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestInfoTest {

    private static RequestInfo parse(String body) {
        return RequestInfo.parse(utf8(body));
    }

    private static String rejection(String body) {
        return assertThrows(MalformedRequestException.class, () -> parse(body)).getMessage();
    }

    @Test
    void chatRequestGivesEveryField() {
        RequestInfo info = parse("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"max_tokens\":256,"
                + "\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi!\"}]}");

        // "system" + "Be brief." + "user" + "Hi!" = 6 + 9 + 4 + 3 characters; 2 messages.
        assertEquals(new RequestInfo(Optional.of("gpt-4o-mini"), true, OptionalLong.of(256), true, 22, 6 + 8), info);
    }

    @Test
    void absentFieldsGiveDefaults() {
        assertEquals(new RequestInfo(Optional.empty(), false, OptionalLong.empty(), false, 0, 0), parse("{}"));
    }

    @Test
    void nullFieldsCountAsAbsent() {
        RequestInfo info = parse("{\"model\":null,\"stream\":null,\"max_tokens\":null,\"stream_options\":null}");

        assertEquals(new RequestInfo(Optional.empty(), false, OptionalLong.empty(), false, 0, 0), info);
    }

    @Test
    void modelIsReadFromTheTopLevelOnly() {
        RequestInfo info = parse("{\"metadata\":{\"model\":\"other\"},\"model\":\"llama-3-8b\",\"messages\":[]}");

        assertEquals(Optional.of("llama-3-8b"), info.model());
    }

    @Test
    void streamFalseIsNotStreamed() {
        assertFalse(parse("{\"stream\":false}").stream());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"max_completion_tokens\":10,\"max_tokens\":20,\"max_output_tokens\":30} | 10",
        "{\"max_output_tokens\":30,\"max_tokens\":20}                              | 20",
        "{\"max_output_tokens\":30}                                                | 30",
        "{\"max_completion_tokens\":null,\"max_tokens\":20}                        | 20",
        "{\"max_tokens\":0}                                                        | 0",
    })
    void maxOutputTokensPrefersMaxCompletionTokensThenMaxTokensThenMaxOutputTokens(String body, long expected) {
        assertEquals(OptionalLong.of(expected), parse(body).maxOutputTokens());
    }

    @Test
    void includeUsageIsReadFromStreamOptions() {
        assertTrue(parse("{\"stream_options\":{\"continuous_usage_stats\":true,\"include_usage\":true}}")
                .includeUsageRequested());
        assertFalse(parse("{\"stream_options\":{\"include_usage\":false}}").includeUsageRequested());
        assertFalse(parse("{\"stream_options\":{}}").includeUsageRequested());
        assertFalse(parse("{\"include_usage\":true}").includeUsageRequested());
    }

    @Test
    void promptCharactersCountStringValuesOfEveryPromptField() {
        RequestInfo info = parse("{\"prompt\":\"abcd\",\"input\":[\"ef\",\"gh\"],\"system\":\"i\","
                + "\"instructions\":\"jk\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lm\"}}],"
                + "\"metadata\":{\"note\":\"not counted\"},\"user\":\"not counted\"}");

        // 4 + 2 + 2 + 1 + 2 + ("function" + "lm") = 11 + 10; no messages, so no framing tokens.
        assertEquals(21, info.promptCharacters());
        assertEquals(6, info.promptTokensEstimate());
    }

    @Test
    void promptCharactersCountUtf16CodeUnitsOfUnescapedText() {
        RequestInfo info = parse("{\"prompt\":\"\\u00e9t\\u00e9 \\ud83d\\udc4b \u4f60\u597d\"}");

        // "été 👋 你好": 3 + 1 + 2 + 1 + 2
        assertEquals(9, info.promptCharacters());
    }

    @Test
    void promptTokensEstimateAddsFourPerMessage() {
        RequestInfo info = parse("{\"messages\":[{\"role\":\"user\",\"content\":\"12345\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"678\"}]},{}]}");

        // "user12345" + "user" + "text" + "678" = 20 characters -> 5 tokens, plus 3 messages * 4.
        assertEquals(20, info.promptCharacters());
        assertEquals(5 + 12, info.promptTokensEstimate());
    }

    @Test
    void base64PayloadsAreNotCountedAsPromptText() {
        String image = "data:image/png;base64," + "iVBORw0KGgo".repeat(1000);
        RequestInfo info = parse("{\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + image + "\"}},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRiQAAABXQVZF\",\"format\":\"wav\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo\"}}]}]}");

        // "user" + "image_url" + "input_audio" + "wav" + "image" + "base64" + "image/png"
        assertEquals(4 + 9 + 11 + 3 + 5 + 6 + 9, info.promptCharacters());
    }

    @Test
    void choicesAreTheLargerOfNAndBestOf() {
        assertEquals(1, parse("{}").choices());
        assertEquals(1, parse("{\"n\":null,\"best_of\":null}").choices());
        assertEquals(50, parse("{\"n\":50}").choices());
        assertEquals(5, parse("{\"n\":2,\"best_of\":5}").choices());
        assertEquals(7, parse("{\"best_of\":3,\"n\":7}").choices());
        assertEquals(128, parse("{\"n\":128}").choices());
    }

    @Test
    void nAndBestOfAreReadFromTheTopLevelOnly() {
        assertEquals(1, parse("{\"metadata\":{\"n\":50},\"messages\":[{\"role\":\"user\",\"n\":9}]}").choices());
    }

    @Test
    void largestAcceptedValuesAreTheStatedCeilings() {
        assertEquals(OptionalLong.of(RequestInfo.MAX_OUTPUT_TOKENS),
                parse("{\"max_tokens\":10000000}").maxOutputTokens());
        assertEquals(RequestInfo.MAX_CHOICES, parse("{\"best_of\":128}").choices());
    }

    @Test
    void nonAsciiTextCountsOneTokenPerCodeUnit() {
        String cjk = "\u4f60\u597d\u4e16\u754c".repeat(100); // 400 CJK characters
        RequestInfo info = parse("{\"messages\":[{\"role\":\"user\",\"content\":\"" + cjk + "\"}]}");

        assertEquals(404, info.promptCharacters());
        // "user" is 1 token, the 400 characters 400, plus 4 for the message; chars / 4 said 104
        assertEquals(1 + 400 + 4, info.promptTokensEstimate());
        assertTrue(info.promptTokensEstimate() >= 400);
    }

    @Test
    void cyrillicAndEmojiAreNotUndercountedEither() {
        // "Привет 👋": 6 Cyrillic letters, a space, an emoji of two code units
        RequestInfo info = parse("{\"prompt\":\"\u041f\u0440\u0438\u0432\u0435\u0442 \ud83d\udc4b\"}");

        assertEquals(9, info.promptCharacters());
        assertEquals(6 + 1 + 2, info.promptTokensEstimate());
    }

    @Test
    void imageGivenAsDataUrlIsEstimatedPerPart() {
        String image = "data:image/png;base64," + "iVBORw0KGgo".repeat(1000);
        RequestInfo info = parse("{\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + image + "\"}}]}]}");

        // "user" + "image_url" = 13 characters -> 4 tokens, 4 for the message, one image
        assertEquals(1, info.mediaParts());
        assertEquals(4 + 4 + MediaEstimates.DEFAULTS.imageTokens(), info.promptTokensEstimate());
    }

    @Test
    void everyKindOfMediaPartAddsItsConfiguredEstimate() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBO\"}},"
                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRiQAAABXQVZF\",\"format\":\"wav\"}},"
                + "{\"type\":\"file\",\"file\":{\"file_data\":\"JVBERi0xLjQK\",\"filename\":\"a.pdf\"}},"
                + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"data\":\"JVBERi0x\"}}]}],"
                + "\"input\":[{\"type\":\"input_image\",\"image_url\":\"data:image/jpeg;base64,/9j/4AAQ\"},"
                + "{\"type\":\"input_file\",\"file_data\":\"JVBERi0x\"},{\"type\":\"audio\"}]}";
        MediaEstimates media = new MediaEstimates(1_000, 100_000, 10_000_000);
        RequestInfo info = RequestInfo.parse(utf8(body), media);
        RequestInfo text = RequestInfo.parse(utf8(body), new MediaEstimates(0, 0, 0));

        assertEquals(8, info.mediaParts());
        assertEquals(3 * 1_000 + 2 * 100_000 + 3 * 10_000_000,
                info.promptTokensEstimate() - text.promptTokensEstimate());
        assertEquals(text.promptCharacters(), info.promptCharacters(), "media estimates add no characters");
    }

    @Test
    void fileDataIsNotCountedAsPromptText() {
        String pdf = "JVBERi0xLjQK".repeat(1000);
        RequestInfo info = parse("{\"input\":[{\"type\":\"input_file\",\"file_data\":\"" + pdf + "\"}]}");

        assertEquals("input_file".length(), info.promptCharacters());
    }

    @Test
    void typesInToolDefinitionsAreNotMediaParts() {
        RequestInfo info = parse("{\"tools\":[{\"type\":\"file\"},{\"type\":\"image\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"image\"}]}");

        assertEquals(0, info.mediaParts());
    }

    @Test
    void parsingWithMediaEstimatesNeedsThem() {
        assertThrows(NullPointerException.class, () -> RequestInfo.parse(utf8("{}"), null));
        assertThrows(IllegalArgumentException.class, () -> new MediaEstimates(-1, 0, 0));
    }

    @Test
    void otherFieldsAreSkippedWhateverTheirShape() {
        RequestInfo info = parse("{\"temperature\":0.7,\"logit_bias\":{\"50256\":-100},\"stop\":[\"\\n\"],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{\"model\":1}}},\"model\":\"m\"}");

        assertEquals(Optional.of("m"), info.model());
        assertEquals(0, info.promptCharacters());
    }

    @Test
    void invalidJsonIsRejectedWithItsLocationButNoContent() {
        String message = rejection("{\"model\":\"secret-model\", oops}");

        assertTrue(message.startsWith("request body is not valid JSON"), message);
        assertTrue(message.contains("line 1"), message);
        assertFalse(message.contains("oops") || message.contains("secret"), message);
    }

    @Test
    void truncatedJsonIsRejected() {
        assertTrue(rejection("{\"model\":\"m\",\"messages\":[").startsWith("request body is not valid JSON"));
    }

    @Test
    void bodyThatIsNotAnObjectIsRejected() {
        assertEquals("request body must be a JSON object", rejection("[{\"model\":\"m\"}]"));
        assertEquals("request body must be a JSON object", rejection("\"model\""));
        assertEquals("request body is empty", rejection("  "));
    }

    @Test
    void contentAfterTheObjectIsRejected() {
        assertEquals("request body must hold a single JSON object", rejection("{\"model\":\"a\"} {\"model\":\"b\"}"));
        assertTrue(rejection("{\"model\":\"a\"} trailing").startsWith("request body is not valid JSON"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"model\":42}                                    | 'model' must be a string",
        "{\"model\":{\"name\":\"m\"}}                      | 'model' must be a string",
        "{\"stream\":\"true\"}                             | 'stream' must be a boolean",
        "{\"max_tokens\":-1}                               | 'max_tokens' must be a non-negative integer",
        "{\"max_tokens\":1.5}                              | 'max_tokens' must be a non-negative integer",
        "{\"max_completion_tokens\":\"10\"}                | 'max_completion_tokens' must be a non-negative integer",
        "{\"max_output_tokens\":99999999999999999999999}   | 'max_output_tokens' must be at most 10000000",
        "{\"max_output_tokens\":-99999999999999999999999}  | 'max_output_tokens' must be a non-negative integer",
        "{\"max_tokens\":9223372036854775807}              | 'max_tokens' must be at most 10000000",
        "{\"max_completion_tokens\":10000001}              | 'max_completion_tokens' must be at most 10000000",
        "{\"max_tokens\":5,\"max_output_tokens\":10000001} | 'max_output_tokens' must be at most 10000000",
        "{\"n\":0}                                         | 'n' must be a positive integer",
        "{\"n\":-3}                                        | 'n' must be a positive integer",
        "{\"n\":2.5}                                       | 'n' must be a positive integer",
        "{\"n\":\"2\"}                                   | 'n' must be a positive integer",
        "{\"n\":129}                                       | 'n' must be at most 128",
        "{\"n\":99999999999999999999999}                   | 'n' must be at most 128",
        "{\"best_of\":0}                                   | 'best_of' must be a positive integer",
        "{\"best_of\":1000}                                | 'best_of' must be at most 128",
        "{\"n\":1,\"n\":50}                              | duplicate key 'n'",
        "{\"best_of\":1,\"best_of\":50}                  | duplicate key 'best_of'",
        "{\"stream_options\":true}                         | 'stream_options' must be an object",
        "{\"stream_options\":{\"include_usage\":\"yes\"}}  | 'stream_options.include_usage' must be a boolean",
        "{\"model\":\"a\",\"model\":\"b\"}                 | duplicate key 'model'",
        "{\"stream\":false,\"stream\":true}                | duplicate key 'stream'",
    })
    void fieldOfTheWrongTypeIsRejectedByName(String body, String message) {
        assertEquals(message, rejection(body));
    }

    @Test
    void tooDeepNestingIsRejectedAsOverTheParserLimits() {
        String body = "{\"messages\":" + "[".repeat(2000) + "]".repeat(2000) + "}";

        assertTrue(rejection(body).startsWith("request body exceeds the JSON parser's limits"));
    }

    @Test
    void componentsAreValidated() {
        assertThrows(IllegalArgumentException.class,
                () -> new RequestInfo(Optional.empty(), false, OptionalLong.empty(), false, -1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RequestInfo(Optional.empty(), false, OptionalLong.of(-1), false, 0, 0));
        assertThrows(NullPointerException.class, () -> RequestInfo.parse(null));
        assertThrows(IllegalArgumentException.class,
                () -> new RequestInfo(Optional.empty(), false, OptionalLong.empty(), false, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RequestInfo(Optional.empty(), false, OptionalLong.empty(), false, 0, 0, 1, -1));
    }
}
