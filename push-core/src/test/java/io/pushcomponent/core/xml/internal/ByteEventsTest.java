package io.pushcomponent.core.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.XmppXml;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.testkit.CapturedStanza;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.XMLInputFactory2;
import org.codehaus.stax2.io.Stax2ByteArraySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule: reading a publish straight from its bytes ({@link PublishReader#read(byte[], int)}, {@link ByteEvents})
 * gives exactly the model that reading it with the hardened StAX reader gives, or gives up ({@code null}) so that
 * the StAX reader reads it; it never reads a document the StAX reader refuses, and never reads one differently.
 */
class ByteEventsTest {
    private static final XMLInputFactory2 FACTORY = (XMLInputFactory2) XmppXml.inputFactory();
    private static final String OPEN = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
            + " xmlns='jabber:component:accept'>";
    private static final String CLOSE = "</stream:stream>";

    static List<String> captured() {
        return List.of(CapturedStanza.PROSODY_OFFLINE.xml(), CapturedStanza.PROSODY_HIBERNATED.xml(),
                CapturedStanza.EJABBERD_OFFLINE.xml());
    }

    /** Rule: the publishes servers send (captured from Prosody and ejabberd) are read from the bytes. */
    @ParameterizedTest
    @MethodSource("captured")
    void aCapturedPublishIsReadFromItsBytesIntoTheModelStaxGives(String xml) {
        byte[] doc = enclose(xml);

        Iq bytes = PublishReader.read(doc, doc.length);

        assertThat(bytes).as("read from the bytes").isNotNull();
        assertThat(PublishReaderTest.describe(bytes)).isEqualTo(PublishReaderTest.describe(stax(doc)));
    }

    static Stream<String> everyStanzaOfThePublishReaderTest() {
        return Stream.of(PublishReaderTest.usualShape(), PublishReaderTest.otherShapes(), PublishReaderTest.refused(),
                List.of(CapturedStanza.TIGASE_8_4.xml())).flatMap(List::stream);
    }

    /** Rule: for any stanza, the bytes give up or give what StAX gives. */
    @ParameterizedTest
    @MethodSource("everyStanzaOfThePublishReaderTest")
    void anyStanzaIsReadAsStaxReadsItOrLeftToStax(String xml) {
        assertSameOrGivenUp(enclose(xml));
    }

    /**
     * Rule: the Prosody publish with any one byte replaced by a byte that matters to XML, removed, or with such a
     * byte inserted, is read as StAX reads it or left to StAX: nothing the StAX reader refuses (not well-formed,
     * restricted, an undeclared prefix, bad UTF-8) is read from the bytes.
     */
    @Test
    void everyOneByteChangeOfAPublishIsReadAsStaxReadsItOrLeftToStax() {
        byte[] doc = enclose(CapturedStanza.PROSODY_OFFLINE.xml());
        byte[] specials = {'<', '>', '&', '\'', '"', '/', ' ', '\r', '\n', '\t', 0, 0x7F, (byte) 0x80, (byte) 0xC3,
                (byte) 0xEF, ']', ':', '=', '!', '?', 'x', '-', '.', '1'};
        int read = 0;
        int cases = 0;
        for (int i = 0; i < doc.length; i++) {
            for (byte special : specials) {
                byte[] replaced = doc.clone();
                replaced[i] = special;
                read += assertSameOrGivenUp(replaced);
                byte[] inserted = new byte[doc.length + 1];
                System.arraycopy(doc, 0, inserted, 0, i);
                inserted[i] = special;
                System.arraycopy(doc, i, inserted, i + 1, doc.length - i);
                read += assertSameOrGivenUp(inserted);
                cases += 2;
            }
            byte[] removed = new byte[doc.length - 1];
            System.arraycopy(doc, 0, removed, 0, i);
            System.arraycopy(doc, i + 1, removed, i, doc.length - i - 1);
            read += assertSameOrGivenUp(removed);
            cases++;
        }
        assertThat(read).as("some changed publishes are still plain enough to be read from the bytes")
                .isBetween(1, cases - 1);
    }

    /** Rule: text and attribute values in UTF-8 beyond ASCII are read as StAX reads them. */
    @Test
    void utf8BeyondAsciiIsReadAsStaxReadsIt() {
        String xml = "<iq type='set' id='\u00e9\u4e2d' from='j\u00fcliet@example.com' to='push.example'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n\u00e9'><item>"
                + "<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'>"
                + "<field var='last-message-body'><value>caf\u00e9 \u4e2d\u6587 \ud83d\ude00 \u00a0</value></field>"
                + "</x></notification></item></publish></pubsub></iq>";
        byte[] doc = enclose(xml);

        Iq bytes = PublishReader.read(doc, doc.length);

        assertThat(bytes).isNotNull();
        assertThat(PublishReaderTest.describe(bytes)).isEqualTo(PublishReaderTest.describe(stax(doc)));
    }

    /** Rule: bytes that are not well-formed UTF-8 are never read (overlong, surrogate, cut short, above U+10FFFF). */
    @Test
    void malformedUtf8IsLeftToStax() {
        byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC3}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xC2, (byte) 0x85}, {(byte) 0xFF}};
        for (byte[] sequence : bad) {
            for (String where : List.of("value", "attribute")) {
                byte[] doc = withBytes(where, sequence);
                assertThat(PublishReader.read(doc, doc.length)).as(where + " " + Arrays.toString(sequence)).isNull();
                assertSameOrGivenUp(doc);
            }
        }
    }

    /**
     * Rule: the reader is reused from one stanza to the next on a thread; after a stanza it gave up on halfway (or
     * one StAX refuses), the next stanza reads exactly as on a fresh thread.
     */
    @Test
    void aReusedReaderReadsTheNextStanzaAsAFreshOneDoes() throws Exception {
        byte[] good = enclose(CapturedStanza.PROSODY_OFFLINE.xml());
        String expected = PublishReaderTest.describe(PublishReader.read(good, good.length));
        List<byte[]> spoilers = new ArrayList<>();
        spoilers.add(enclose(CapturedStanza.PROSODY_OFFLINE.xml().replace("<value>1</value>", "<value>1&amp;</value>")));
        spoilers.add(enclose(CapturedStanza.PROSODY_OFFLINE.xml().replace("</item>", "</itme>")));
        spoilers.add(Arrays.copyOf(good, good.length / 2));
        spoilers.add(enclose(CapturedStanza.PROSODY_HIBERNATED.xml()));
        for (byte[] spoiler : spoilers) {
            PublishReader.read(spoiler, spoiler.length);
            assertThat(PublishReaderTest.describe(PublishReader.read(good, good.length))).isEqualTo(expected);
        }
        String[] fresh = new String[1];
        Thread t = new Thread(() -> fresh[0] = PublishReaderTest.describe(PublishReader.read(good, good.length)));
        t.start();
        t.join(10_000);
        assertThat(fresh[0]).isEqualTo(expected);
    }

    /** Rule: only the first {@code length} bytes are read, whatever follows them in the buffer. */
    @Test
    void onlyTheGivenLengthIsRead() {
        byte[] doc = enclose(CapturedStanza.PROSODY_OFFLINE.xml());
        byte[] buffer = Arrays.copyOf(doc, doc.length + 100);
        Arrays.fill(buffer, doc.length, buffer.length, (byte) '&');
        int cut = doc.length - CLOSE.length() - 10;

        assertThat(PublishReader.read(buffer, doc.length)).isNotNull();
        assertThat(PublishReader.read(buffer, cut)).as("cut inside the stanza").isNull();
    }

    private static byte[] withBytes(String where, byte[] sequence) {
        String marker = "@@";
        String xml = "<iq type='set' id='" + (where.equals("attribute") ? marker : "a") + "'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item>"
                + "<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data'><field var='v'><value>"
                + (where.equals("value") ? marker : "b") + "</value></field></x></notification></item></publish>"
                + "</pubsub></iq>";
        byte[] doc = enclose(xml);
        int at = new String(doc, StandardCharsets.ISO_8859_1).indexOf(marker);
        byte[] out = new byte[doc.length - marker.length() + sequence.length];
        System.arraycopy(doc, 0, out, 0, at);
        System.arraycopy(sequence, 0, out, at, sequence.length);
        System.arraycopy(doc, at + marker.length(), out, at + sequence.length, doc.length - at - marker.length());
        return out;
    }

    /** Asserts that the bytes give up, or give what StAX gives; 1 when they read the publish. */
    private static int assertSameOrGivenUp(byte[] doc) {
        Iq bytes = PublishReader.read(doc, doc.length);
        if (bytes == null) {
            return 0;
        }
        Iq stax = stax(doc);
        assertThat(stax).as("StAX reads what the bytes read: %s", new String(doc, StandardCharsets.ISO_8859_1))
                .isNotNull();
        assertThat(PublishReaderTest.describe(bytes)).as(new String(doc, StandardCharsets.ISO_8859_1))
                .isEqualTo(PublishReaderTest.describe(stax));
        return 1;
    }

    /** The publish as the StAX reader reads it, or {@code null} when it fails or is not of the shape. */
    private static Iq stax(byte[] doc) {
        try {
            Stax2ByteArraySource source = new Stax2ByteArraySource(doc, 0, doc.length);
            source.setEncoding("UTF-8");
            XMLStreamReader r = FACTORY.createXMLStreamReader(source);
            r.nextTag();
            r.nextTag();
            return PublishReader.read(r);
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] enclose(String stanza) {
        return (OPEN + stanza + CLOSE).getBytes(StandardCharsets.UTF_8);
    }
}
