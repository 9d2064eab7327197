package io.pushcomponent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** RFC 7622's address rules, with the examples of its §3.5. */
class JidTest {

    /** RFC 7622 §3.5.1: every one of these is a valid JID; each is shown in its normalised form. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "juliet@example.com|juliet@example.com",
            "juliet@example.com/foo|juliet@example.com/foo",
            "juliet@example.com/foo bar|juliet@example.com/foo bar",
            "juliet@example.com/foo@bar|juliet@example.com/foo@bar",
            "foo\\20bar@example.com|foo\\20bar@example.com",
            "fussball@example.com|fussball@example.com",
            "fußball@example.com|fußball@example.com",
            "π@example.com|π@example.com",
            "Σ@example.com/foo|σ@example.com/foo",
            "σ@example.com/foo|σ@example.com/foo",
            "ς@example.com/foo|ς@example.com/foo",
            "king@example.com/♚|king@example.com/♚",
            "example.com|example.com",
            "example.com/foobar|example.com/foobar",
            "a.example.com/b@example.net|a.example.com/b@example.net"})
    void theValidExamplesOfRfc7622Parse(String text, String normalised) {
        assertThat(Jid.parse(text).toString()).isEqualTo(normalised);
    }

    /** RFC 7622 §3.5.2: none of these is a JID. */
    @ParameterizedTest
    @ValueSource(strings = {"\"juliet\"@example.com", "foo bar@example.com", "henry\u2163@example.com",
            "♚@example.com", "@example.com", "henryv@example.com/", "juliet@", "/foobar"})
    void theInvalidExamplesOfRfc7622AreRefused(String text) {
        assertThatThrownBy(() -> Jid.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void localpartAndDomainAreCaseInsensitiveTheResourceIsNot() {
        Jid jid = Jid.parse("Juliet@Capulet.LIT/Balcony");

        assertThat(jid).isEqualTo(Jid.parse("juliet@capulet.lit/Balcony"));
        assertThat(jid).isNotEqualTo(Jid.parse("juliet@capulet.lit/balcony"));
        assertThat(jid.local()).isEqualTo("juliet");
        assertThat(jid.domain()).isEqualTo("capulet.lit");
        assertThat(jid.resource()).isEqualTo("Balcony");
    }

    @Test
    void bareDropsTheResource() {
        Jid full = Jid.parse("juliet@capulet.lit/balcony");

        assertThat(full.isBare()).isFalse();
        assertThat(full.bare()).isEqualTo(Jid.parse("juliet@capulet.lit"));
        assertThat(full.bare().isBare()).isTrue();
        assertThat(Jid.bareOf("Juliet@Capulet.lit/balcony")).isEqualTo("juliet@capulet.lit");
        assertThat(Jid.parse("push.example.net").hasLocal()).isFalse();
    }

    /** RFC 7622 §3.2: a trailing dot is stripped; ideographic full stops separate labels. */
    @Test
    void theDomainLosesItsTrailingDotAndTakesIdeographicFullStopsAsDots() {
        assertThat(Jid.parse("juliet@example.com.").domain()).isEqualTo("example.com");
        assertThat(Jid.parse("juliet@example\u3002com").domain()).isEqualTo("example.com");
    }

    /** RFC 7622 §3.3.1, UsernameCaseMapped: fullwidth forms are mapped to their ASCII counterparts. */
    @Test
    void fullwidthLettersInTheLocalpartBecomeAscii() {
        assertThat(Jid.parse("\uFF2A\uFF55\uFF4C\uFF49\uFF45\uFF54@example.com").local()).isEqualTo("juliet");
    }

    /** RFC 7622 §3.2, §3.3, §3.4: each part is at most 1023 bytes of UTF-8. */
    @Test
    void partsLongerThan1023BytesAreRefused() {
        String ok = "a".repeat(1023);
        assertThat(Jid.parse(ok + "@example.com/" + ok).local()).hasSize(1023);

        assertThatThrownBy(() -> Jid.parse("a".repeat(1024) + "@example.com"))
                .hasMessageContaining("localpart is longer than 1023 bytes");
        assertThatThrownBy(() -> Jid.parse("juliet@example.com/" + "é".repeat(512)))
                .hasMessageContaining("resourcepart is longer than 1023 bytes");
        assertThatThrownBy(() -> Jid.parse("juliet@" + "a".repeat(1024)))
                .hasMessageContaining("domainpart is longer than 1023 bytes");
    }

    @Test
    void anIpv6LiteralIsADomain() {
        assertThat(Jid.parse("juliet@[2001:DB8::1]").domain()).isEqualTo("[2001:db8::1]");
    }

    @Test
    void messagesNeverRepeatTheJid() {
        assertThatThrownBy(() -> Jid.parse("secret-name\u0000@example.com"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("secret-name");
    }
}
