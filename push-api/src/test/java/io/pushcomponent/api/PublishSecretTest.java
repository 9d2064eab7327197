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
}
