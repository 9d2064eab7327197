package io.pushcomponent.conversations.internal;

import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.DialectCommand;
import java.util.List;

/** The app-server half of Conversations' dialect: p2's two commands. Immutable and thread-safe. */
public final class P2AppServer implements AppServerDialect {
    /** The provider p2's {@code fcm} service maps to. */
    static final String FCM = "fcm-http-v1";

    private final List<DialectCommand> commands = List.of(new RegisterPushCommand(), new UnregisterPushCommand());

    @Override
    public List<DialectCommand> commands() {
        return commands;
    }
}
