package io.pushcomponent.monallegacy.internal;

import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.DialectCommand;
import java.util.List;

/** The app-server half of mod_push_appserver's v1 dialect: its two commands. Immutable and thread-safe. */
public final class V1AppServer implements AppServerDialect {
    private final List<DialectCommand> commands = List.of(new V1RegisterCommand(), new V1UnregisterCommand());

    @Override
    public List<DialectCommand> commands() {
        return commands;
    }
}
