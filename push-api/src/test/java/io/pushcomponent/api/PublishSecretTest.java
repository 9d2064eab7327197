package io.pushcomponent.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Stores keep a publish secret's hash; a publish matches only with the secret itself. */
class PublishSecretTest {
    private static final String SECRET = "fErH0hioonisNCeIE1szEL4z";

    @Test
    void theStoredFormIsAHashThatMatchesOnlyTheSecret() {
        String stored = PublishSecret.stored(SECRET);

        assertThat(stored).as("sha256: and the unpadded base64url SHA-256").matches("sha256:[A-Za-z0-9_-]{43}")
                .doesNotContain(SECRET);
        assertThat(PublishSecret.isStored(stored)).isTrue();
        assertThat(PublishSecret.isStored(SECRET)).isFalse();
        assertThat(PublishSecret.stored(stored)).as("a stored form is kept as it is (import)").isEqualTo(stored);
        assertThat(PublishSecret.stored(null)).isNull();

        assertThat(PublishSecret.matches(stored, SECRET)).as("the secret matches its hash").isTrue();
        assertThat(PublishSecret.matches(stored, stored)).as("whoever read the hash cannot publish with it")
                .isFalse();
        assertThat(PublishSecret.matches(stored, SECRET + "x")).isFalse();
        assertThat(PublishSecret.matches(SECRET, SECRET)).as("a registration not yet stored carries the secret")
                .isTrue();
        assertThat(PublishSecret.matches(SECRET, "other")).isFalse();
        assertThat(PublishSecret.matches(null, SECRET)).as("no secret was issued").isFalse();
        assertThat(PublishSecret.matches(stored, null)).isFalse();
    }

    /**
     * Rule: a publish's secret matches exactly when its stored form equals the registration's, whatever the secret
     * (ASCII as issued, other Unicode, longer than the checker's buffer) and wherever a wrong one differs, also
     * when the same thread checks one secret after another.
     */
    @Test
    void aSecretMatchesExactlyWhenItsStoredFormIsTheRegistrations() {
        java.util.Random random = new java.util.Random(42);
        java.util.List<String> secrets = new java.util.ArrayList<>(java.util.List.of(SECRET, "", "x",
                "s\u00e9cr\u00e8t \u4e2d\ud83d\ude00", "a".repeat(300), "\u00e9".repeat(300)));
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                sb.append((char) (random.nextBoolean() ? 0x21 + random.nextInt(0x5E) : 0xA0 + random.nextInt(0x500)));
            }
            secrets.add(sb.toString());
        }
        for (String secret : secrets) {
            String stored = PublishSecret.stored(secret);
            assertThat(PublishSecret.matches(stored, secret)).as(secret).isTrue();
            assertThat(PublishSecret.matches(secret.isEmpty() || PublishSecret.isStored(secret) ? stored : secret,
                    secret)).isTrue();
            for (int at = 0; at < stored.length(); at += 7) {
                char c = stored.charAt(at);
                String changed = stored.substring(0, at) + (c == 'A' ? 'B' : 'A') + stored.substring(at + 1);
                assertThat(PublishSecret.matches(changed, secret)).as("stored form changed at %d", at).isFalse();
            }
            assertThat(PublishSecret.matches(stored, secret + "x")).isFalse();
        }
        assertThat(PublishSecret.isStored("sha256:" + "A".repeat(42) + "=")).isFalse();
        assertThat(PublishSecret.isStored("sha256:" + "A".repeat(44))).isFalse();
        assertThat(PublishSecret.isStored("SHA256:" + "A".repeat(43))).isFalse();
        assertThat(PublishSecret.isStored("sha256:" + "-_09azAZ".repeat(5) + "abc")).isTrue();
    }
}
