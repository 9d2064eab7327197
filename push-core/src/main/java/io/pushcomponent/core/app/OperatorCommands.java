package io.pushcomponent.core.app;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.dialect.DialectCommand;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.forms.DataForm.Field;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ad-hoc commands (XEP-0050) for device owners and administrators, next to {@code register-device}:
 *
 * <ul>
 *   <li>{@value #DIAGNOSTICS}, for every account: its own registrations (the bare JID that sent the command), each with
 *       provider, shortened token, node, creation time, last success, last failure with reason and XMPP condition,
 *       and counts; a XEP-0004 multi-item result. One step: {@code execute} answers {@code completed}.</li>
 *   <li>in the style of XEP-0133 (Service Administration), for the configured administrators only (others get
 *       {@code auth/forbidden}, and disco#items lists them to administrators alone): {@value #LIST} (field
 *       {@code accountjid}), {@value #REMOVE} (one of {@code accountjid}, {@code node}, or {@code provider} with
 *       {@code device-token}), {@value #COUNTS} (one step) and {@value #TEST_PUSH} (field {@code node}). Each answers
 *       {@code execute} with its form (status {@code executing}) and the submitted form with the result; a filled-in
 *       form sent with {@code execute} is completed at once.</li>
 * </ul>
 *
 * <p>Every step checks the requester again, so no session state is kept: the session id of a form is only echoed.
 * The work itself is {@link Administration}'s, which logs every administrator's action.
 *
 * <p>Thread-safe.
 */
final class OperatorCommands {
    static final String DIAGNOSTICS = "push-diagnostics";
    static final String LIST = "push-admin#list-registrations";
    static final String REMOVE = "push-admin#remove-registrations";
    static final String COUNTS = "push-admin#provider-counts";
    static final String TEST_PUSH = "push-admin#test-push";

    static final String FIELD_ACCOUNT = "accountjid";
    static final String FIELD_NODE = "node";
    static final String FIELD_PROVIDER = "provider";
    static final String FIELD_TOKEN = "device-token";

    private static final Logger LOG = LoggerFactory.getLogger(OperatorCommands.class);
    private static final List<String> NODES = List.of(DIAGNOSTICS, LIST, REMOVE, COUNTS, TEST_PUSH);

    private final Administration administration;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** One command: whether only administrators may run it, and what it does. */
    private record Entry(String node, String title, boolean adminOnly, DialectCommand command) {
    }

    /** The work of a command once its form (possibly empty) is in: the answer's payload. */
    private interface Work extends BiFunction<Iq, DataForm, CompletionStage<Command>> {
    }

    OperatorCommands(Administration administration) {
        this.administration = administration;
        add(DIAGNOSTICS, "Your push registrations and what became of their pushes", false, null,
                (iq, form) -> administration.registrations(iq.from())
                        .thenApply(reports -> completed(DIAGNOSTICS, table(reports, false))));
        add(LIST, "List the push registrations of an account", true,
                () -> form(LIST, "Whose registrations?", accountField(true)),
                (iq, form) -> account(form).map(account -> administration.listByOwner(actor(iq), account)
                        .thenApply(reports -> completed(LIST, table(reports, true))))
                        .orElseGet(() -> missing("accountjid")));
        add(REMOVE, "Remove push registrations by account, node or device token", true,
                () -> form(REMOVE, "Give an account, or a node, or a provider and a device token.",
                        accountField(false), new Field(FIELD_NODE).type(Field.TEXT_SINGLE).label("Node"),
                        new Field(FIELD_PROVIDER).type(Field.TEXT_SINGLE).label("Provider"),
                        new Field(FIELD_TOKEN).type(Field.TEXT_SINGLE).label("Device token")),
                this::remove);
        add(COUNTS, "Number of push registrations per provider", true, null,
                (iq, form) -> administration.countByProvider(actor(iq)).thenApply(counts -> {
                    DataForm result = DataForm.result(null).title("Registrations per provider")
                            .reported(column("provider", "Provider"), column("registrations", "Registrations"));
                    counts.forEach((provider, n) -> result.item(value("provider", provider),
                            value("registrations", Long.toString(n))));
                    return completed(COUNTS, result);
                }));
        add(TEST_PUSH, "Send a test push to a node", true,
                () -> form(TEST_PUSH, "The node of the registration to send a test notification to.",
                        new Field(FIELD_NODE).type(Field.TEXT_SINGLE).label("Node").required(true)),
                (iq, form) -> text(form, FIELD_NODE).map(node -> administration.testPush(actor(iq), node)
                        .thenApply(outcome -> {
                            if (outcome.isEmpty()) {
                                return completed(TEST_PUSH, null).note("error", "no registration has this node");
                            }
                            Administration.TestPushOutcome o = outcome.get();
                            DataForm result = DataForm.result(null).add(value("delivered",
                                    Boolean.toString(o.delivered())).type(Field.BOOLEAN));
                            if (!o.delivered()) {
                                result.add(value("condition", o.condition()));
                                if (o.text() != null) {
                                    result.add(value("text", o.text()));
                                }
                            }
                            return completed(TEST_PUSH, result).note(o.delivered() ? "info" : "warn",
                                    o.delivered() ? "The provider accepted the test push."
                                            : "The test push failed: " + o.condition()
                                            + (o.text() == null ? "" : " (" + o.text() + ")"));
                        }))
                        .orElseGet(() -> missing("node")));
    }

    private void add(String node, String title, boolean adminOnly, FormMaker form, Work work) {
        entries.put(node, new Entry(node, title, adminOnly, new Runner(node, adminOnly, form, work)));
    }

    /** The blank form of a command that takes input. */
    private interface FormMaker {
        DataForm make();
    }

    /** {@code true} for a node these commands take, which no dialect may claim. */
    static boolean isOperatorNode(String node) {
        return NODES.contains(node);
    }

    /** Every node, in the order disco#items lists them. */
    List<String> nodes() {
        return List.copyOf(entries.keySet());
    }

    /** {@code true} for a node of these commands. */
    boolean has(String node) {
        return entries.containsKey(node);
    }

    /** The command of a node, when there is one. */
    Optional<DialectCommand> command(String node) {
        return Optional.ofNullable(entries.get(node)).map(Entry::command);
    }

    String title(String node) {
        return entries.get(node).title();
    }

    /** {@code true} when {@code requester} may see and run the command of {@code node}. */
    boolean allowed(String node, String requester) {
        Entry entry = entries.get(node);
        return entry != null && (!entry.adminOnly() || administration.isAdmin(requester));
    }

    /** One command's steps: the requester check, the blank form, cancel, and the work once the form is in. */
    private final class Runner implements DialectCommand {
        private final String node;
        private final boolean adminOnly;
        private final FormMaker form;
        private final Work work;

        Runner(String node, boolean adminOnly, FormMaker form, Work work) {
            this.node = node;
            this.adminOnly = adminOnly;
            this.form = form;
            this.work = work;
        }

        @Override
        public String node() {
            return node;
        }

        @Override
        public String title() {
            return entries.get(node).title();
        }

        @Override
        public CompletionStage<List<Stanza>> execute(Iq request, Command command, AppServerContext context) {
            if (adminOnly && !administration.isAdmin(request.from())) {
                LOG.info("{} asked for the administrators' command {} and was refused", request.from(), node);
                return reply(request.errorReply(Errors.notAdmin()));
            }
            Optional<DataForm> submitted = command.form();
            boolean cancel = Command.CANCEL.equals(command.action())
                    || submitted.map(f -> DataForm.CANCEL.equals(f.type())).orElse(false);
            if (cancel) {
                return reply(request.resultReply(new Command().node(node).sessionId(command.sessionId())
                        .status(Command.CANCELED)));
            }
            Optional<DataForm> filledIn = submitted.filter(f -> !DataForm.FORM.equals(f.type())
                    && !DataForm.RESULT.equals(f.type()));
            if (form != null && filledIn.isEmpty()) {
                String sessionId = command.sessionId() != null ? command.sessionId() : Commands.randomId(12);
                return reply(request.resultReply(new Command().node(node).sessionId(sessionId)
                        .status(Command.EXECUTING).actions(Command.COMPLETE, Command.COMPLETE).form(form.make())));
            }
            String sessionId = command.sessionId() != null ? command.sessionId() : Commands.randomId(12);
            CompletionStage<Command> answer;
            try {
                answer = work.apply(request, filledIn.orElseGet(() -> DataForm.submit(null)));
            } catch (IllegalArgumentException e) {
                return reply(request.errorReply(Errors.badRequest(e.getMessage())));
            }
            return answer.handle((result, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof IllegalArgumentException) {
                        return List.<Stanza>of(request.errorReply(Errors.badRequest(cause.getMessage())));
                    }
                    LOG.warn("command {} of {} failed: {}", node, request.from(), cause.toString());
                    return List.<Stanza>of(request.errorReply(Errors.storeFailure()));
                }
                return List.<Stanza>of(request.resultReply(result.sessionId(sessionId)));
            });
        }
    }

    private CompletionStage<Command> remove(Iq iq, DataForm form) {
        Optional<String> account = account(form);
        Optional<String> node = text(form, FIELD_NODE);
        Optional<String> provider = text(form, FIELD_PROVIDER);
        Optional<String> token = text(form, FIELD_TOKEN);
        int given = (account.isPresent() ? 1 : 0) + (node.isPresent() ? 1 : 0)
                + (provider.isPresent() || token.isPresent() ? 1 : 0);
        if (given != 1 || provider.isPresent() != token.isPresent()) {
            throw new IllegalArgumentException("give exactly one of: accountjid; node; provider and device-token");
        }
        CompletionStage<Integer> removed = account.isPresent()
                ? administration.removeByOwner(actor(iq), account.get())
                : node.isPresent() ? administration.removeByNode(actor(iq), node.get())
                : administration.removeByToken(actor(iq), provider.get(), token.get());
        return removed.thenApply(n -> completed(REMOVE, DataForm.result(null).add(value("removed",
                Integer.toString(n)))).note("info", "Removed " + n + " registration" + (n == 1 ? "" : "s") + "."));
    }

    /** Who asked, for the log: the requester's full JID. */
    private static String actor(Iq iq) {
        return iq.from();
    }

    private static CompletionStage<Command> missing(String field) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("the field '" + field
                + "' is required"));
    }

    private static Optional<String> text(DataForm form, String var) {
        return form.value(var).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The {@code accountjid} field as a bare JID. */
    private static Optional<String> account(DataForm form) {
        Optional<String> given = text(form, FIELD_ACCOUNT);
        if (given.isPresent() && Jid.tryParse(given.get()).isEmpty()) {
            throw new IllegalArgumentException("'" + given.get() + "' is not a JID");
        }
        return given.map(Jid::bareOf);
    }

    private static Field accountField(boolean required) {
        return new Field(FIELD_ACCOUNT).type(Field.JID_SINGLE).label("The account (bare JID)").required(required);
    }

    private static DataForm form(String node, String instructions, Field... fields) {
        DataForm form = DataForm.form(null).title(node).instructions(instructions);
        for (Field field : fields) {
            form.add(field);
        }
        return form;
    }

    private static Command completed(String node, DataForm result) {
        Command command = new Command().node(node).status(Command.COMPLETED);
        return result == null ? command : command.form(result);
    }

    /**
     * The registrations as a multi-item result: one item per registration, times in ISO 8601 (UTC), empty values
     * where nothing happened yet.
     */
    private static DataForm table(List<Administration.RegistrationReport> reports, boolean withOwner) {
        List<Field> columns = new ArrayList<>();
        if (withOwner) {
            columns.add(column("owner", "Account"));
        }
        columns.addAll(List.of(column("provider", "Provider"), column("token", "Device token (shortened)"),
                column("node", "Node"), column("created", "Registered"), column("last-success", "Last delivered"),
                column("last-failure", "Last failed"), column("failure-reason", "Why it failed"),
                column("failure-condition", "Error answered"), column("successes", "Delivered"),
                column("failures", "Failed")));
        DataForm result = DataForm.result(null).title(reports.isEmpty() ? "No push registrations"
                : reports.size() + " push registration" + (reports.size() == 1 ? "" : "s"));
        result.reported(columns.toArray(Field[]::new));
        for (Administration.RegistrationReport r : reports) {
            DeliveryDiagnostics d = r.diagnostics();
            List<Field> row = new ArrayList<>();
            if (withOwner) {
                row.add(value("owner", r.owner()));
            }
            row.addAll(List.of(value("provider", r.providerId()), value("token", r.token()),
                    value("node", r.node()), value("created", time(r.createdAt())),
                    value("last-success", time(d.lastSuccess())), value("last-failure", time(d.lastFailure())),
                    value("failure-reason", d.lastFailureReason()),
                    value("failure-condition", d.lastFailureCondition()),
                    value("successes", Long.toString(d.successes())),
                    value("failures", Long.toString(d.failures()))));
            result.item(row.toArray(Field[]::new));
        }
        return result;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Field column(String var, String label) {
        return new Field(var).type(Field.TEXT_SINGLE).label(label);
    }

    private static Field value(String var, String value) {
        Field field = new Field(var);
        return value == null ? field : field.values(value);
    }

    private static CompletionStage<List<Stanza>> reply(Stanza stanza) {
        return CompletableFuture.completedFuture(List.of(stanza));
    }
}
