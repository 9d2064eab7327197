package io.pushcomponent.tigase;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The README's smallest example, compiled and run. */
class ReadmeExampleTest {

    @Test
    void readmeExample() {
        Element enableElement = Xml.parse("<enable xmlns='urn:xmpp:push:0' jid='push.example.com' node='n1'>"
                + "<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm'>MDEyMzQ1Njc4OWFiY2RlZg==</encrypt>"
                + "</enable>");
        Element messageElement = Xml.parse("<message xmlns='jabber:client' from='juliet@example.com/balcony' "
                + "to='romeo@example.net' type='chat'><body>Wherefore art thou?</body></message>");
        RosterView roster = (account, contact) -> true;
        int unreadCount = 1;
        NotificationExtras result = null;

        TigasePushOptions options = TigasePushOptions.fromEnable(enableElement);   // the client's <enable/>
        IncomingMessage message = IncomingMessage.of(messageElement);              // the message for the account
        PushVerdict verdict = TigasePushRules.decide("romeo@example.net", message, options, roster);
        if (verdict instanceof PushVerdict.Push push) {
            NotificationExtras extras = new TigaseNotificationBuilder(new NotificationEncryptor())
                    .build(push, options, message, unreadCount);
            result = extras;
        }

        assertThat(result).isNotNull();
        assertThat(result.replacesSummary()).as("an encrypted notification replaces the summary").isTrue();
        assertThat(result.elements()).extracting(Element::getLocalName).containsExactly("encrypted");
    }
}
