/**
 * Values (records) and service-provider interfaces of the push component.
 *
 * <p>Every record here is immutable and safe to share between threads. Records that hold a device token or a
 * secret redact it in {@code toString()}.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
package io.pushcomponent.api;
