package io.pushcomponent.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CapturedStanzaTest {

    /** Every capture is shipped in the kit's jar and is a XEP-0357 publish: an IQ set publishing a notification. */
    @ParameterizedTest
    @EnumSource(CapturedStanza.class)
    void eachCaptureIsAPushPublish(CapturedStanza captured) {
        String xml = captured.xml().strip();

        assertThat(xml).startsWith("<iq ").contains("type='set'")
                .contains("<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node=")
                .contains("<notification xmlns='urn:xmpp:push:0'>").endsWith("</iq>");
        assertThat(captured.fileName()).endsWith(".xml");
    }

    /** The captures are verbatim: Prosody and ejabberd send the node's secret in publish options. */
    @ParameterizedTest
    @EnumSource(value = CapturedStanza.class, names = {"PROSODY_OFFLINE", "PROSODY_HIBERNATED", "EJABBERD_OFFLINE"})
    void prosodyAndEjabberdSendTheSecretInPublishOptions(CapturedStanza captured) {
        assertThat(captured.xml()).contains("http://jabber.org/protocol/pubsub#publish-options")
                .contains("<field var='secret'><value>harness-secret-1</value></field>");
    }
}
