/**
 * XEP-0050 ad-hoc commands: {@link io.pushcomponent.core.xml.commands.Command}.
 *
 * <p>Mutable JAXB objects; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0050.html">XEP-0050: Ad-Hoc Commands</a>
 */
package io.pushcomponent.core.xml.commands;
