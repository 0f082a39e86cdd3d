package dev.maas4j.gateway.logging;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What a log line keeps and loses; the lines are the shapes Jetty, the JDK and our code log. */
class RedactionTest {
    private static final String KEY = "sk-oai-3D0svniUdj0588sqQ9arHY_up5MjnMsvDXjXrAYq6btCSZymAFhRQgmOGzs7vTNEca";
    private static final String ADMIN = "maas-admin-bb63de97014f96d8d4803b01e858ce51468fe27187b73cf1";

    @Test
    void jettysParsedHeadersLoseTheirValues() {
        assertRedacts("HttpParser - HEADER:IN_VALUE --> FIELD(Authorization: Bearer " + ADMIN + ")",
                "HttpParser - HEADER:IN_VALUE --> FIELD(Authorization: [redacted]");
        assertRedacts("parsedHeader(Authorization: Bearer " + KEY + ") header=Authorization, "
                        + "headerString=[Authorization], valueString=[Bearer " + KEY + "]",
                "parsedHeader(Authorization: [redacted]");
        assertRedacts("header=Authorization, headerString=[Authorization], valueString=[Bearer " + KEY + "]",
                "header=Authorization, headerString=[Authorization], valueString=[[redacted]");
        assertRedacts("valueString=[Bearer " + KEY + "]", "valueString=[Bearer [redacted]]");
        assertRedacts("parsedHeader(null) header=null, headerString=[x-api-key], valueString=[864cf8994573972c]",
                "parsedHeader(null) header=null, headerString=[x-api-key], valueString=[[redacted]");
        assertRedacts("header=Cookie, headerString=[Cookie], valueString=[session=864cf8994573972c; a=b] x",
                "header=Cookie, headerString=[Cookie], valueString=[[redacted]");
        assertRedacts("headerString=[Proxy-Authorization], valueString=[Negotiate 864cf8994573972c]",
                "headerString=[Proxy-Authorization], valueString=[[redacted]");
        assertUnchanged("header=Accept, headerString=[Accept], valueString=[application/json]");
        assertRedacts("FIELD(x-api-key: not-a-key-but-secret)", "FIELD(x-api-key: [redacted]");
        assertRedacts("FIELD(API-Key: hunter2)", "FIELD(API-Key: [redacted]");
        assertRedacts("FIELD(Proxy-Authorization: Basic dXNlcjpodW50ZXIy)", "FIELD(Proxy-Authorization: [redacted]");
        assertRedacts("FIELD(Cookie: session=abc; theme=dark)", "FIELD(Cookie: [redacted]");
        assertRedacts("FIELD(set-cookie: session=abc; HttpOnly)", "FIELD(set-cookie: [redacted]");
    }

    @Test
    void httpFieldsPrintedOnePerLineLoseOnlyTheCredentialValues() {
        assertRedacts("Host: 127.0.0.1:8080\r\nAuthorization: Basic dXNlcjpzay1vYWktYWJj\r\nAccept: */*\r\n",
                "Host: 127.0.0.1:8080\r\nAuthorization: [redacted]\r\nAccept: */*\r\n");
        assertRedacts("{authorization=Bearer abc.def.ghi, host=x}", "{authorization=[redacted]");
    }

