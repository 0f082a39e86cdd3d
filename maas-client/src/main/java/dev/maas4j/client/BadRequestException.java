package dev.maas4j.client;

/** HTTP 400: the request was malformed or a parameter is invalid ({@link #param()} may name it). */
public class BadRequestException extends MaasApiException {

    /** An exception for {@code error}. */
    public BadRequestException(ApiError error) {
        super(error);
    }
}
