package dev.maas4j.core.usage;

/**
 * The prompt tokens {@link RequestInfo#parse(byte[], MediaEstimates)} counts for each image,
 * audio or file part of a request. Their bytes say nothing of their tokens (a model counts an
 * image by its resolution, a document by its pages, and a base64 payload is not text), so each
 * part adds a fixed figure instead; the defaults are {@link #DEFAULTS}.
 *
 * <p>A content part is recognized by its {@code type}: {@code image_url}, {@code input_image} or
 * {@code image} is an image; {@code input_audio} or {@code audio} is audio; {@code file},
 * {@code input_file} or {@code document} is a file (OpenAI Chat Completions and Responses, and
 * Anthropic Messages spell them so).
 *
 * <p>The figures are what a reservation sets aside and what the engine's usage bound multiplies
 * (a prompt is believed up to its estimate times a factor plus a slack): set them to about the
 * largest media the deployment's models take, or reported usage of bigger media is clamped and
 * flagged as anomalous.
 *
 * <pre>{@code
 * MediaEstimates media = new MediaEstimates(765, 1_500, 20_000); // 1024² images on GPT-4o, ~10-page documents
 * RequestInfo info = RequestInfo.parse(body, media);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param imageTokens tokens per image part, not negative
 * @param audioTokens tokens per audio part, not negative
 * @param fileTokens  tokens per file (document) part, not negative
 */
public record MediaEstimates(long imageTokens, long audioTokens, long fileTokens) {

    /**
     * The defaults: 1,600 tokens an image, 1,500 an audio clip, 4,000 a file.
     *
     * <ul>
     *   <li>Image, 1,600: the most the common vision models count for one image at their
     *       largest input size. Anthropic documents about {@code width × height / 750} tokens
     *       with images scaled to about 1.15 megapixels, at most about 1,600 tokens; OpenAI's
     *       GPT-4o counts 85 plus 170 per 512-pixel tile at high detail, 1,445 for the largest
     *       (2048 × 768) image; Gemini counts 258 per image tile.</li>
     *   <li>Audio, 1,500: Gemini documents 32 tokens per second of audio, so about 47 seconds;
     *       a clip of a voice request. Longer recordings need a larger figure.</li>
     *   <li>File, 4,000: Anthropic documents 1,500 to 3,000 tokens of text per PDF page, so a
     *       page or two. Deployments that serve long documents should raise it.</li>
     * </ul>
     */
    public static final MediaEstimates DEFAULTS = new MediaEstimates(1_600, 1_500, 4_000);

    /** Validates the components. */
    public MediaEstimates {
        notNegative(imageTokens, "imageTokens");
        notNegative(audioTokens, "audioTokens");
        notNegative(fileTokens, "fileTokens");
    }

    private static void notNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
