/**
 * The XEP-0357 app server ({@link io.pushcomponent.core.app.PushAppServer}), the user's-server side
 * ({@link io.pushcomponent.core.user}), the registration stores of both sides ({@link io.pushcomponent.core.store}:
 * {@code Stores}, and the {@code memory}, {@code h2}, {@code sqlite} and {@code postgresql} store factories) and the XMPP
 * XML layer they share ({@link io.pushcomponent.core.xml}). No network code: hosts hand it stanzas.
 *
 * <p>The XML model, one package per protocol, is opened to JAXB, which binds it by reflection; so is the codec's
 * unexported {@code core.xml.internal}, which holds an element class the model uses. Other modules add element
 * classes through {@link io.pushcomponent.core.xml.XmlElements}; those and
 * {@link io.pushcomponent.core.dialect.Dialect}s are found through {@link java.util.ServiceLoader}.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
module io.pushcomponent.core {
    requires transitive io.pushcomponent.api;
    requires transitive java.xml;
    requires transitive java.sql;
    requires jakarta.xml.bind;
    requires org.glassfish.jaxb.runtime;
    requires com.ctc.wstx;
    requires org.codehaus.stax2;
    requires org.slf4j;
    requires static com.h2database;
    requires static com.zaxxer.hikari;
    requires static org.xerial.sqlitejdbc;
    // The postgresql store's change watch reads notifications through the driver's PGConnection.
    requires static org.postgresql.jdbc;
    // H2's pool behind the h2 store creates a DataSource that is a javax.naming.Referenceable.
    requires java.naming;

    exports io.pushcomponent.core.app;
    exports io.pushcomponent.core.dialect;
    exports io.pushcomponent.core.store;
    exports io.pushcomponent.core.user;
    exports io.pushcomponent.core.xml;
    exports io.pushcomponent.core.xml.stanza;
    exports io.pushcomponent.core.xml.forms;
    exports io.pushcomponent.core.xml.disco;
    exports io.pushcomponent.core.xml.commands;
    exports io.pushcomponent.core.xml.pubsub;
    exports io.pushcomponent.core.xml.push;

    opens io.pushcomponent.core.xml.stanza to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;
    opens io.pushcomponent.core.xml.forms to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;
    opens io.pushcomponent.core.xml.disco to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;
    opens io.pushcomponent.core.xml.commands to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;
    opens io.pushcomponent.core.xml.pubsub to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;
    opens io.pushcomponent.core.xml.push to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;
    opens io.pushcomponent.core.xml.internal to jakarta.xml.bind, org.glassfish.jaxb.runtime, org.glassfish.jaxb.core;

    uses io.pushcomponent.core.dialect.Dialect;
    uses io.pushcomponent.core.xml.XmlElements;

    provides io.pushcomponent.api.store.StoreFactory with io.pushcomponent.core.store.internal.MemoryStoreFactory,
            io.pushcomponent.core.store.internal.H2StoreFactory, io.pushcomponent.core.store.internal.SqliteStoreFactory,
            io.pushcomponent.core.store.internal.PostgresStoreFactory;
}
