package io.pushcomponent.core.xml.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;

/** An element without content whose presence is the information, e.g. a data form field's {@code <required/>}. */
@XmlType(name = "empty")
@XmlAccessorType(XmlAccessType.FIELD)
public final class Empty {
}
