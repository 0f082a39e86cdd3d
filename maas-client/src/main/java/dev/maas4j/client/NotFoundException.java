package dev.maas4j.client;

/** HTTP 404: the model, key or resource does not exist (or is hidden from this caller). */
public class NotFoundException extends MaasApiException {

    /** An exception for {@code error}. */
    public NotFoundException(ApiError error) {
        super(error);
    }
}
