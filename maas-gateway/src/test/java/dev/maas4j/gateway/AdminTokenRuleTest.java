package dev.maas4j.gateway;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Which configured admin tokens are refused, how the refusal reads, and that random ones never are. */
class AdminTokenRuleTest {

    @Test
    void aTokenShorterThan32CharactersIsRefusedWithAMessageNamingTheSettingAndNotTheToken() {
        for (String token : List.of("aaaaaaaaaaaaaaaa", "password12345678", "t0ken",
                "4422168267348e66a46ec8edebad347")) { // random, but 31 characters
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AdminTokenRule.requireStrong(token));
            assertRefusal(e, token);
            assertTrue(e.getMessage().contains("too short"), e.getMessage());
        }
    }

    @Test
    void aLongTokenMadeOfRepeatsRunsKeyboardRowsOrCommonWordsIsRefused() {
        for (String token : List.of(
                "a".repeat(32),                                  // one character
                "abc".repeat(11),                                // a short unit repeated
                "ab12".repeat(8),
                "0123456789abcdef".repeat(2),                    // a digit and letter run, twice
                "password12345678password12345678",              // a word and a digit run
                "Password!2024Password!2024Password!2024",
                "P@ssw0rdP@ssw0rdP@ssw0rdP@ssw0rd",
                "adminadminadminadmin123456789012",
                "changeme-changeme-changeme-2024!!",
                "letmein-letmein-letmein-letmein-1",
                "secretsecretsecret-987654321-secret",
                "qwertyuiopasdfghjklzxcvbnm123456",              // keyboard rows
                "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9",
                "12345678901234567890123456789012",
                "s3cr3ts3cr3ts3cr3ts3cr3ts3cr3t!!")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AdminTokenRule.requireStrong(token), token);
            assertRefusal(e, token);
            assertTrue(e.getMessage().contains("too easy to guess"), e.getMessage());
        }
    }

    @Test
    void randomHexAndBase64TokensOf32CharactersOrMoreAreAlwaysAccepted() {
        SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 100_000; i++) {
            accept(hex.formatHex(bytes(random, 16)));                          // openssl rand -hex 16
            accept(Base64.getEncoder().encodeToString(bytes(random, 24)));     // openssl rand -base64 24
        }
        for (int i = 0; i < 20_000; i++) {
            accept(hex.formatHex(bytes(random, 32)));                          // openssl rand -hex 32
            accept(hex.withUpperCase().formatHex(bytes(random, 16)));
            accept(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, 32)));
            accept("maas-admin-" + hex.formatHex(bytes(random, 24)));          // the generated form
        }
    }

    @Test
    void tokensWithEnoughUnguessableCharactersAreAccepted() {
        assertDoesNotThrow(() -> AdminTokenRule.requireStrong("4422168267348e66a46ec8edebad3474"));
        // a guessable part is tolerated when enough else is random
        assertDoesNotThrow(() -> AdminTokenRule.requireStrong("password-4422168267348e66a46ec8ed"));
        assertDoesNotThrow(() -> AdminTokenRule.requireStrong("correct-horse-battery-staple-paperclip"));
    }

    private static void accept(String token) {
        try {
            AdminTokenRule.requireStrong(token);
        } catch (IllegalArgumentException e) {
            fail("a random token was refused (" + AdminTokenRule.unguessable(token) + " unguessable): " + token);
        }
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void assertRefusal(IllegalArgumentException e, String token) {
        String message = e.getMessage();
        assertTrue(message.contains("admin.token") && message.contains("MAAS_ADMIN_TOKEN"), message);
        assertTrue(message.contains("openssl rand -hex 32"), message);
        assertFalse(message.contains(token), "the message never echoes the token: " + message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }
}
