package io.pushcomponent.core.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
import io.pushcomponent.core.xml.XmppXml;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.testkit.CapturedStanza;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/**
 * Rule: the publish fast path ({@link PublishReader}, used by {@link StanzaCodec#readEnclosed(byte[])}) builds
 * exactly the model JAXB builds for every publish of the usual shape, and leaves every other stanza to JAXB, so
 * that reading a stanza gives the same result whichever path reads it.
 */
class PublishReaderTest {
    private static final StanzaCodec CODEC = StanzaCodec.create();
    private static final XMLInputFactory FACTORY = XmppXml.inputFactory();

    /** XEP-0357 Example 8, as the XEP prints it (indented). */
    private static final String EXAMPLE_8 = """
            <iq type='set'
                from='user@example.com'
                to='push-5.client.example'
                id='n12'>
              <pubsub xmlns='http://jabber.org/protocol/pubsub'>
                <publish node='yxs32uqsflafdk3iuqo'>
                  <item>
                    <notification xmlns='urn:xmpp:push:0'>
                      <x xmlns='jabber:x:data'>
                        <field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>
                        <field var='message-count'><value>1</value></field>
                        <field var='last-message-sender'><value>juliet@capulet.example/balcony</value></field>
                        <field var='last-message-body'><value>Wherefore art thou, Romeo?</value></field>
                      </x>
                    </notification>
                  </item>
                </publish>
                <publish-options>
                  <x xmlns='jabber:x:data' type='submit'>
                    <field var='FORM_TYPE'>
                      <value>http://jabber.org/protocol/pubsub#publish-options</value>
                    </field>
                    <field var='secret'><value>eruio234vzxc2kla-91</value></field>
                  </x>
                </publish-options>
              </pubsub>
            </iq>""";

    private static final String PUBLISH_OPTIONS = "<publish-options><x xmlns='jabber:x:data' type='submit'>"
            + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
            + "<field var='secret'><value>s3cr&amp;t</value></field></x></publish-options>";

    private static String publish(String notification, String options) {
        return "<iq type='set' from='example.com' to='push.example.net' id='p1'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n1'><item>" + notification
                + "</item></publish>" + options + "</pubsub></iq>";
    }

    private static final String SUMMARY = "<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'>"
            + "<field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>"
            + "<field var='message-count'><value>3</value></field></x></notification>";

    /** Publishes of exactly the usual shape: the fast path reads them. */
    static List<String> usualShape() {
        return List.of(
                CapturedStanza.PROSODY_OFFLINE.xml(),
                CapturedStanza.PROSODY_HIBERNATED.xml(),
                CapturedStanza.EJABBERD_OFFLINE.xml(),
                EXAMPLE_8,
                publish(SUMMARY, ""),
                publish(SUMMARY, PUBLISH_OPTIONS),
                publish(SUMMARY, "<publish-options><x xmlns='jabber:x:data' type='submit'>"
                        + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value>"
                        + "</field></x></publish-options>"),
                publish("<notification xmlns='urn:xmpp:push:0'/>", PUBLISH_OPTIONS),
                publish("<notification xmlns='urn:xmpp:push:0'></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'/></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='form'>"
                        + "<field var='empty'><value/></field><field var='two'><value>a</value><value>b</value>"
                        + "</field><field var='spaces'><value> a &lt; b &#x263A; </value></field>"
                        + "<field var='bare'/><field type='fixed' label='L'/></x></notification>", ""),
                "<iq type='set' id='q' xmlns='jabber:client'><ps:pubsub xmlns:ps='http://jabber.org/protocol/pubsub'>"
                        + "<ps:publish><ps:item id='i1'>" + SUMMARY + "</ps:item><ps:item>" + SUMMARY
                        + "</ps:item></ps:publish></ps:pubsub></iq>",
                "<iq type='set' id='e'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/>"
                        + "</pubsub></iq>");
    }

