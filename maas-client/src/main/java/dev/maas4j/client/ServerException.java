package dev.maas4j.client;

/** HTTP 5xx: the gateway or the model server failed. */
public class ServerException extends MaasApiException {

    /** An exception for {@code error}. */
    public ServerException(ApiError error) {
        super(error);
    }
}
