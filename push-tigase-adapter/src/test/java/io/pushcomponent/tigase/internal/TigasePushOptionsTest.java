package io.pushcomponent.tigase.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TigasePushOptionsTest {
    private static final String KEY_B64 = "MDEyMzQ1Njc4OWFiY2RlZg==";

    static Stream<String> enables() {
        return Stream.of(
                "",
                "<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm'>" + KEY_B64 + "</encrypt>",
                "<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm' max-size='2048'>" + KEY_B64 + "</encrypt>"
                        + "<priority xmlns='tigase:push:priority:0'/><jingle xmlns='tigase:push:jingle:0'/>",
                "<muted xmlns='tigase:push:filter:muted:0'><item jid='a@example.com'/><item jid='b@example.com'/></muted>"
                        + "<ignore-unknown xmlns='tigase:push:filter:ignore-unknown:0'/>",
                "<groupchat xmlns='tigase:push:filter:groupchat:0'/>",
                "<groupchat xmlns='tigase:push:filter:groupchat:0'><room jid='r1@muc' allow='always'/>"
                        + "<room jid='r2@muc' allow='mentioned' nick='Romeo \"the\" Montague'/>"
                        + "<room jid='r3@muc' allow='never'/></groupchat>");
    }

    @ParameterizedTest
    @MethodSource("enables")
    void storedDataReadsBackToTheSameOptions(String children) {
        TigasePushOptions options = Xml.options("<enable xmlns='urn:xmpp:push:0' jid='p' node='n'>" + children
                + "</enable>");

        Map<String, String> data = options.toData();

        assertThat(TigasePushOptions.fromData(data)).as("what is stored with a registration reads back unchanged")
                .isEqualTo(options);
        assertThat(data.keySet()).as("keys are the extensions' namespaces, so they never collide with others")
                .allMatch(k -> k.startsWith("tigase:push:"));
        assertThat(options.toString()).as("toString never shows the key").doesNotContain(KEY_B64);
    }
}
