package dev.maas4j.client;

/** HTTP 422: the request was well-formed but could not be processed. */
public class UnprocessableEntityException extends MaasApiException {

    /** An exception for {@code error}. */
    public UnprocessableEntityException(ApiError error) {
        super(error);
    }
}
