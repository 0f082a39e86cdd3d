package dev.maas4j.client;

/** HTTP 401: the API key or token is missing, unknown, expired or revoked. */
public class AuthenticationException extends MaasApiException {

    /** An exception for {@code error}. */
    public AuthenticationException(ApiError error) {
        super(error);
    }
}
