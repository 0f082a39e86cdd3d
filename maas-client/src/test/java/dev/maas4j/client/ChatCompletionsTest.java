package dev.maas4j.client;

import dev.maas4j.testing.FakeOpenAiUpstream;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.maas4j.client.Fixtures.bodyJson;
import static dev.maas4j.client.Fixtures.fixture;
import static dev.maas4j.testing.FakeOpenAiUpstream.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatCompletionsTest {

    private static final String KEY = "sk-oai-testkey_0123456789abcdef";

    private final FakeOpenAiUpstream server = FakeOpenAiUpstream.start();
    private final MaasClient client = MaasClient.builder().baseUrl(server.root() + "/llm/granite/v1")
            .apiKey(KEY).header("X-MaaS-Subscription", "premium").build();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void chatCallSendsTheOpenAiRequestAndReadsTheCompletion() {
        server.on("POST", "/llm/granite/v1/chat/completions",
                json(200, fixture("chat-completion.json"), "x-request-id", "req_42",
                        "x-ratelimit-remaining-tokens", "9990"));

        ApiResponse<ChatCompletion> response = client.chat().createWithResponse(ChatCompletionRequest.builder()
                .model("granite")
                .addSystemMessage("Be brief.")
                .addUserMessage("Hello")
                .temperature(0.2)
                .maxCompletionTokens(100)
                .maxTokens(120)
                .stop("\n\n")
                .seed(7)
                .build());

        FakeOpenAiUpstream.Request request = server.last();
        assertEquals("Bearer " + KEY, request.header("Authorization"));
        assertEquals("premium", request.header("X-MaaS-Subscription"));
        assertEquals("application/json", request.header("Content-Type"));
        JsonNode body = bodyJson(request);
        assertEquals("granite", body.get("model").asText());
        assertEquals("system", body.at("/messages/0/role").asText());
        assertEquals("Be brief.", body.at("/messages/0/content").asText());
        assertEquals("Hello", body.at("/messages/1/content").asText());
        assertEquals(0.2, body.get("temperature").asDouble());
        assertEquals(100, body.get("max_completion_tokens").asInt());
        assertEquals(120, body.get("max_tokens").asInt());
        assertEquals("\n\n", body.at("/stop/0").asText());
        assertFalse(body.has("stream"), "a non-streamed call sends no stream flag");
        assertFalse(body.has("tools"), "no empty tools array: OpenAI rejects it");
        assertFalse(body.has("top_p"), "unset parameters are omitted");

        ChatCompletion completion = response.body();
        assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", completion.id());
        assertEquals("chat.completion", completion.object());
        assertEquals(1741569952L, completion.created());
        assertEquals("Hello! How can I assist you today?", completion.text().orElseThrow());
        assertEquals(Role.ASSISTANT, completion.message().orElseThrow().role());
        assertEquals("stop", completion.choices().get(0).finishReason().orElseThrow());
        Usage usage = completion.usage().orElseThrow();
        assertEquals(19, usage.promptTokens());
        assertEquals(10, usage.completionTokens());
        assertEquals(29, usage.totalTokens());
        assertEquals(0L, usage.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow());
        assertEquals("default", completion.serviceTier().orElseThrow());
        assertEquals("req_42", response.requestId().orElseThrow());
        assertEquals(9990L, response.rateLimits().remainingTokens().getAsLong());
    }

    @Test
    void toolCallsAreSentAndTheCallsReadBack() {
        server.on("POST", "/llm/granite/v1/chat/completions", json(200, fixture("chat-tool-calls.json")));
        Tool weather = Tool.function(Tool.Function.builder("get_current_weather")
                .description("Get the current weather in a given location")
                .parametersJson("""
                        {"type": "object",
                         "properties": {"location": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
                         "required": ["location"]}
                        """)
                .strict(true)
                .build());

        ChatCompletion completion = client.chat().create(ChatCompletionRequest.builder()
                .model("granite")
                .addUserMessage("What's the weather like in Boston today?")
                .addTool(weather)
                .toolChoice(ToolChoice.function("get_current_weather"))
                .parallelToolCalls(false)
                .build());

        JsonNode body = bodyJson(server.last());
        assertEquals("function", body.at("/tools/0/type").asText());
        assertEquals("get_current_weather", body.at("/tools/0/function/name").asText());
        assertEquals("string", body.at("/tools/0/function/parameters/properties/location/type").asText());
        assertEquals("location", body.at("/tools/0/function/parameters/required/0").asText());
        assertTrue(body.at("/tools/0/function/strict").asBoolean());
        assertEquals("function", body.at("/tool_choice/type").asText());
        assertEquals("get_current_weather", body.at("/tool_choice/function/name").asText());
        assertFalse(body.get("parallel_tool_calls").asBoolean());

        assertTrue(completion.text().isEmpty(), "content is null in a tool call");
        assertEquals("tool_calls", completion.choices().get(0).finishReason().orElseThrow());
        ToolCall call = completion.toolCalls().get(0);
        assertEquals("call_abc123", call.id());
        assertEquals("function", call.type());
        assertEquals("get_current_weather", call.function().name());
        assertEquals("{\n\"location\": \"Boston, MA\"\n}", call.function().arguments());
    }

    @Test
    void aToolResultConversationIsWrittenInTheOpenAiShape() {
        server.on("POST", "/llm/granite/v1/chat/completions", json(200, fixture("chat-completion.json")));
        ToolCall call = ToolCall.function("call_abc123", "get_current_weather", "{\"location\":\"Boston\"}");

        client.chat().create(ChatCompletionRequest.builder().model("granite")
                .addUserMessage("Weather in Boston?")
                .addMessage(ChatMessage.assistantToolCalls(List.of(call)))
                .addMessage(ChatMessage.tool("call_abc123", "{\"temperature\": 22}"))
                .toolChoice(ToolChoice.AUTO)
                .build());

        JsonNode body = bodyJson(server.last());
        JsonNode assistant = body.at("/messages/1");
        assertEquals("assistant", assistant.get("role").asText());
        assertFalse(assistant.has("content"), "a pure tool-call message has no content");
        assertEquals("call_abc123", assistant.at("/tool_calls/0/id").asText());
        assertEquals("function", assistant.at("/tool_calls/0/type").asText());
        assertEquals("{\"location\":\"Boston\"}", assistant.at("/tool_calls/0/function/arguments").asText());
        JsonNode tool = body.at("/messages/2");
        assertEquals("tool", tool.get("role").asText());
        assertEquals("call_abc123", tool.get("tool_call_id").asText());
        assertEquals("{\"temperature\": 22}", tool.get("content").asText());
        assertEquals("auto", body.get("tool_choice").asText());
    }

    @Test
    void imagePartsAndResponseFormatAreWrittenAsInTheReference() {
        server.on("POST", "/llm/granite/v1/chat/completions", json(200, fixture("chat-completion.json")));

        client.chat().create(ChatCompletionRequest.builder().model("granite")
                .addMessage(ChatMessage.user(ContentPart.text("What is in this image?"),
                        ContentPart.imageUrl("https://example.com/cat.png", "low"),
                        ContentPart.imageData(new byte[] {1, 2, 3}, "image/png")))
                .responseFormat(ResponseFormat.jsonSchema("answer",
                        Map.of("type", "object", "properties", Map.of("animal", Map.of("type", "string"))), true))
                .streamOptions(StreamOptions.INCLUDE_USAGE)
                .reasoningEffort("low")
                .build());

        JsonNode content = bodyJson(server.last()).at("/messages/0/content");
        assertTrue(content.isArray());
        assertEquals("text", content.at("/0/type").asText());
        assertEquals("What is in this image?", content.at("/0/text").asText());
        assertEquals("image_url", content.at("/1/type").asText());
        assertEquals("https://example.com/cat.png", content.at("/1/image_url/url").asText());
        assertEquals("low", content.at("/1/image_url/detail").asText());
        assertEquals("data:image/png;base64,AQID", content.at("/2/image_url/url").asText());
        JsonNode body = bodyJson(server.last());
        assertEquals("json_schema", body.at("/response_format/type").asText());
        assertEquals("answer", body.at("/response_format/json_schema/name").asText());
        assertTrue(body.at("/response_format/json_schema/strict").asBoolean());
        assertEquals("string", body.at("/response_format/json_schema/schema/properties/animal/type").asText());
        assertTrue(body.at("/stream_options/include_usage").asBoolean());
        assertEquals("low", body.get("reasoning_effort").asText());
    }

    @Test
    void unknownFieldsArePreservedAndReasoningIsReachable() {
        server.on("POST", "/llm/granite/v1/chat/completions", json(200, fixture("chat-reasoning.json")));

        ChatCompletion completion = client.chat().create(ChatCompletionRequest.of("gpt-oss-20b", "d/dx x^3 + 2x?"));

        ChatMessage message = completion.message().orElseThrow();
        assertEquals("Differentiate term by term: d/dx x^3 = 3x^2, d/dx 2x = 2.",
                message.reasoningContent().orElseThrow());
        assertEquals(message.reasoningContent(), message.reasoningText());
        assertEquals(28L, completion.usage().orElseThrow().completionTokensDetails().orElseThrow()
                .reasoningTokens().orElseThrow());
        assertEquals(Map.of("nested", List.of(1, 2, 3)), message.extra().get("future_message_field"));
        assertTrue(completion.extra().containsKey("prompt_logprobs"), "null-valued unknown fields are kept too");
        assertEquals(Map.of("subscription", "premium-subscription", "cost", "0.000061"), completion.extra().get("maas"));
        assertTrue(completion.choices().get(0).extra().containsKey("stop_reason"));
    }

    @Test
    void extraRequestParametersAreWrittenAsGiven() {
        server.on("POST", "/llm/granite/v1/chat/completions", json(200, fixture("chat-completion.json")));

        client.chat().create(ChatCompletionRequest.builder().model("granite").addUserMessage("hi")
                .putExtra("top_k", 40)
                .putExtra("chat_template_kwargs", Map.of("enable_thinking", false))
                .build());

        JsonNode body = bodyJson(server.last());
        assertEquals(40, body.get("top_k").asInt());
        assertFalse(body.at("/chat_template_kwargs/enable_thinking").asBoolean());
    }

    @Test
    void reasoningFromTheReasoningPropertyIsReachableToo() {
        server.on("POST", "/llm/granite/v1/chat/completions", json(200, """
                {"id": "x", "object": "chat.completion", "created": 1, "model": "m",
                 "choices": [{"index": 0, "finish_reason": "stop",
                   "message": {"role": "assistant", "content": "42", "reasoning": "6 times 7"}}]}
                """));

        ChatMessage message = client.chat().create(ChatCompletionRequest.of("m", "?")).message().orElseThrow();

        assertEquals("6 times 7", message.reasoning().orElseThrow());
        assertEquals("6 times 7", message.reasoningText().orElseThrow());
    }
}
