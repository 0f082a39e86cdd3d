package dev.maas4j.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * An embedding vector in either wire form: an array of numbers ({@code encoding_format: float})
 * or base64 of little-endian float32 values ({@code encoding_format: base64}).
 */
public final class VectorJson {

    private VectorJson() {
    }

    /** Reads both forms. */
    public static final class Deserializer extends JsonDeserializer<float[]> {
        @Override
        public float[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(p.getText()))
                        .order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[bytes.remaining() / Float.BYTES];
                bytes.asFloatBuffer().get(v);
                return v;
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return (float[]) ctxt.handleUnexpectedToken(float[].class, p);
            }
            float[] v = new float[256];
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (n == v.length) {
                    v = Arrays.copyOf(v, n * 2);
                }
                v[n++] = p.getFloatValue();
            }
            return Arrays.copyOf(v, n);
        }

        @Override
        public float[] getNullValue(DeserializationContext ctxt) {
            return new float[0];
        }
    }

    /** Writes an array of numbers. */
    public static final class Serializer extends JsonSerializer<float[]> {
        @Override
        public void serialize(float[] value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeArray(toDoubles(value), 0, value.length);
        }

        private static double[] toDoubles(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
    }
}
