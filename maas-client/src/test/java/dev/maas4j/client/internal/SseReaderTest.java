package dev.maas4j.client.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseReaderTest {

    private static List<SseReader.Event> read(String text) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        List<SseReader.Event> events = new ArrayList<>();
        for (Optional<SseReader.Event> e = reader.next(); e.isPresent(); e = reader.next()) {
            events.add(e.get());
        }
        return events;
    }

    @Test
    void multiLineDataJoinsWithNewlinesAndEventTypesAndIdsAreKept() throws IOException {
        List<SseReader.Event> events = read("\uFEFFid: 7\nevent: error\ndata: {\"a\":\ndata:1}\n\n: comment\n\ndata:x\n\n");

        assertEquals(2, events.size());
        assertEquals(new SseReader.Event("error", "{\"a\":\n1}", Optional.of("7")), events.get(0));
        assertEquals(new SseReader.Event("message", "x", Optional.of("7")), events.get(1));
    }

    @Test
    void mixedLineEndingsAndAMissingFinalBlankLineAreTolerated() throws IOException {
        List<SseReader.Event> events = read("data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: [DONE]");

        assertEquals(List.of("a", "b", "c", "[DONE]"), events.stream().map(SseReader.Event::data).toList());
    }

    @Test
    void eventsWithoutDataAreNotDispatchedAndUnknownFieldsIgnored() throws IOException {
        List<SseReader.Event> events = read("event: ping\n\nretry: 100\nfoo: bar\ndata: only\n\n");

        assertEquals(1, events.size());
        assertEquals("message", events.get(0).event(), "the type of the dataless ping does not leak into the next event");
    }

    @Test
    void multiByteCharactersSurviveBufferBoundaries() throws IOException {
        String text = "é".repeat(9000);

        assertEquals(text, read("data: " + text + "\n\n").get(0).data());
    }
}
