package io.pushcomponent.tigase.internal;

import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

/** {@code <ignore-unknown xmlns='tigase:push:filter:ignore-unknown:0'/>} on {@code <enable/>}. Immutable. */
@XmlRootElement(name = "ignore-unknown", namespace = TigaseNamespaces.FILTER_IGNORE_UNKNOWN)
@XmlType(name = "")
final class IgnoreUnknown {
    private IgnoreUnknown() {
    }
}
