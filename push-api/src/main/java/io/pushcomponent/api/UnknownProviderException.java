package io.pushcomponent.api;

/** A provider id was configured or requested that no discovered {@link PushProviderFactory} serves. */
public final class UnknownProviderException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String providerId;

    UnknownProviderException(String providerId, String message) {
        super(message);
        this.providerId = providerId;
    }

    /** The id that was asked for. */
    public String providerId() {
        return providerId;
    }
}
