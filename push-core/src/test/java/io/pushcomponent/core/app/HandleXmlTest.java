package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.testkit.FakePushProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PushAppServer#handleXml}: hostile stanzas are refused with a clear error (an IQ whose id can be read is
 * answered), never read a file or expand entities, and the next stanza is served as usual.
 */
class HandleXmlTest {
    private static final String DISCO = "<iq type='get' id='next' from='juliet@capulet.example/b' to='" + PUSH
            + "'><query xmlns='" + Namespaces.DISCO_INFO + "'/></iq>";

    private final FakePushProvider provider = new FakePushProvider();
    private final PushAppServer server = PushAppServer.builder().jid(PUSH)
            .store(new AppServerFixture.CountingStore()).provider("fcm-http-v1", provider).build();

    @TempDir
    Path dir;

    @AfterEach
    void nextStanzaIsStillServed() {
        List<String> out = handle(DISCO);
        assertThat(out).as("the stanza after a refused one is served").hasSize(1);
        assertThat(out.get(0)).startsWith("<iq id='next'").contains("type='result'").contains(Namespaces.PUSH);
        server.close();
    }

    private List<String> handle(String xml) {
        try {
            return server.handleXml(xml).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within 10 s", e);
        }
    }

    @Test
    void externalEntityIsAnsweredWithAnErrorAndTheFileNeverAppears() throws Exception {
        Path secret = dir.resolve("passwd");
        Files.writeString(secret, "root:x:0:0:secret-line", StandardCharsets.UTF_8);
        String xml = "<!DOCTYPE iq [<!ENTITY xxe SYSTEM '" + secret.toUri() + "'>]><iq type='set' id='xxe' from='"
                + "evil.example' to='" + PUSH + "'><pubsub xmlns='" + Namespaces.PUBSUB + "'><publish node='&xxe;'/>"
                + "</pubsub></iq>";

        List<String> out = handle(xml);

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).as("an error answer naming the reason, without the file's content")
                .startsWith("<iq id='xxe' from='" + PUSH + "' to='evil.example' type='error'>")
                .contains("bad-request").contains("DTD").doesNotContain("secret-line");
        assertThat(provider.requests()).isEmpty();
    }

    @Test
    void billionLaughsIsAnsweredWithAnError() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 'lol'>");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" '").append(("&lol" + (i - 1) + ";").repeat(10)).append("'>");
        }
        String xml = dtd + "]><iq type='get' id='lol' from='evil.example'><query xmlns='"
                + Namespaces.DISCO_INFO + "'>&lol9;</query></iq>";

        List<String> out = handle(xml);

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).contains("id='lol'").contains("type='error'").doesNotContain("lollol");
    }

    @Test
    void tenMegabyteStanzaIsAnsweredWithPolicyViolation() {
        String xml = "<iq type='set' id='huge' from='evil.example'><pubsub xmlns='" + Namespaces.PUBSUB
                + "'><publish node='n'><item><notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'>"
                + "<field var='last-message-body'><value>" + "x".repeat(10 * 1024 * 1024)
                + "</value></field></x></notification></item></publish></pubsub></iq>";

        List<String> out = handle(xml);

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).contains("id='huge'").contains("<policy-violation")
                .contains("larger than 65536 characters");
        assertThat(out.get(0).length()).as("the answer does not echo the stanza").isLessThan(1024);
    }

    @Test
    void tenThousandNestedElementsAreAnsweredWithAnError() {
        String xml = "<iq type='get' id='deep' from='evil.example'>" + "<a>".repeat(10_000) + "</a>".repeat(10_000)
                + "</iq>";

        List<String> out = handle(xml);

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).contains("id='deep'").contains("<policy-violation");
    }

    @Test
    void garbageWithoutAReadableIdGetsNoAnswer() {
        assertThat(handle("<<<not xml")).as("nothing to answer to, and nothing breaks").isEmpty();
    }

    @Test
    void pingIsAnsweredWithAnEmptyResult() {
        List<String> out = handle("<iq type='get' id='ping-1' from='capulet.example' to='" + PUSH + "'><ping xmlns='"
                + Namespaces.PING + "'/></iq>");

        assertThat(out).as("XEP-0199 §4.2: a supporting entity answers a ping with an empty result, so a server that"
                + " pings its components sees this one alive").containsExactly("<iq id='ping-1' from='" + PUSH
                + "' to='capulet.example' type='result'/>");
    }

    @Test
    void requestWithTwoPayloadsIsABadRequest() {
        List<String> out = handle("<iq type='get' id='two' from='juliet@capulet.example/b' to='" + PUSH + "'><query"
                + " xmlns='" + Namespaces.DISCO_INFO + "'/><query xmlns='" + Namespaces.DISCO_ITEMS + "'/></iq>");

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).as("RFC 6120 §8.2.3: a get or set carries exactly one payload; the answer to two is an"
                        + " error, not the first one's result").startsWith("<iq id='two'").contains("type='error'")
                .contains("<bad-request ").doesNotContain("<identity");
    }

    @Test
    void requestWithoutIdIsABadRequest() {
        List<String> out = handle("<iq type='get' from='juliet@capulet.example/b' to='" + PUSH + "'><query xmlns='"
                + Namespaces.DISCO_INFO + "'/></iq>");

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).as("RFC 6120 §8.1.3: an iq must have an id; one without is answered with an error, not"
                + " served").contains("type='error'").contains("<bad-request ").doesNotContain("<identity");
    }

    @Test
    void iqOfAnUnknownTypeOrWithoutTypeIsABadRequestWhileAnUnexpectedResultGetsNoAnswer() {
        List<String> unknown = handle("<iq type='bogus' id='t1' from='juliet@capulet.example/b' to='" + PUSH
                + "'><ping xmlns='" + Namespaces.PING + "'/></iq>");
        List<String> untyped = handle("<iq id='t2' from='juliet@capulet.example/b' to='" + PUSH + "'><ping xmlns='"
                + Namespaces.PING + "'/></iq>");
        List<String> result = handle("<iq type='result' id='t3' from='juliet@capulet.example/b' to='" + PUSH
                + "'/>");

        assertThat(List.of(unknown, untyped)).as("RFC 6120 §8.3.3.1: an iq with an unrecognized type (or none, "
                        + "§8.1.3) is answered with bad-request, not dropped as if it were a response")
                .allSatisfy(out -> assertThat(out).singleElement().asString().contains("type='error'")
                        .contains("<bad-request "));
        assertThat(unknown.get(0)).startsWith("<iq id='t1'");
        assertThat(result).as("§8.2.3: a response is never answered").isEmpty();
    }

    @Test
    void pubSubRequestsOtherThanAPublishAreFeatureNotImplementedNamingTheFeature() {
        String from = "' from='juliet@capulet.example/b' to='" + PUSH + "'>";
        List<String> subscribe = handle("<iq type='set' id='s1" + from + "<pubsub xmlns='" + Namespaces.PUBSUB
                + "'><subscribe node='n1' jid='juliet@capulet.example'/></pubsub></iq>");
        List<String> items = handle("<iq type='get' id='s2" + from + "<pubsub xmlns='" + Namespaces.PUBSUB
                + "'><items node='n1'/></pubsub></iq>");
        List<String> delete = handle("<iq type='set' id='s3" + from + "<pubsub xmlns='" + Namespaces.PUBSUB_OWNER
                + "'><delete node='n1'/></pubsub></iq>");
        List<String> publishAsGet = handle("<iq type='get' id='s4" + from + "<pubsub xmlns='" + Namespaces.PUBSUB
                + "'><publish node='n1'><item/></publish></pubsub></iq>");

        assertThat(List.of(subscribe, items, delete)).as("XEP-0060: a service that leaves out a use case answers "
                        + "feature-not-implemented with the pubsub#errors <unsupported/> naming its feature")
                .extracting(out -> out.get(0))
                .allSatisfy(xml -> assertThat(xml).contains("type='error'").contains("<error type='cancel'>")
                        .contains("<feature-not-implemented "))
                .satisfiesExactly(
                        xml -> assertThat(xml).contains("<unsupported xmlns='" + Namespaces.PUBSUB_ERRORS
                                + "' feature='subscribe'/>"),
                        xml -> assertThat(xml).contains("feature='retrieve-items'"),
                        xml -> assertThat(xml).contains("feature='delete-nodes'"));
        assertThat(publishAsGet).singleElement().asString().as("XEP-0060 §7.1.1: a publish is a set")
                .contains("<bad-request ");
    }

    @Test
    void aStartTagOverTheAttributeCapIsAnsweredFromItsBytes() {
        String attributes = IntStream.range(0, 100).mapToObj(i -> " a" + i + "='x'")
                .collect(Collectors.joining());

        List<String> out = handle("<?xml version='1.0'?><iq type='get' id='many' from='juliet@capulet.example/b' to='"
                + PUSH + "'" + attributes + "><ping xmlns='" + Namespaces.PING + "'/></iq>");

        assertThat(out).as("the parser gives up before it reads the id; the head comes from the start tag's bytes")
                .singleElement().asString().startsWith("<iq id='many'").contains("type='error'")
                .contains("<policy-violation ");
    }
}
