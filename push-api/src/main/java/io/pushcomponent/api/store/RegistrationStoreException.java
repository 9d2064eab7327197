package io.pushcomponent.api.store;

/**
 * A registration store ({@link DeviceRegistrationStore}, {@link AccountPushRegistrationStore}) could not complete an
 * operation: its database is unreachable, its schema is newer
 * than the code, or a change kept conflicting with concurrent changes. Nothing was changed by the failed call.
 *
 * <p>Hosts answer a publish or command that fails this way with a {@code wait} error: the condition is on our side
 * and usually temporary. Messages never contain device tokens or secrets.
 */
public class RegistrationStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without tokens or secrets
     * @param cause   the underlying failure, may be {@code null}
     */
    public RegistrationStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what failed, without tokens or secrets */
    public RegistrationStoreException(String message) {
        super(message);
    }
}
