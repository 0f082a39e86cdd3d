package dev.maas4j.client;

/** HTTP 403: the credential is valid but may not use this model or operation. */
public class PermissionDeniedException extends MaasApiException {

    /** An exception for {@code error}. */
    public PermissionDeniedException(ApiError error) {
        super(error);
    }
}
