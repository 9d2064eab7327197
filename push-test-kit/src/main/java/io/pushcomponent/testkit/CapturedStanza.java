package io.pushcomponent.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * XEP-0357 publishes captured from real servers, verbatim, for tests that must read what servers actually send
 * rather than what the specification shows. Each is one {@code <iq type='set'>} with a {@code pubsub} publish of a
 * {@code urn:xmpp:push:0} notification; the resource files live next to this class in
 * {@code io/pushcomponent/testkit/samples/}.
 *
 * <p>Immutable and thread-safe; {@link #xml()} reads the resource on every call.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing notifications</a>
 */
public enum CapturedStanza {
    /** Prosody's {@code mod_cloud_notify} for a message to an account with no session, with publish options. */
    PROSODY_OFFLINE("prosody-offline.xml"),
    /** Prosody's {@code mod_cloud_notify} for a message to a hibernated (XEP-0198) session, with publish options. */
    PROSODY_HIBERNATED("prosody-hibernated.xml"),
    /** ejabberd's {@code mod_push} for a message to an account with no session, with publish options. */
    EJABBERD_OFFLINE("ejabberd-offline.xml"),
    /** Tigase 8.4, without publish options and with its {@code tigase:push:priority:0} element. */
    TIGASE_8_4("tigase-8.4.xml");

    private final String file;

    CapturedStanza(String file) {
        this.file = file;
    }

    /** The resource's file name, e.g. {@code prosody-offline.xml}. */
    public String fileName() {
        return file;
    }

    /**
     * The stanza as the server wrote it, UTF-8 decoded.
     *
     * @throws UncheckedIOException when the resource cannot be read
     */
    public String xml() {
        try (InputStream in = CapturedStanza.class.getResourceAsStream("samples/" + file)) {
            if (in == null) {
                throw new IllegalStateException("push-test-kit lacks its resource samples/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the captured stanza " + file, e);
        }
    }
}
