/**
 * RFC 6120 stanzas: {@link io.pushcomponent.core.xml.stanza.Iq}, {@link io.pushcomponent.core.xml.stanza.Message}
 * and {@link io.pushcomponent.core.xml.stanza.Presence}, and the stanza error
 * {@link io.pushcomponent.core.xml.stanza.StanzaError}.
 *
 * <p>Mutable JAXB objects; not thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8">RFC 6120 §8 XML Stanzas</a>
 */
package io.pushcomponent.core.xml.stanza;
