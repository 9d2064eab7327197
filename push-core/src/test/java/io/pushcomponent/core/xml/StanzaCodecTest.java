package io.pushcomponent.core.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.disco.DiscoInfo;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Disable;
import io.pushcomponent.core.xml.push.Enable;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.CapturedStanza;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

class StanzaCodecTest {
    private final StanzaCodec codec = StanzaCodec.create();

    private static Notification notificationOf(Stanza stanza) {
        return stanza.extension(PubSub.class).orElseThrow().publish().orElseThrow().items().get(0)
                .payload(Notification.class).orElseThrow();
    }

    @Test
    void readsProsodyPublishVerbatim() throws Exception {
        Stanza stanza = codec.read(CapturedStanza.PROSODY_OFFLINE.xml());

        assertThat(stanza).as("an iq element is read as Iq").isInstanceOf(Iq.class);
        assertThat(stanza.id()).isEqualTo("8c3a9a75b7b4f9d001f2aa74921d0a28dc99b3a8b8f4cf02674bb4270ff3b0a5");
        assertThat(stanza.from()).isEqualTo("localhost");
        PubSub pubsub = stanza.extension(PubSub.class).orElseThrow();
        assertThat(pubsub.publish().orElseThrow().node()).isEqualTo("harness-node-1");
        DataForm summary = notificationOf(stanza).form().orElseThrow();
        assertThat(summary.formType()).isEqualTo(Namespaces.PUSH_SUMMARY);
        assertThat(summary.value("message-count")).contains("1");
        assertThat(summary.value("last-message-body")).contains("New Message!");
        assertThat(summary.value("last-message-sender"))
                .as("Prosody's empty <field var='last-message-sender'/> reads as no value").isEmpty();
        assertThat(pubsub.publishOptions().orElseThrow().value("secret")).contains("harness-secret-1");
    }

    @Test
    void readsEjabberdPublishWithSlashesInIdAndNoMessageCount() throws Exception {
        Stanza stanza = codec.read(CapturedStanza.EJABBERD_OFFLINE.xml());

        assertThat(stanza.id()).isEqualTo("rr-1795543856351-522153942817382452-wyUutsQM7odXva3K6byjya1LyKc=-115216820");
        DataForm summary = notificationOf(stanza).form().orElseThrow();
        assertThat(summary.type()).isEqualTo("submit");
        assertThat(summary.value("message-count")).as("ejabberd sends no message-count").isEmpty();
        assertThat(summary.value("last-message-body")).contains("New message");
        assertThat(summary.field("last-message-body").orElseThrow().label())
                .isEqualTo("The body text of the last received message");
    }

    @Test
    void readsTigaseSummaryAndKeepsItsPriorityElement() throws Exception {
        Stanza stanza = codec.read(CapturedStanza.TIGASE_8_4.xml());

        Notification n = notificationOf(stanza);
        assertThat(n.form().orElseThrow().formType()).isEqualTo(Namespaces.PUSH_SUMMARY_TIGASE);
        assertThat(n.form().orElseThrow().type()).as("Tigase sends the form without a type").isNull();
        assertThat(n.other()).as("unknown notification children are kept, not dropped").hasSize(1);
        Element priority = (Element) n.other().get(0);
        assertThat(priority.getNamespaceURI()).isEqualTo("tigase:push:priority:0");
        assertThat(priority.getTextContent()).isEqualTo("high");
    }

    @ParameterizedTest(name = "stanza namespace ''{0}''")
    @ValueSource(strings = {Namespaces.COMPONENT_ACCEPT, Namespaces.CLIENT, Namespaces.SERVER, ""})
    void readsStanzasInEveryStanzaNamespace(String ns) throws Exception {
        String xml = "<message xmlns='" + ns + "' from='a@example.com' to='push.example.net' id='m1'>"
                + "<body>hi</body><error type='cancel'><gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
                + "</message>";
        if (ns.isEmpty()) {
            xml = xml.replace(" xmlns=''", "");
        }

        Message m = (Message) codec.read(xml);

        assertThat(m.body()).as("body in the stanza namespace is read whatever that namespace is").contains("hi");
        assertThat(m.error().orElseThrow().condition()).isEqualTo(StanzaError.Condition.GONE);
        assertThat(m.extensions()).as("body and error are not mistaken for unknown extensions").isEmpty();
    }

