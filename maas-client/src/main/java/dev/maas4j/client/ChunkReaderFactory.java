package dev.maas4j.client;

import java.io.InputStream;
import java.util.function.Consumer;

/** Makes the {@link ChunkReader} of a stream; lets the streams stay ignorant of the transport. */
@FunctionalInterface
interface ChunkReaderFactory {
    <T> ChunkReader<T> reader(ApiResponse<InputStream> response, Class<T> type, Consumer<T> onChunk);
}