    @Test
    void rawBufferDumpsLoseCredentialsAndThePiecesACutLeaves() {
        // a whole request in one dump: Jetty escapes CR and LF, so the value ends at "\r"
        assertRedacts("filled 120 b[p=0,l=120]={<<<GET /v1/models HTTP/1.1\\r\\nAuthorization: Bearer " + KEY
                        + "\\r\\nHost: x\\r\\n\\r\\n>>>\\x00\\x00}",
                "filled 120 b[p=0,l=120]={<<<GET /v1/models HTTP/1.1\\r\\nAuthorization: [redacted]"
                        + "\\r\\nHost: x\\r\\n\\r\\n>>>\\x00\\x00}");
        // Jetty shows 24 bytes, "...", 24 bytes: the cut may fall inside a key, or a header's name
        assertRedacts("write={<<<{\"key\":\"sk-oai-3D0svniUdj...Zymfo_AFhRQgmOGzs7vTNEca\",\"x\":1}>>>\\x00}",
                "write={<<<{\"key\":\"sk-oai-[redacted]...[redacted]>>>\\x00}");
        assertRedacts("={<<<GET /v1/models HTTP/...ey: AFhRQgmOGzs7vTNEca\\r\\n\\r\\n>>>}",
                "={<<<GET /v1/models HTTP/...[redacted]\\r\\n\\r\\n>>>}");
        assertRedacts("={POST /maa...son\\r\\n\\r\\n<<<{\"name\":\"laptop\"}>>>}",
                "={POST /maa...[redacted]\\r\\n\\r\\n<<<{\"name\":\"laptop\"}>>>}");
        // a buffer that opens inside a key: the rest of a header split across two reads
        assertRedacts("filled 40 b[p=0,l=40]={<<<RAYq6btCSZymAFhRQgmOGzs7vTNEca\\r\\n\\r\\n>>>}",
                "filled 40 b[p=0,l=40]={<<<[redacted]\\r\\n\\r\\n>>>}");
        assertRedacts("b[p=9,l=9]={RAYq6btCSZym<<<>>>}", "b[p=9,l=9]={[redacted]<<<>>>}");
        // past the limit: stale bytes of an earlier request in the same buffer
        assertRedacts("filled 34 b[p=0,l=34]={<<<Host: x\\r\\n\\r\\n>>>q6btCS...\\x00\\x00}",
                "filled 34 b[p=0,l=34]={<<<Host: x\\r\\n\\r\\n>>>[redacted]...\\x00\\x00}");
        // what a buffer usually opens with stays
        assertUnchanged("filled 7 b={<<<HTTP/1.1 200 OK\\r\\n>>>}");
        assertUnchanged("filled 90 b={<<<POST /v1/chat/completions HTTP/1.1\\r\\nHost: x...\\r\\n>>>}");
        assertUnchanged("b={<<<\\r\\n0\\r\\n\\r\\n>>>\\x00\\x00\\x00...\\x00\\x00}");
    }

    @Test
    void keysAndTokensLoseAllButTheirPrefixWherever() {
        assertRedacts("created " + KEY + " for alice", "created sk-oai-[redacted] for alice");
        assertRedacts("GET /v1/models?key=" + KEY + " HTTP/1.1", "GET /v1/models?key=sk-oai-[redacted] HTTP/1.1");
        assertRedacts("token " + ADMIN + ".", "token maas-admin-[redacted].");
        assertRedacts("{\"key\":\"" + KEY + "\",\"keyPrefix\":\"sk-oai-3D0s\"}",
                "{\"key\":\"sk-oai-[redacted]\",\"keyPrefix\":\"sk-oai-[redacted]\"}");
        assertRedacts("sent bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln upstream",
                "sent bearer [redacted] upstream");
        assertRedacts("jdbc:postgresql://db/maas?user=maas&password=s3cret", "jdbc:postgresql://db/maas?user=maas&password=[redacted]");
        assertRedacts("GET /v1/models?apikey=abc123 HTTP/1.1", "GET /v1/models?apikey=[redacted]");
        assertRedacts("{\"API_KEY\": \"abc123\"}", "{\"API_KEY\": [redacted]");
        assertRedacts("headerString=[Set-Cookie], valueString=[id=abc123]", "headerString=[Set-Cookie], valueString=[[redacted]");
    }

    @Test
    void exceptionsLoseCredentialsInTheirMessagesAndCauses() {
        String trace = "java.lang.IllegalStateException: rejected Authorization: Bearer " + KEY + "\n"
                + "\tat dev.maas4j.X.y(X.java:1)\n"
                + "Caused by: java.io.IOException: bad key " + KEY + "\n"
                + "\tat dev.maas4j.X.z(X.java:2)\n";
        assertRedacts(trace, "java.lang.IllegalStateException: rejected Authorization: [redacted]\n"
                + "\tat dev.maas4j.X.y(X.java:1)\n"
                + "Caused by: java.io.IOException: bad key sk-oai-[redacted]\n"
                + "\tat dev.maas4j.X.z(X.java:2)\n");
    }

    @Test
    void aLineWithoutCredentialsComesBackAsTheSameString() {
        for (String line : List.of("", "Started oejs.Server@33c2bd{STARTING}[12.1.12,sto=10000] @1234ms",
                "POST /maas-api/v1/api-keys 201 keyId=2O3K8GdvGxy53RE7DXh5Yt", "Basically fine; Bearers of news",
                "BearerTokenResolver ready; cookies: 0; api keys: 3", "maas4j gateway stopped; usage flushed",
                "tokens=128 max_tokens=4096 Authorization header missing")) {
            assertUnchanged(line);
        }
    }

    private static void assertRedacts(String line, String expected) {
        assertEquals(expected, Redaction.redact(line));
    }

    private static void assertUnchanged(String line) {
        assertSame(line, Redaction.redact(line), line);
    }
}
