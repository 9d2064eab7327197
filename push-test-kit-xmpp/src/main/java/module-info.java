/**
 * XMPP fakes: {@link io.pushcomponent.testkit.xmpp.FakeXmppServer}, the server's side of a XEP-0114 component
 * connection with a {@link io.pushcomponent.testkit.xmpp.FakeXmppServer.Dispatcher} that answers the component, and
 * {@link io.pushcomponent.testkit.xmpp.InMemoryPushHost}, an XMPP server in memory hosting push-core's user's-server
 * side, and {@link io.pushcomponent.testkit.xmpp.FakePush2UserServer}, the notification messages a Push 2.0 user's
 * server sends. Needs no test framework.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0114.html">XEP-0114: Jabber Component Protocol</a>
 */
module io.pushcomponent.testkit.xmpp {
    requires transitive io.pushcomponent.core;
    requires com.ctc.wstx;
    requires transitive io.pushcomponent.webpush.crypto;

    exports io.pushcomponent.testkit.xmpp;
}
