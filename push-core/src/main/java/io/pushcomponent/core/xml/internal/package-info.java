/**
 * The codec's internals, not exported: the per-stanza reader view that enforces the caps, the publish fast path
 * and the XMPP-form stream writer. Only {@link io.pushcomponent.core.xml.StanzaCodec} uses them.
 */
package io.pushcomponent.core.xml.internal;
