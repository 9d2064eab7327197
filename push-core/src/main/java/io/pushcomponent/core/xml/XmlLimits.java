package io.pushcomponent.core.xml;

/**
 * Caps applied to every stanza read, so that hostile input is rejected before it costs memory.
 *
 * @param maxStanzaChars the largest stanza, in characters of XML text (a push publish is below 4 KiB)
 * @param maxDepth       the deepest element nesting inside a stanza, the stanza itself being depth 1
 */
public record XmlLimits(int maxStanzaChars, int maxDepth) {
    /** 64 KiB per stanza (as Smack caps a top-level element), 32 levels of nesting. */
    public static final XmlLimits DEFAULT = new XmlLimits(64 * 1024, 32);

    public XmlLimits {
        if (maxStanzaChars < 1024) {
            throw new IllegalArgumentException("maxStanzaChars must be at least 1024, was " + maxStanzaChars);
        }
        if (maxDepth < 8) {
            throw new IllegalArgumentException("maxDepth must be at least 8, was " + maxDepth);
        }
    }
}
