package io.pushcomponent.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-written JSON (the request written, the answer's name read) agrees with a real parser, whatever the text. */
class FcmPayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "bell \u0007 nul \u0000 esc \u001b",
            "unicode é 漢字 😀", "</script><!--", "\u2028\u2029", "{\"json\": [1, 2]}"})
    void everyTextSurvivesTheRoundTrip(String text) throws Exception {
        PushRequest request = PushRequest.message(Device.of("fcm-http-v1", "token-" + text), "acc-" + text,
                new Summary(1, "sender-" + text, text, null, "nick-" + text));

        JsonNode message = JSON.readTree(FcmPayload.encode(request, Duration.ofHours(1), Duration.ofSeconds(60), true))
                .get("message");

        assertThat(message.get("token").asText()).isEqualTo("token-" + text);
        assertThat(message.at("/data/body").asText()).isEqualTo(text);
        assertThat(message.at("/data/sender").asText()).isEqualTo("sender-" + text);
        assertThat(message.at("/data/nickname").asText()).isEqualTo("nick-" + text);
        assertThat(message.at("/android/collapse_key").asText()).isEqualTo("acc-" + text);
    }

    /** Servers send the sender's full JID; FCM data carries its bare JID unless 'sender-jid' is 'full'. */
    @org.junit.jupiter.api.Test
    void theSenderIsSentAsItsBareJidUnlessConfiguredFull() throws Exception {
        PushRequest request = PushRequest.message(Device.of("fcm-http-v1", "token"), "juliet@example.com",
                new Summary(1, "romeo@example.net/orchard", "hi", null, null));

        JsonNode bare = JSON.readTree(FcmPayload.encode(request, Duration.ofHours(1), Duration.ofSeconds(60), false));
        JsonNode full = JSON.readTree(FcmPayload.encode(request, Duration.ofHours(1), Duration.ofSeconds(60), true));

        assertThat(bare.at("/message/data/sender").asText()).isEqualTo("romeo@example.net");
        assertThat(full.at("/message/data/sender").asText()).isEqualTo("romeo@example.net/orchard");
        assertThat(FcmPayload.bare("not a jid/<>")).isEqualTo("not a jid/<>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": \"projects/p/messages/0:1%2\"}", "{\n  \"name\" : \"projects/p/messages/0:1%2\"\n}\n",
            "{\"extra\": 1, \"name\": \"projects/p/messages/0:1%2\"}", "{\"name\": \"projects/p/messages/0:1%2\", \"x\": {}}"})
    void theMessageNameIsReadFromEveryShapeOfFcmsAnswer(String answer) {
        assertThat(FcmPushProvider.messageName(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("projects/p/messages/0:1%2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{}", "{\"name\": 5}", "not json"})
    void anAnswerWithoutANameGivesNone(String answer) {
        assertThat(FcmPushProvider.messageName(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNull();
    }
}
