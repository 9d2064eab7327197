package io.pushcomponent.core.app;

import io.pushcomponent.core.xml.disco.DiscoInfo;
import io.pushcomponent.core.xml.disco.DiscoItems;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.Namespaces;

/**
 * Service discovery answers: what the app server is (XEP-0357 identity {@code pubsub/push}), what it supports, and
 * its ad-hoc commands.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#disco">XEP-0357 §4 Discovering Support</a>
 * @see <a href="https://xmpp.org/extensions/xep-0050.html#disco">XEP-0050 §2 Discovering Support</a>
 */
final class Disco {
    private final Settings settings;
    private final OperatorCommands operator;

    Disco(Settings settings, OperatorCommands operator) {
        this.settings = settings;
        this.operator = operator;
    }

    Iq info(Iq request, DiscoInfo query) {
        String node = query.node();
        DiscoInfo answer = new DiscoInfo().node(node);
        if (node == null) {
            answer.identity("pubsub", "push", "Push notifications")
                    .feature(Namespaces.DISCO_INFO)
                    .feature(Namespaces.DISCO_ITEMS)
                    .feature(Namespaces.PUSH)
                    .feature(Namespaces.COMMANDS)
                    .feature(Namespaces.DATA)
                    .feature(Namespaces.PING);
            settings.providers().idsAndAliases().forEach(answer::feature);
            settings.dialects().forEach(d -> d.discoFeatures().forEach(answer::feature));
        } else if (Namespaces.COMMANDS.equals(node)) {
            answer.identity("automation", "command-list", "Push commands").feature(Namespaces.COMMANDS);
        } else if (Commands.isCommand(node) || settings.dialectCommands().containsKey(node)
                || operator.allowed(node, request.from())) {
            answer.identity("automation", "command-node", Commands.isCommand(node) ? Commands.title(node)
                            : operator.has(node) ? operator.title(node)
                            : settings.dialectCommands().get(node).title())
                    .feature(Namespaces.COMMANDS)
                    .feature(Namespaces.DATA);
        } else {
            return request.errorReply(Errors.itemNotFound("no disco#info node '" + node + "'"));
        }
        return request.resultReply(answer);
    }

    Iq items(Iq request, DiscoItems query) {
        String node = query.node();
        DiscoItems answer = new DiscoItems().node(node);
        if (Namespaces.COMMANDS.equals(node)) {
            for (String command : Commands.NODES) {
                answer.item(settings.jid(), command, Commands.title(command));
            }
            settings.dialectCommands().values().forEach(c -> answer.item(settings.jid(), c.node(), c.title()));
            operator.nodes().stream().filter(n -> operator.allowed(n, request.from()))
                    .forEach(n -> answer.item(settings.jid(), n, operator.title(n)));
        } else if (node != null) {
            return request.errorReply(Errors.itemNotFound("no disco#items node '" + node + "'"));
        }
        return request.resultReply(answer);
    }
}
