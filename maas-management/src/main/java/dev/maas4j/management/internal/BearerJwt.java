package dev.maas4j.management.internal;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;

import java.text.ParseException;
import java.util.Optional;

/**
 * Whether a bearer credential is a JWT, and of which issuer, read without verifying anything: how
 * the OIDC resolver tells its own tokens from others', and how the management API tells a token of
 * an issuer it does not trust from a credential it does not know. Stateless.
 */
public final class BearerJwt {
    private BearerJwt() {
    }

    /** {@code token} as a JWT (signed, unsecured or encrypted), if it is one. */
    public static Optional<JWT> parse(String token) {
        if (token.indexOf('.') < 0) {
            return Optional.empty(); // the cheap answer for opaque tokens
        }
        try {
            return Optional.of(JWTParser.parse(token));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** The unverified {@code iss} of a JWT whose claims can be read, if it has one. */
    public static Optional<String> issuer(JWT jwt) {
        try {
            return Optional.ofNullable(jwt.getJWTClaimsSet().getIssuer());
        } catch (ParseException | RuntimeException e) {
            // encrypted, or claims that are not a JSON object: no issuer can be read
            return Optional.empty();
        }
    }
}
