package dev.maas4j.client;

/** HTTP 409: the resource already exists or was changed concurrently. */
public class ConflictException extends MaasApiException {

    /** An exception for {@code error}. */
    public ConflictException(ApiError error) {
        super(error);
    }
}
