/**
 * A UnifiedPush distributor for XMPP clients ({@link io.pushcomponent.unifiedpush.UnifiedPushDistributor}): endpoints
 * handed out over the {@code http://gultsch.de/xmpp/drafts/unified-push} protocol, messages posted to them (RFC 8030)
 * relayed to the client as {@code <push/>} IQs.
 *
 * @see <a href="https://unifiedpush.org/">UnifiedPush</a>
 */
package io.pushcomponent.unifiedpush;