    /** Stanzas that differ from the shape somewhere: JAXB reads them. */
    static List<String> otherShapes() {
        return List.of(
                CapturedStanza.TIGASE_8_4.xml(),
                publish("<notification xmlns='urn:xmpp:push:0'><encrypted xmlns='tigase:push:encrypt:0' "
                        + "type='aes-128-gcm' iv='aXY='>ZGF0YQ==</encrypted></notification>", PUBLISH_OPTIONS),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'/>"
                        + "<jingle xmlns='tigase:push:jingle:0'/></notification>", ""),
                publish(SUMMARY + "<extra xmlns='urn:example'/>", ""),
                publish(SUMMARY, PUBLISH_OPTIONS + "<extra xmlns='urn:example'/>"),
                publish(SUMMARY, "<publish-options/>"),
                publish(SUMMARY, "<publish-options><x xmlns='jabber:x:data' type='submit'/><x xmlns='jabber:x:data'/>"
                        + "</publish-options>"),
                publish("<notification xmlns='urn:xmpp:push:0' extra='1'/>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' extra='1'/></notification>",
                        ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'><title>t</title></x>"
                        + "</notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'><field var='a'>"
                        + "<required/></field></x></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'><field var='a' x:y='1' "
                        + "xmlns:x='urn:x'/></x></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'><field var='a'><value>"
                        + "<![CDATA[b]]></value></field></x></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'><field var='a'><value>"
                        + "b<b/></value></field></x></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='urn:other'/></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:1'/>", ""),
                publish("text<notification xmlns='urn:xmpp:push:0'/>", ""),
                publish("", ""),
                publish(SUMMARY + SUMMARY, ""),
                "<iq type='get' id='g'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/>"
                        + "</pubsub></iq>",
                "<iq type='set' id='l' xml:lang='en'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                        + "<publish node='n'/></pubsub></iq>",
                "<iq type='set' id='a' other='1'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                        + "<publish node='n'/></pubsub></iq>",
                "<iq type='set' id='d'><pubsub xmlns='http://jabber.org/protocol/pubsub' node='n'>"
                        + "<affiliation jid='u@example.com' affiliation='none'/></pubsub></iq>",
                "<iq type='set' id='o'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/>"
                        + "</pubsub><other xmlns='urn:example'/></iq>",
                "<iq type='set' id='r'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/>"
                        + "</pubsub><error type='cancel'/></iq>",
                "<message id='m'><body>hi</body></message>");
    }

    @ParameterizedTest
    @MethodSource("usualShape")
    void aPublishOfTheUsualShapeIsReadByTheFastPathIntoTheModelJaxbBuilds(String xml) throws Exception {
        Iq fast = fastPath(xml);
        Stanza jaxb = jaxb(xml);

        assertThat(fast).as("fast path taken").isNotNull();
        assertThat(describe(fast)).isEqualTo(describe(jaxb));
        assertThat(CODEC.write(fast)).isEqualTo(CODEC.write(jaxb));
        Stanza enclosed = CODEC.readEnclosed(enclose(xml));
        assertThat(describe(enclosed)).isEqualTo(describe(jaxb));
        assertThat(describe(CODEC.readEnclosed(inBuffer(enclose(xml)), enclose(xml).length)))
                .as("read from the first bytes of a larger buffer: the same stanza as from an array of its own")
                .isEqualTo(describe(jaxb));
        assertThat(describe(CODEC.read(xml))).as("read(String) takes the fast path into the same model")
                .isEqualTo(describe(jaxb));
    }

    @ParameterizedTest
    @MethodSource("otherShapes")
    void anyOtherStanzaIsLeftToJaxbAndReadsAsJaxbReadsIt(String xml) throws Exception {
        assertThat(fastPath(xml)).as("fast path declined").isNull();
        assertThat(describe(CODEC.readEnclosed(enclose(xml)))).isEqualTo(describe(jaxb(xml)));
        assertThat(describe(CODEC.readEnclosed(inBuffer(enclose(xml)), enclose(xml).length)))
                .isEqualTo(describe(jaxb(xml)));
        assertThat(describe(CODEC.read(xml))).isEqualTo(describe(jaxb(xml)));
    }

    /** {@code document} at the start of a larger buffer whose remaining bytes would break any parse that read them. */
    private static byte[] inBuffer(byte[] document) {
        byte[] buffer = Arrays.copyOf(document, document.length + 64);
        Arrays.fill(buffer, document.length, buffer.length, (byte) '<');
        return buffer;
    }

    /**
     * Rule: XML that XMPP restricts, or a publish that is not a stanza, is refused the same way, though it is
     * otherwise of the usual shape.
     */
    @ParameterizedTest
    @MethodSource("refused")
    void aRefusedPublishIsRefusedAsJaxbRefusesIt(String xml) throws Exception {
        assertThat(fastPath(xml)).isNull();
        XmlRejectedException viaJaxb = catchThrowableOfType(() -> jaxb(xml), XmlRejectedException.class);
        XmlRejectedException viaEnclosed = catchThrowableOfType(() -> CODEC.readEnclosed(enclose(xml)),
                XmlRejectedException.class);
        assertThat(viaJaxb).isNotNull();
        assertThat(viaEnclosed).isNotNull();
        assertThat(viaEnclosed.reason()).isEqualTo(viaJaxb.reason());
        assertThat(viaEnclosed.getMessage()).isEqualTo(viaJaxb.getMessage());
        assertThat(viaEnclosed.head()).isEqualTo(viaJaxb.head());
        XmlRejectedException viaString = catchThrowableOfType(() -> CODEC.read(xml), XmlRejectedException.class);
        assertThat(viaString).isNotNull();
        assertThat(viaString.reason()).isEqualTo(viaJaxb.reason());
        assertThat(viaString.head()).isEqualTo(viaJaxb.head());
    }

    /**
     * Rule: read(String) of a publish of the usual shape still refuses what XMPP restricts around the stanza (RFC
     * 6120 section 11.1) and a second element, as the JAXB path does.
     */
    @ParameterizedTest
    @MethodSource("restrictedAround")
    void aPublishWithRestrictedXmlAroundItIsRefusedByReadOfAString(String xml, XmlRejectedException.Reason reason) {
        XmlRejectedException e = catchThrowableOfType(() -> CODEC.read(xml), XmlRejectedException.class);

        assertThat(e).as("refused").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
    }

    static List<Arguments> restrictedAround() {
        String usual = publish(SUMMARY, PUBLISH_OPTIONS);
        return List.of(
                Arguments.of("<!-- c -->" + usual, XmlRejectedException.Reason.RESTRICTED_XML),
                Arguments.of("<?pi x?>" + usual, XmlRejectedException.Reason.RESTRICTED_XML),
                Arguments.of("<!DOCTYPE iq>" + usual, XmlRejectedException.Reason.RESTRICTED_XML),
                Arguments.of(usual + "<!-- c -->", XmlRejectedException.Reason.RESTRICTED_XML),
                Arguments.of(usual + "<?pi x?>", XmlRejectedException.Reason.RESTRICTED_XML),
                Arguments.of(usual + "<iq type='set' id='2'/>", XmlRejectedException.Reason.NOT_WELL_FORMED),
                Arguments.of(usual + "text", XmlRejectedException.Reason.NOT_WELL_FORMED));
    }

    static List<String> refused() {
        return List.of(
                "<iq type='set' id='n' xmlns='urn:not-a-stanza-namespace'><pubsub "
                        + "xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/></pubsub></iq>",
                publish("<notification xmlns='urn:xmpp:push:0'><!-- c --></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><?pi x?></notification>", ""),
                publish("<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'><field var='a'><value>"
                        + "&unknown;</value></field></x></notification>", ""));
    }

    private static byte[] enclose(String stanza) {
        return ("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept'>"
                + stanza + "</stream:stream>").getBytes(StandardCharsets.UTF_8);
    }

    private static XMLStreamReader atStanza(String xml) throws XMLStreamException {
        XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(enclose(xml)), "UTF-8");
        r.nextTag();
        r.nextTag();
        return r;
    }

    private static Iq fastPath(String xml) {
        try {
            return PublishReader.read(atStanza(xml));
        } catch (XMLStreamException e) {
            return null;
        }
    }

    private static Stanza jaxb(String xml) throws Exception {
        return CODEC.read(atStanza(xml));
    }

    /** Every part of the model, through its accessors, including what writing would not show (null vs empty). */
    static String describe(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Stanza s) {
            Map<String, String> other = new TreeMap<>();
            s.otherAttributes().forEach((k, v) -> other.put(k.toString(), v));
            return s.getClass().getSimpleName() + "{id=" + s.id() + ",from=" + s.from() + ",to=" + s.to()
                    + ",type=" + s.type() + ",lang=" + s.lang() + ",attrs=" + other + ",error="
                    + s.error().isPresent() + ",ext=" + list(s.extensions()) + "}";
        }
        if (o instanceof PubSub p) {
            return "PubSub{node=" + p.node() + ",publish=" + p.publish().map(PublishReaderTest::describe)
                    .orElse("-") + ",options=" + p.publishOptions().map(PublishReaderTest::describe).orElse("-")
                    + ",aff=" + p.affiliation().size() + ",affs=" + p.affiliations().isPresent() + ",other="
                    + list(p.other()) + "}";
        }
        if (o instanceof PubSub.Publish p) {
            return "Publish{node=" + p.node() + ",items=" + list(new ArrayList<>(p.items())) + "}";
        }
        if (o instanceof PubSub.Item i) {
            return "Item{id=" + i.id() + ",payload=" + list(i.payload()) + "}";
        }
        if (o instanceof Notification n) {
            return "Notification{form=" + n.form().map(PublishReaderTest::describe).orElse("-") + ",other="
                    + list(n.other()) + ",empty=" + n.isEmpty() + "}";
        }
        if (o instanceof DataForm f) {
            StringBuilder sb = new StringBuilder("DataForm{type=" + f.type() + ",title=" + f.title() + ",fields=[");
            for (DataForm.Field field : f.fields()) {
                sb.append("Field{var=").append(field.var()).append(",type=").append(field.type())
                        .append(",label=").append(field.label()).append(",desc=").append(field.desc())
                        .append(",required=").append(field.required()).append(",values=").append(field.values())
                        .append(",options=").append(field.options().size()).append("}");
            }
            return sb.append("],other=").append(list(f.other())).append("}").toString();
        }
        if (o instanceof Element e) {
            return "Element{" + e.getNamespaceURI() + " " + e.getLocalName() + " " + e.getTextContent() + "}";
        }
        return o.getClass().getName();
    }

    private static String list(List<?> items) {
        List<String> out = new ArrayList<>();
        for (Object o : items) {
            out.add(describe(o));
        }
        return out.toString();
    }
}
