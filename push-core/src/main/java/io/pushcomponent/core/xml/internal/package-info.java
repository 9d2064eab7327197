/**
 * The codec's internals, not exported: the per-stanza reader view that enforces the caps, the publish fast path,
 * the XMPP-form stream writer and the JAXB coordinator hold. Only {@link io.pushcomponent.core.xml.StanzaCodec}
 * uses them.
 */
package io.pushcomponent.core.xml.internal;
