/**
 * XEP-0004 data forms: {@link io.pushcomponent.core.xml.forms.DataForm}.
 *
 * <p>Mutable JAXB objects; not thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0004.html">XEP-0004: Data Forms</a>
 */
package io.pushcomponent.core.xml.forms;
