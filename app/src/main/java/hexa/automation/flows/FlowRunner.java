package hexa.automation.flows;

import hexa.platform.flows.FlowStarter;
import hexa.contacts.ContactAutomation;
import hexa.inbox.ConversationAutomation;
import hexa.platform.outbound.OutboundCalls;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.timers.Timers;
import hexa.platform.web.Text;
import hexa.whatsapp.InboundMessagesReceived;
import hexa.whatsapp.MessageToSend;
import hexa.whatsapp.Recipient;
import hexa.whatsapp.SendService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Runs chatbot flows: starts a published version in a conversation (a keyword, an ad, a rule, an agent), walks its
 * steps until one waits for the customer or the run ends, takes the customer's answer, a timeout, or an agent's reply
 * (which stops it). Every step taken is recorded with its answer. The messages it sends are automatic: queued by the
 * system, never by the member who started the run, so that they do not count as an agent's reply.
 */
@Service
class FlowRunner implements FlowStarter {

    static final String TIMEOUT = "automation.flow-timeout";
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** Steps one push may take without waiting for the customer: a flow looping on itself stops here. */
    static final int MAX_STEPS_AT_ONCE = 50;
    private static final Logger log = LoggerFactory.getLogger(FlowRunner.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z0-9][a-z0-9_-]{0,39})\\}");

    private final Flows flows;
    private final FlowRuns runs;
    private final SendService sending;
    private final ContactAutomation saved;
    private final ConversationAutomation handovers;
    private final Timers timers;
    private final Clock clock;
    private final OutboundCalls outbound;

    FlowRunner(Flows flows, FlowRuns runs, SendService sending, ContactAutomation saved, ConversationAutomation handovers, Timers timers,
               Clock clock, OutboundCalls outbound) {
        this.outbound = outbound;
        this.flows = flows;
        this.runs = runs;
        this.sending = sending;
        this.saved = saved;
        this.handovers = handovers;
        this.timers = timers;
        this.clock = clock;
    }

    // ---- Starting ---------------------------------------------------------------------------------

    @Override
    @Transactional
    public Optional<UUID> start(Start start) {
        Optional<Flow> flow = flows.find(start.flowId());
        if (flow.isEmpty() || flow.get().publishedVersion() == null) {
            return Optional.empty();
        }
        return begin(flow.get(), start.conversationId(), start.contactId(), start.connectionId(), start.reason());
    }

    @Override
    public List<FlowChoice> published() {
        return flows.published().stream().map(f -> new FlowChoice(f.id(), f.name())).toList();
    }

    @Override
    public boolean answers(UUID conversationId, UUID messageId, List<String> texts, boolean fromAd) {
        if (conversationId != null && !runs.goingIn(List.of(conversationId)).isEmpty()) {
            return true;
        }
        if (messageId != null && runs.inAStep(messageId)) {
            return true;
        }
        return entered(flows.published(), texts, fromAd).isPresent();
    }

    private Optional<UUID> begin(Flow flow, UUID conversationId, UUID contactId, UUID connectionId, String reason) {
        int version = flow.publishedVersion();
        Optional<UUID> id = runs.start(flow.id(), version, conversationId, contactId, connectionId, reason == null ? "" : reason);
        if (id.isEmpty()) {
            return id;
        }
        FlowDefinition definition = flows.version(flow.id(), version).orElseThrow().definition();
        Live run = new Live(id.get(), flow.name(), conversationId, contactId, connectionId, new LinkedHashMap<>(), null);
        // Its messages are the system's, whoever started it: an agent's own reply is what stops a run.
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(TenantContext.tenantId(), Text.t("automation.flows.sender", flow.name())))) {
            proceed(run, definition, definition.start());
        }
        return id;
    }

    // ---- Customers' messages ----------------------------------------------------------------------

    /**
     * Customers' new messages in the current workspace: a waiting run takes its answer; where no run is going, a message
     * that is a published flow's keyword (or comes from a click-to-WhatsApp ad, for a flow entered by ads) starts one.
     */
    void received(List<InboundMessagesReceived.Message> messages) {
        // Locked: a second batch of the same customer's messages handled meanwhile waits, then finds the run as this one left it.
        Map<UUID, FlowRun> going = runs.lockGoingIn(messages.stream().map(InboundMessagesReceived.Message::conversationId).distinct().toList());
        List<Flow> published = null;
        for (InboundMessagesReceived.Message message : messages) {
            if (message.quiet()) {
                continue;
            }
            FlowRun run = going.get(message.conversationId());
            if (run != null) {
                if ("waiting".equals(run.state())) {
                    answer(run, message);
                    going.remove(message.conversationId());
                    runs.find(run.id()).filter(FlowRun::going).ifPresent(still -> going.put(still.conversationId(), still));
                }
                continue;
            }
            if (message.texts().isEmpty() && message.referral() == null) {
                continue;
            }
            if (published == null) {
                published = flows.published();
            }
            Optional<Flow> entered = entered(published, message.texts(), message.referral() != null);
            if (entered.isPresent()) {
                String reason = message.referral() != null && entered.get().adEntry() ? Text.t("automation.flows.started.ad")
                        : Text.t("automation.flows.started.keyword");
                begin(entered.get(), message.conversationId(), message.contactId(), message.connectionId(), reason);
                runs.goingIn(List.of(message.conversationId())).values().forEach(r -> going.put(r.conversationId(), r));
            }
        }
    }

    private static Optional<Flow> entered(List<Flow> published, List<String> texts, boolean fromAd) {
        // Each text worded as keywords are kept (trimmed, single spaces, lower case), once, before the flows are looked at.
        List<String> said = (texts == null ? List.<String>of() : texts).stream()
                .map(text -> text == null ? "" : SPACES.matcher(text.strip()).replaceAll(" ").toLowerCase(Locale.ROOT)).toList();
        for (Flow flow : published) {
            for (String words : said) {
                if (flow.keywords().contains(words)) {
                    return Optional.of(flow);
                }
            }
        }
        if (fromAd) {
            return published.stream().filter(Flow::adEntry).findFirst();
        }
        return Optional.empty();
    }

    private void answer(FlowRun waiting, InboundMessagesReceived.Message message) {
        Optional<Flow.Version> version = flows.version(waiting.flowId(), waiting.version());
        FlowDefinition.Step step = version.map(v -> v.definition().step(waiting.currentStep())).orElse(null);
        if (step == null) {
            runs.at(waiting.id(), waiting.currentStep(), "stopped");
            return;
        }
        Map<String, Object> fields = message.flowAnswers() == null ? Map.of() : message.flowAnswers().answers();
        String text = message.reply() != null && message.reply().title() != null ? message.reply().title()
                : message.body() != null && !message.body().isBlank() ? message.body()
                : !fields.isEmpty() ? fields.toString() : String.join(" ", message.texts());
        Map<String, Object> answers = new LinkedHashMap<>(waiting.answers());
        answers.put(step.id(), text);
        fields.forEach((field, value) -> answers.put(step.id() + "." + field, value));
        FlowRuns.Answer last = new FlowRuns.Answer(text, message.replyId(), fields);
        runs.answered(waiting.id(), answers, last);
        runs.took(waiting.id(), step.id(), step.type(), "answered", text, message.messageId());
        timers.cancel(TIMEOUT, waiting.id().toString());
        if (!fields.isEmpty()) {
            saved.attributes(waiting.contactId(), fields);
        }
        Live run = new Live(waiting.id(), waiting.flowName(), waiting.conversationId(), waiting.contactId(), waiting.connectionId(), answers, last);
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(TenantContext.tenantId(), Text.t("automation.flows.sender", waiting.flowName())))) {
            proceed(run, version.get().definition(), step.next());
        }
    }

    // ---- Timeouts and agents ----------------------------------------------------------------------

    /** The wait of the run's {@code stepId} is over: the run follows the step's timeout branch, or ends timed out. */
    void timedOut(UUID runId, String stepId) {
        Optional<FlowRun> found = runs.lock(runId).filter(r -> "waiting".equals(r.state()) && stepId.equals(r.currentStep()));
        if (found.isEmpty()) {
            return;
        }
        FlowRun waiting = found.get();
        FlowDefinition definition = flows.version(waiting.flowId(), waiting.version()).orElseThrow().definition();
        FlowDefinition.Step step = definition.step(stepId);
        runs.took(runId, stepId, "ask", "timed_out", null, null);
        if (step == null || FlowDefinition.blank(step.onTimeout())) {
            runs.at(runId, stepId, "timed_out");
            return;
        }
        runs.at(runId, stepId, "running");
        Live run = new Live(runId, waiting.flowName(), waiting.conversationId(), waiting.contactId(), waiting.connectionId(),
                new LinkedHashMap<>(waiting.answers()), runs.lastAnswer(runId));
        proceed(run, definition, step.onTimeout());
    }

    /** A member wrote in the conversation: the run going there stops (unless the message is one a flow sent). */
    void agentReplied(UUID conversationId, UUID messageId) {
        FlowRun run = runs.lockGoingIn(List.of(conversationId)).get(conversationId);
        if (run == null || runs.inAStep(messageId)) {
            return;
        }
        runs.took(run.id(), run.currentStep() == null ? "" : run.currentStep(), "agent", "stopped_by_agent", null, messageId);
        runs.at(run.id(), run.currentStep(), "stopped");
        timers.cancel(TIMEOUT, run.id().toString());
    }

    // ---- Walking the steps ------------------------------------------------------------------------

    /** A run being walked: what its steps need. */
    private record Live(UUID id, String flowName, UUID conversationId, UUID contactId, UUID connectionId, Map<String, Object> answers,
                        FlowRuns.Answer last) {
    }

    private void proceed(Live run, FlowDefinition definition, String from) {
        String at = from;
        for (int taken = 0; ; taken++) {
            FlowDefinition.Step step = definition.step(at);
            if (step == null || taken >= MAX_STEPS_AT_ONCE) {
                runs.took(run.id(), at == null ? "" : at, step == null ? "" : step.type(), "stopped_looping", null, null);
                runs.at(run.id(), at, "stopped");
                return;
            }
            switch (step.type()) {
                case "send" -> {
                    Optional<UUID> sent = send(run, step.message());
                    runs.took(run.id(), step.id(), step.type(), sent.isPresent() ? "sent" : "not_sent", null, sent.orElse(null));
                    at = step.next();
                }
                case "ask" -> {
                    Optional<UUID> sent = send(run, step.message());
                    runs.took(run.id(), step.id(), step.type(), sent.isPresent() ? "asked" : "not_sent", null, sent.orElse(null));
                    runs.at(run.id(), step.id(), "waiting");
                    if (step.timeoutMinutes() != null) {
                        UUID tenant = TenantContext.tenantId();
                        timers.set(TIMEOUT, run.id().toString(), clock.instant().plus(Duration.ofMinutes(step.timeoutMinutes())),
                                tenant + " " + step.id());
                    }
                    return;
                }
                case "branch" -> {
                    FlowDefinition.Route route = route(step, run.last());
                    runs.took(run.id(), step.id(), step.type(), route == null ? "otherwise" : "route", route == null ? null : route.label(), null);
                    at = route == null ? step.otherwise() : route.next();
                }
                case "save" -> {
                    String answer = run.last() == null ? null : run.last().text();
                    List<String> done = new ArrayList<>();
                    if (!FlowDefinition.blank(step.attribute()) && answer != null && saved.attribute(run.contactId(), step.attribute().strip(), answer)) {
                        done.add(step.attribute().strip());
                    }
                    if (!FlowDefinition.blank(step.tag())) {
                        saved.tag(run.contactId(), fill(step.tag(), run)).ifPresent(tag -> done.add("#" + tag));
                    }
                    runs.took(run.id(), step.id(), step.type(), done.isEmpty() ? "not_saved" : "saved", String.join(", ", done), null);
                    at = step.next();
                }
                case "webhook" -> {
                    String failure = post(step.url(), run);
                    runs.took(run.id(), step.id(), step.type(), failure == null ? "succeeded" : "failed", failure, null);
                    at = failure == null ? step.next() : step.onFailure();
                }
                case "handover" -> {
                    handover(run, step);
                    runs.took(run.id(), step.id(), step.type(), "handed_over", null, null);
                    runs.at(run.id(), step.id(), "handed_over");
                    return;
                }
                default -> {
                    runs.took(run.id(), step.id(), step.type(), "ended", null, null);
                    runs.at(run.id(), step.id(), "ended");
                    return;
                }
            }
        }
    }

    private Optional<UUID> send(Live run, FlowDefinition.Message message) {
        if (message == null) {
            return Optional.empty();
        }
        String text = fill(message.text(), run);
        List<MessageToSend.Choice> choices = message.choices().stream().map(c -> new MessageToSend.Choice(c.id(), c.title())).toList();
        MessageToSend toSend = switch (message.kind() == null ? "text" : message.kind()) {
            case "buttons" -> new MessageToSend.Buttons(text, choices);
            case "list" -> new MessageToSend.ChoiceList(text, message.listButton(), List.of(new MessageToSend.Section(null, choices)));
            case "media" -> new MessageToSend.Media(message.mediaKind(), message.mediaId(), text);
            case "template" -> {
                List<MessageToSend.Parameter> parameters = new ArrayList<>();
                for (int i = 0; i < message.parameters().size(); i++) {
                    parameters.add(new MessageToSend.Parameter(String.valueOf(i + 1), fill(message.parameters().get(i), run)));
                }
                yield new MessageToSend.Template(message.template(), message.language(), List.of(), parameters);
            }
            default -> new MessageToSend.Text(text);
        };
        return sending.sendAutomaticIfAllowed(new Recipient(run.contactId(), run.connectionId()), toSend,
                new hexa.whatsapp.OutboundQueue.Sender("FLOW", run.id(), run.flowName()));
    }

    /** A text with the run's answers in it: {answer} is the last one, {step} the answer to that step. */
    private static String fill(String text, Live run) {
        if (text == null) {
            return "";
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value = "answer".equals(name) ? (run.last() == null ? "" : run.last().text()) : run.answers().get(name);
            m.appendReplacement(filled, Matcher.quoteReplacement(value == null ? m.group() : String.valueOf(value)));
        }
        m.appendTail(filled);
        return filled.toString();
    }

    static FlowDefinition.Route route(FlowDefinition.Step step, FlowRuns.Answer answer) {
        if (answer == null) {
            return null;
        }
        String text = answer.text() == null ? "" : answer.text().strip();
        for (FlowDefinition.Route route : step.routes()) {
            String value = route.value() == null ? "" : route.value().strip();
            boolean matches = switch (route.on() == null ? "" : route.on()) {
                case "reply" -> value.equals(answer.replyId());
                case "keyword" -> java.util.Arrays.stream(value.split(",")).map(String::strip)
                        .anyMatch(word -> !word.isEmpty() && word.equalsIgnoreCase(text));
                case "pattern" -> {
                    try {
                        yield Pattern.compile(value, Pattern.CASE_INSENSITIVE).matcher(text).find();
                    } catch (RuntimeException invalid) {
                        yield false;
                    }
                }
                case "field" -> {
                    Object given = answer.fields().get(route.field());
                    yield given != null && (value.isEmpty() || value.equalsIgnoreCase(String.valueOf(given)));
                }
                default -> false;
            };
            if (matches) {
                return route;
            }
        }
        return null;
    }

    private void handover(Live run, FlowDefinition.Step step) {
        UUID team = null;
        try {
            team = UUID.fromString(step.teamId().strip());
        } catch (RuntimeException notAnId) {
            log.warn("Flow {} hands over to no team: {}", run.flowName(), step.teamId());
        }
        StringBuilder note = new StringBuilder(Text.t("automation.flows.handover.note", run.flowName()));
        if (run.answers().isEmpty()) {
            note.append('\n').append(Text.t("automation.flows.handover.no-answers"));
        }
        run.answers().forEach((question, answer) -> note.append('\n').append(question).append(": ").append(answer));
        String body = note.length() > 3900 ? note.substring(0, 3900) + "…" : note.toString();
        handovers.handOver(run.conversationId(), team, body, Text.t("automation.flows.sender", run.flowName()));
    }

    /**
     * POSTs the run's answers as JSON; answers null when the receiver took them (2xx within a few seconds), else why
     * not in plain words (never tried again: the flow goes on its failure branch).
     */
    private String post(String url, Live run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("flow", run.flowName());
        body.put("runId", run.id().toString());
        body.put("conversationId", run.conversationId().toString());
        body.put("contactId", run.contactId().toString());
        body.put("answers", run.answers());
        try {
            OutboundCalls.Answer answer = outbound.postJson(url, Flows.JSON.writeValueAsString(body), Map.of("User-Agent", "Hexa-CRM-flows"));
            return answer.ok() ? null : Text.t("automation.flows.webhook.answered", answer.status());
        } catch (OutboundCalls.Refused refused) {
            log.info("Flow {}: webhook {} refused: {}", run.flowName(), url, refused.messageKey());
            return Text.t("automation.flows.webhook.refused", refused.reason());
        } catch (java.io.IOException e) {
            log.info("Flow {}: webhook {} failed: {}", run.flowName(), url, e.toString());
            return Text.t("automation.flows.webhook.unreached", e.getClass().getSimpleName());
        }
    }
}
