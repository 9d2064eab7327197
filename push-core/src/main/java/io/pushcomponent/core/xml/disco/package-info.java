/**
 * XEP-0030 service discovery: {@link io.pushcomponent.core.xml.disco.DiscoInfo} and
 * {@link io.pushcomponent.core.xml.disco.DiscoItems}.
 *
 * <p>Mutable JAXB objects; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0030.html">XEP-0030: Service Discovery</a>
 */
package io.pushcomponent.core.xml.disco;