    @Test
    void writesDefaultNamespaceFormWithoutPrefixesAndWithoutStanzaNamespace() {
        DataForm summary = DataForm.submit(Namespaces.PUSH_SUMMARY).field("message-count", "1");
        Iq iq = Iq.set("push.example.net", PubSub.publish("node-1", Notification.of(summary))
                        .publishOptions(DataForm.submit(Namespaces.PUBSUB_PUBLISH_OPTIONS).field("secret", "s3")))
                .id("p1").from("example.com");

        String xml = codec.write(iq);

        assertThat(xml).as("XMPP's default-namespace form, stanza element inheriting the stream namespace")
                .isEqualTo("<iq id='p1' from='example.com' to='push.example.net' type='set'>"
                        + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='node-1'><item>"
                        + "<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='submit'>"
                        + "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:push:summary</value></field>"
                        + "<field var='message-count'><value>1</value></field></x></notification></item></publish>"
                        + "<publish-options><x xmlns='jabber:x:data' type='submit'>"
                        + "<field var='FORM_TYPE' type='hidden'>"
                        + "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                        + "<field var='secret'><value>s3</value></field></x></publish-options></pubsub></iq>");
    }

    @Test
    void writesErrorReplyInStanzaNamespaceWithConditionAndText() throws Exception {
        Iq request = (Iq) codec.read(CapturedStanza.PROSODY_OFFLINE.xml());

        String xml = codec.write(request.errorReply(
                StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND, "no such node")));

        assertThat(xml).as("an <error/> must inherit the stream namespace: Prosody ignores one in jabber:client")
                .isEqualTo("<iq id='" + request.id() + "' from='push.localhost' to='localhost' type='error'>"
                        + "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                        + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no such node</text></error></iq>");
        StanzaError back = codec.read(xml).error().orElseThrow();
        assertThat(back.type()).isEqualTo(StanzaError.Type.CANCEL);
        assertThat(back.condition()).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(back.text()).contains("no such node");
    }

    @Test
    void writesRemoteDisablingMessageAsXep0357Shows() {
        Message m = Message.of("push.example.net", "user@example.com",
                PubSub.affiliationNone("yxs32uqsflafdk3iuqo", "user@example.com")).id("r1");

        assertThat(codec.write(m)).as("XEP-0357 §6.1 remote disabling")
                .isEqualTo("<message id='r1' from='push.example.net' to='user@example.com'>"
                        + "<pubsub xmlns='http://jabber.org/protocol/pubsub' node='yxs32uqsflafdk3iuqo'>"
                        + "<affiliation jid='user@example.com' affiliation='none'/></pubsub></message>");
    }

    @Test
    void keepsUnknownElementsAndAttributesThroughReadAndWrite() throws Exception {
        String xml = "<iq xmlns='jabber:client' type='get' id='u1' to='push.example.net' from='a@b/c' x-custom='1'>"
                + "<query xmlns='urn:example:unknown' depth='2'><deeper><leaf>text &amp; more</leaf></deeper>"
                + "<other xmlns=''/></query></iq>";

        Iq iq = (Iq) codec.read(xml);
        String written = codec.write(iq);

        assertThat(iq.otherAttributes()).containsEntry(new QName("x-custom"), "1");
        assertThat(written).as("unknown content is written back as it came, in the default-namespace form")
                .isEqualTo("<iq id='u1' from='a@b/c' to='push.example.net' type='get' x-custom='1'>"
                        + "<query xmlns='urn:example:unknown' depth='2'><deeper><leaf>text &amp; more</leaf></deeper>"
                        + "<other xmlns=''/></query></iq>");
    }

    @Test
    void readsAndWritesEnableWithTigaseExtensions() throws Exception {
        String xml = "<iq type='set' id='e1'><enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n1'"
                + " away='true'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                + "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='secret'><value>eruio234vzxc2kla-91</value></field></x>"
                + "<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm' max-size='3000'>a2V5</encrypt></enable></iq>";

        Enable enable = codec.read(xml).extension(Enable.class).orElseThrow();

        assertThat(enable.jid()).isEqualTo("push.example.net");
        assertThat(enable.node()).isEqualTo("n1");
        assertThat(enable.publishOptions().orElseThrow().value("secret")).contains("eruio234vzxc2kla-91");
        assertThat(enable.otherAttributes()).containsEntry(new QName("away"), "true");
        assertThat(((Element) enable.other().get(0)).getAttribute("alg")).isEqualTo("aes-128-gcm");
        assertThat(codec.write(Iq.set("example.com", Disable.of("push.example.net", null)).id("d1")))
                .isEqualTo("<iq id='d1' to='example.com' type='set'>"
                        + "<disable xmlns='urn:xmpp:push:0' jid='push.example.net'/></iq>");
    }

