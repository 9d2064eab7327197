package io.pushcomponent.core.dialect;

import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * An ad-hoc command a {@link Dialect} adds to the push service, such as another app server's registration command.
 * The app server lists it in disco#items of the commands node, answers disco#info on its node and hands it every
 * request for its node that has a sender and a known action; the command answers it, with a form to fill in or the
 * completed result.
 *
 * <p><b>Thread-safety:</b> thread-safe; called concurrently. It must not block: store calls run on
 * {@link AppServerContext#executor()}.
 *
 * @see AppServerDialect#commands()
 * @see <a href="https://xmpp.org/extensions/xep-0050.html">XEP-0050: Ad-Hoc Commands</a>
 */
public interface DialectCommand {

    /** The command's node, e.g. {@code register-push-example}. */
    String node();

    /** The human-readable name listed in disco#items. */
    String title();

    /**
     * Runs the command.
     *
     * @param request the IQ (its {@code from} is set)
     * @param command its {@code <command/>}; no action means {@code execute}
     * @param context the app server's store, providers and executor
     * @return the stanzas to send, the answer to {@code request} first
     */
    CompletionStage<List<Stanza>> execute(Iq request, Command command, AppServerContext context);
}
