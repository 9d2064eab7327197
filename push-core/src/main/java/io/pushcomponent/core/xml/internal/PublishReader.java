package io.pushcomponent.core.xml.internal;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the stanza a push component receives most, a XEP-0357 publish, straight from StAX events, or from its
 * bytes through {@link ByteEvents}, into the model objects JAXB builds for it, and gives up at the first thing
 * outside that exact shape.
 *
 * <p>The shape: an {@code <iq type='set'>} in a stanza namespace with no attributes but {@code id}, {@code from},
 * {@code to} and {@code type}, whose only child is {@code <pubsub xmlns='http://jabber.org/protocol/pubsub'>}
 * holding one {@code <publish [node]>} with {@code <item [id]>}s that each hold one
 * {@code <notification xmlns='urn:xmpp:push:0'>} that is empty or holds one {@code <x xmlns='jabber:x:data'>},
 * then optionally {@code <publish-options>} holding one such form. A form has at most a {@code type} attribute and
 * only {@code <field [var] [type] [label]>} children, a field only {@code <value>} children, a value only text.
 * Whitespace between elements is allowed; any other attribute, element, namespace, text, CDATA section, comment,
 * processing instruction or entity reference is a deviation: {@link #read} then returns {@code null} and the
 * caller reads the stanza again with JAXB, which gives the same model or the answer the input deserves. The
 * shape is 8 levels deep, within every {@link XmlLimits}.
 *
 * <p>Stateless (reading from bytes uses one {@link ByteEvents} per thread); thread-safe; not instantiable.
 */
public final class PublishReader {
    private PublishReader() {
    }

    /**
     * The publish {@code reader} is positioned at (the stanza's start tag), or {@code null} when the stanza is not
     * exactly of the shape. The reader is left wherever reading stopped.
     */
    public static Iq read(XMLStreamReader reader) throws XMLStreamException {
        return read(new StaxEvents(reader));
    }

    /**
     * The publish that is the first child of the root element of the UTF-8 document in the first {@code length}
     * bytes of {@code document}, read straight from the bytes without a StAX reader, or {@code null} when the
     * stanza is not exactly of the shape or its bytes use anything {@link ByteEvents} leaves to a full parser
     * (see there). {@code null} says nothing about the input: the caller reads it again with a StAX reader.
     */
    public static Iq read(byte[] document, int length) {
        ByteEvents events = ByteEvents.ofThisThread();
        try {
            if (!events.open(document, length)) {
                return null;
            }
            Iq iq = read(events);
            return iq != null && events.restIsPlain() ? iq : null;
        } catch (XMLStreamException e) {
            return null;
        } finally {
            events.close();
        }
    }

    private static Iq read(Events reader) throws XMLStreamException {
        if (!"iq".equals(reader.getLocalName()) || !Namespaces.isStanzaNamespace(reader.getNamespaceURI())) {
            return null;
        }
        Iq iq = new Iq();
        for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
            if (!noNamespace(reader.getAttributeNamespace(i))) {
                return null;
            }
            String value = reader.getAttributeValue(i);
            switch (reader.getAttributeLocalName(i)) {
                case "id" -> iq.id(value);
                case "from" -> iq.from(value);
                case "to" -> iq.to(value);
                case "type" -> iq.type(value);
                default -> {
                    return null;
                }
            }
        }
        if (!Iq.SET.equals(iq.type()) || !startOf(reader, "pubsub", Namespaces.PUBSUB, null)
                || !startOf(reader, "publish", Namespaces.PUBSUB, "node")) {
            return null;
        }
        PubSub.Publish publish = new PubSub.Publish(attribute(reader, "node"));
        int tag;
        while ((tag = nextTag(reader)) == XMLStreamConstants.START_ELEMENT) {
            if (!is(reader, "item", Namespaces.PUBSUB) || !onlyAttribute(reader, "id")) {
                return null;
            }
            String itemId = attribute(reader, "id");
            Notification notification = notification(reader);
            if (notification == null || nextTag(reader) != XMLStreamConstants.END_ELEMENT) {
                return null;
            }
            publish.item(new PubSub.Item(itemId, notification));
        }
        if (tag != XMLStreamConstants.END_ELEMENT) {
            return null;
        }
        DataForm options = null;
        tag = nextTag(reader);
        if (tag == XMLStreamConstants.START_ELEMENT) {
            if (!is(reader, "publish-options", Namespaces.PUBSUB) || reader.getAttributeCount() != 0
                    || !startOf(reader, "x", Namespaces.DATA, "type")) {
                return null;
            }
            options = form(reader);
            if (options == null || nextTag(reader) != XMLStreamConstants.END_ELEMENT) {
                return null;
            }
            tag = nextTag(reader);
        }
        if (tag != XMLStreamConstants.END_ELEMENT || nextTag(reader) != XMLStreamConstants.END_ELEMENT) {
            return null;
        }
        iq.add(PubSub.of(publish, options));
        return iq;
    }

    /** Moves into the next element, which must be an empty {@code <notification/>} or hold one form. */
    private static Notification notification(Events reader) throws XMLStreamException {
        if (nextTag(reader) != XMLStreamConstants.START_ELEMENT || !is(reader, "notification", Namespaces.PUSH)
                || reader.getAttributeCount() != 0) {
            return null;
        }
        int tag = nextTag(reader);
        if (tag == XMLStreamConstants.END_ELEMENT) {
            return new Notification();
        }
        if (tag != XMLStreamConstants.START_ELEMENT || !is(reader, "x", Namespaces.DATA)) {
            return null;
        }
        DataForm form = form(reader);
        if (form == null || nextTag(reader) != XMLStreamConstants.END_ELEMENT) {
            return null;
        }
        return Notification.of(form);
    }

    /** Reads the form whose start tag the reader is at, up to its end tag. */
    private static DataForm form(Events reader) throws XMLStreamException {
        if (!onlyAttribute(reader, "type")) {
            return null;
        }
        DataForm form = new DataForm().type(attribute(reader, "type"));
        int tag;
        while ((tag = nextTag(reader)) == XMLStreamConstants.START_ELEMENT) {
            if (!is(reader, "field", Namespaces.DATA)) {
                return null;
            }
            DataForm.Field field = field(reader);
            if (field == null) {
                return null;
            }
            form.add(field);
        }
        return tag == XMLStreamConstants.END_ELEMENT ? form : null;
    }

    private static DataForm.Field field(Events reader) throws XMLStreamException {
        String var = null;
        String type = null;
        String label = null;
        for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
            if (!noNamespace(reader.getAttributeNamespace(i))) {
                return null;
            }
            switch (reader.getAttributeLocalName(i)) {
                case "var" -> var = reader.getAttributeValue(i);
                case "type" -> type = reader.getAttributeValue(i);
                case "label" -> label = reader.getAttributeValue(i);
                default -> {
                    return null;
                }
            }
        }
        DataForm.Field field = new DataForm.Field(var).type(type).label(label);
        String first = null;
        List<String> values = null;
        int tag;
        while ((tag = nextTag(reader)) == XMLStreamConstants.START_ELEMENT) {
            if (!is(reader, "value", Namespaces.DATA) || reader.getAttributeCount() != 0) {
                return null;
            }
            String value = text(reader);
            if (value == null) {
                return null;
            }
            if (first == null) {
                first = value;
            } else {
                if (values == null) {
                    values = new ArrayList<>(4);
                    values.add(first);
                }
                values.add(value);
            }
        }
        if (tag != XMLStreamConstants.END_ELEMENT) {
            return null;
        }
        if (values != null) {
            field.values(values.toArray(String[]::new));
        } else if (first != null) {
            field.values(first);
        }
        return field;
    }

    /** The text up to the current element's end tag, or {@code null} when anything but text comes first. */
    private static String text(Events reader) throws XMLStreamException {
        String first = null;
        StringBuilder more = null;
        while (true) {
            switch (reader.next()) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE -> {
                    if (first == null) {
                        first = reader.getText();
                    } else {
                        if (more == null) {
                            more = new StringBuilder(first);
                        }
                        reader.appendText(more);
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    return more != null ? more.toString() : first != null ? first : "";
                }
                default -> {
                    return null;
                }
            }
        }
    }

    /**
     * Moves to the next start or end tag over whitespace; {@code -1} when something else (text, CDATA, a comment,
     * ...) comes first.
     */
    private static int nextTag(Events reader) throws XMLStreamException {
        while (true) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT -> {
                    return event;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE -> {
                    if (!reader.isWhiteSpace()) {
                        return -1;
                    }
                }
                default -> {
                    return -1;
                }
            }
        }
    }

    /**
     * Moves to the next start tag, which must be {@code name} in {@code ns} with no attribute but, at most,
     * {@code attribute} ({@code null}: none).
     */
    private static boolean startOf(Events reader, String name, String ns, String attribute)
            throws XMLStreamException {
        return nextTag(reader) == XMLStreamConstants.START_ELEMENT && is(reader, name, ns)
                && onlyAttribute(reader, attribute);
    }

    private static boolean is(Events reader, String name, String ns) {
        return name.equals(reader.getLocalName()) && ns.equals(reader.getNamespaceURI());
    }

    /** {@code true} when the element has no attribute but, at most, {@code name} in no namespace. */
    private static boolean onlyAttribute(Events reader, String name) {
        int n = reader.getAttributeCount();
        return n == 0 || (n == 1 && name != null && name.equals(reader.getAttributeLocalName(0))
                && noNamespace(reader.getAttributeNamespace(0)));
    }

    private static String attribute(Events reader, String name) {
        return reader.getAttributeValue(null, name);
    }

    /**
     * The part of {@link XMLStreamReader} this reader uses, so that it reads a StAX reader's events and
     * {@link ByteEvents}' alike; the methods mean what the StAX methods of the same name mean.
     */
    interface Events {
        int next() throws XMLStreamException;

        String getLocalName();

        String getNamespaceURI();

        int getAttributeCount();

        String getAttributeNamespace(int index);

        String getAttributeLocalName(int index);

        String getAttributeValue(int index);

        String getAttributeValue(String namespaceUri, String localName);

        String getText();

        boolean isWhiteSpace();

        /** Appends the current text event's characters to {@code to}. */
        void appendText(StringBuilder to);
    }

    /** A StAX reader's events. */
    private record StaxEvents(XMLStreamReader reader) implements Events {
        @Override
        public int next() throws XMLStreamException {
            return reader.next();
        }

        @Override
        public String getLocalName() {
            return reader.getLocalName();
        }

        @Override
        public String getNamespaceURI() {
            return reader.getNamespaceURI();
        }

        @Override
        public int getAttributeCount() {
            return reader.getAttributeCount();
        }

        @Override
        public String getAttributeNamespace(int index) {
            return reader.getAttributeNamespace(index);
        }

        @Override
        public String getAttributeLocalName(int index) {
            return reader.getAttributeLocalName(index);
        }

        @Override
        public String getAttributeValue(int index) {
            return reader.getAttributeValue(index);
        }

        @Override
        public String getAttributeValue(String namespaceUri, String localName) {
            return reader.getAttributeValue(namespaceUri, localName);
        }

        @Override
        public String getText() {
            return reader.getText();
        }

        @Override
        public boolean isWhiteSpace() {
            return reader.isWhiteSpace();
        }

        @Override
        public void appendText(StringBuilder to) {
            to.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
        }
    }

    private static boolean noNamespace(String ns) {
        return ns == null || ns.isEmpty();
    }
}