    @Test
    void readsCommandsAndDiscoAndWritesThemBack() throws Exception {
        Command c = Command.request("register-device", Command.EXECUTE).sessionId("s1")
                .form(DataForm.form(null).add(new DataForm.Field("provider").type(DataForm.Field.LIST_SINGLE)
                        .option("FCM", "fcm-http-v1").required(true)))
                .actions(Command.COMPLETE, Command.COMPLETE);
        Iq iq = new Iq().id("c1").type(Iq.RESULT).add(c).add(new DiscoInfo().identity("pubsub", "push", null)
                .feature(Namespaces.PUSH));

        Iq back = (Iq) codec.read(codec.write(iq));

        Command read = back.extension(Command.class).orElseThrow();
        assertThat(read.node()).isEqualTo("register-device");
        assertThat(read.sessionId()).isEqualTo("s1");
        assertThat(read.defaultAction()).isEqualTo(Command.COMPLETE);
        DataForm.Field provider = read.form().orElseThrow().field("provider").orElseThrow();
        assertThat(provider.required()).isTrue();
        assertThat(provider.options()).extracting(DataForm.Option::value).containsExactly("fcm-http-v1");
        assertThat(back.extension(DiscoInfo.class).orElseThrow().features()).containsExactly(Namespaces.PUSH);
    }

    @Test
    void writesToStreamsAsUtf8() throws Exception {
        Message m = new Message().id("m").to("a@example.com").body("Grüße \u0001 <tag> 'q'");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        codec.write(m, out);

        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("text is escaped and characters XML cannot carry are replaced")
                .isEqualTo("<message id='m' to='a@example.com'><body>Grüße \uFFFD &lt;tag&gt; 'q'</body></message>");
    }

    @Test
    void readsStanzaAfterStanzaFromAStreamWithoutReadingAhead() throws Exception {
        String stream = "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'"
                + " from='push.example.net' id='s'>"
                + "<iq type='get' id='1' from='a@example.com/r'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"
                + "<unknown-top-level><child/></unknown-top-level>"
                + CapturedStanza.EJABBERD_OFFLINE.xml();
        XMLStreamReader reader = XmppXml.inputFactory().createXMLStreamReader(new StringReader(stream));
        reader.nextTag();
        List<Object> seen = new ArrayList<>();
        while (reader.next() != XMLStreamConstants.END_DOCUMENT) {
            if (reader.getEventType() != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            try {
                seen.add(codec.read(reader));
                assertThat(reader.getEventType()).as("reader left on the stanza's end tag")
                        .isEqualTo(XMLStreamConstants.END_ELEMENT);
            } catch (XmlRejectedException e) {
                assertThat(e.streamUsable()).as("a well-formed non-stanza is skipped whole").isTrue();
                assertThat(e.condition()).isEqualTo("bad-request");
                seen.add(e.getMessage());
            }
            if (seen.size() == 3) {
                break;
            }
        }

        assertThat(seen.get(0)).isInstanceOf(Iq.class);
        assertThat(((Iq) seen.get(0)).extension(DiscoInfo.class)).isPresent();
        assertThat(seen.get(1)).asString().contains("unknown-top-level").contains("not a stanza");
        assertThat(notificationOf((Stanza) seen.get(2)).form().orElseThrow().value("last-message-body"))
                .contains("New message");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        String xml = CapturedStanza.PROSODY_OFFLINE.xml();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    Iq iq = (Iq) codec.read(xml.replace("harness-node-1", "node-" + n));
                    return codec.write(iq);
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS)).as("each thread reads its own stanza")
                        .contains("node='node-" + i + "'");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsReaderNotAtStartTag() throws Exception {
        XMLStreamReader reader = XmppXml.inputFactory().createXMLStreamReader(new StringReader("<iq/>"));

        assertThatThrownBy(() -> codec.read(reader)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start tag");
    }
}
