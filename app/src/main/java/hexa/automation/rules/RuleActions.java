package hexa.automation.rules;

import hexa.platform.flows.FlowStarter;
import hexa.automation.rules.Rule.Action;
import hexa.contacts.Contact;
import hexa.contacts.ContactAutomation;
import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.inbox.Conversation;
import hexa.inbox.ConversationAutomation;
import hexa.platform.web.Text;
import hexa.platform.web.UserError;
import hexa.whatsapp.MessageToSend;
import hexa.whatsapp.OutboundQueue;
import hexa.whatsapp.Recipient;
import hexa.whatsapp.SendService;
import hexa.platform.outbound.OutboundCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * What a rule's actions do, through the other modules' published services, each with its result in plain words and
 * the message it queued; and what they would do ({@link #describe}), for the test panel, without doing it.
 *
 * <p>Texts, list rows and template parameters may hold placeholders: {@code {{name}}}, {@code {{first_name}}},
 * {@code {{phone}}}, {@code {{email}}}, {@code {{company}}}, {@code {{attribute.KEY}}}, each with an optional
 * fallback for when the contact has no such value: {@code {{name|there}}}.
 */
@Component
class RuleActions {

    static final String SIGNATURE_HEADER = "X-Hexa-Signature-256";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_.]*)\\s*(?:\\|([^}]*))?}}");

    private final SendService sending;
    private final ConversationAutomation conversations;
    private final ContactAutomation contacts;
    private final MemberService members;
    private final FlowStarter flows;
    private final OutboundCalls outbound;

    RuleActions(SendService sending, ConversationAutomation conversations, ContactAutomation contacts, MemberService members,
                FlowStarter flows, OutboundCalls outbound) {
        this.sending = sending;
        this.conversations = conversations;
        this.contacts = contacts;
        this.members = members;
        this.flows = flows;
        this.outbound = outbound;
    }

    /** A button or list row: the id its answer brings back, its title, an optional description. */
    record Choice(String id, String title, String description) {
    }

    /** What an action changed that raises an event rules may listen to: the loop guard marks it. */
    record Echo(UUID subjectId, Rule.TriggerKind trigger) {
    }

    /** An action's result, and the events it will raise. */
    record Done(RuleLog.ActionResult result, List<Echo> echoes) {
    }

    Done run(Rule rule, Action action, Facts facts) {
        UUID conversation = facts.conversationId();
        UUID contact = facts.contactId();
        switch (action.kind()) {
            case REPLY_TEXT, REPLY_MEDIA, REPLY_BUTTONS, REPLY_LIST, REPLY_TEMPLATE -> {
                MessageToSend message = message(action, facts);
                UUID id = sending.sendAutomatic(new Recipient(contact, facts.connectionId()), message,
                        new OutboundQueue.Sender("RULE", rule.id(), rule.name()));
                return done(action, Text.t("automation.rules.did.reply", summary(message)), id);
            }
            case ASSIGN_MEMBER -> {
                UUID member = UUID.fromString(action.option("memberId").strip());
                boolean changes = !member.equals(now(conversation).assigneeId());
                conversations.assign(conversation, member);
                return done(action, Text.t("automation.rules.did.assigned", memberName(member)), null,
                        changes ? new Echo[] {new Echo(conversation, Rule.TriggerKind.CONVERSATION_ASSIGNED)} : new Echo[0]);
            }
            case ASSIGN_TEAM -> {
                UUID team = UUID.fromString(action.option("teamId").strip());
                boolean changes = !team.equals(now(conversation).teamId());
                conversations.assignTeam(conversation, team);
                return done(action, Text.t("automation.rules.did.team"), null,
                        changes ? new Echo[] {new Echo(conversation, Rule.TriggerKind.CONVERSATION_ASSIGNED)} : new Echo[0]);
            }
            case ASSIGN_ROUND_ROBIN -> {
                String team = action.option("teamId");
                Optional<Member> given = conversations.assignRoundRobin(need(conversation), team == null || team.isBlank() ? null : UUID.fromString(team.strip()));
                if (given.isEmpty()) {
                    return failed(action, Text.t("automation.rules.did.nobody-available"));
                }
                return done(action, Text.t("automation.rules.did.assigned", given.get().name()), null,
                        new Echo(conversation, Rule.TriggerKind.CONVERSATION_ASSIGNED));
            }
            case ADD_TAG -> {
                String tag = fill(action.option("tag"), facts);
                // Only a tag the contact did not have raises an event for rules to hear.
                return contacts.addTag(need(contact), tag)
                        ? done(action, Text.t("automation.rules.did.tagged", tag), null, new Echo(contact, Rule.TriggerKind.TAG_ADDED))
                        : done(action, Text.t("automation.rules.did.had-tag", tag), null);
            }
            case REMOVE_TAG -> {
                boolean had = contacts.removeTag(need(contact), action.option("tag"));
                return done(action, Text.t(had ? "automation.rules.did.untagged" : "automation.rules.did.not-tagged", action.option("tag")), null);
            }
            case SET_ATTRIBUTE -> {
                String value = fill(action.option("value"), facts);
                contacts.setAttribute(need(contact), action.option("key").strip(), value);
                return done(action, Text.t("automation.rules.did.attribute", action.option("key"), value == null ? "" : value), null);
            }
            case SET_STATUS -> {
                Conversation.Status status = Conversation.Status.valueOf(action.option("status").strip().toUpperCase(Locale.ROOT));
                Conversation.Status before = now(conversation).status();
                conversations.setStatus(conversation, status);
                Rule.TriggerKind raised = status == Conversation.Status.RESOLVED && before != Conversation.Status.RESOLVED
                        ? Rule.TriggerKind.CONVERSATION_RESOLVED
                        : status == Conversation.Status.OPEN && before == Conversation.Status.RESOLVED ? Rule.TriggerKind.CONVERSATION_REOPENED : null;
                return raised == null ? done(action, Text.t("automation.rules.did.status", status.name()), null)
                        : done(action, Text.t("automation.rules.did.status", status.name()), null, new Echo(conversation, raised));
            }
            case SNOOZE -> {
                int minutes = Integer.parseInt(action.option("minutes").strip());
                conversations.snooze(need(conversation), facts.now.plus(Duration.ofMinutes(minutes)));
                return done(action, Text.t("automation.rules.did.snoozed", minutes), null);
            }
            case ADD_NOTE -> {
                conversations.note(need(conversation), Text.t("automation.rules.note-by", rule.name()), fill(action.option("text"), facts), List.of());
                return done(action, Text.t("automation.rules.did.note"), null);
            }
            case NOTIFY -> {
                List<UUID> notified = list(action.option("memberIds")).stream().map(UUID::fromString).toList();
                String text = action.option("text") == null || action.option("text").isBlank() ? Text.t("automation.rules.notify-default", rule.name())
                        : fill(action.option("text"), facts);
                conversations.note(need(conversation), Text.t("automation.rules.note-by", rule.name()), text, notified);
                return done(action, Text.t("automation.rules.did.notified", notified.size()), null);
            }
            case CALL_WEBHOOK -> {
                return webhook(rule, action, facts);
            }
            case START_FLOW -> {
                Optional<UUID> run = flows.start(new FlowStarter.Start(need(conversation), contact, facts.connectionId(),
                        UUID.fromString(action.option("flowId").strip()), Text.t("automation.rules.flow-reason", rule.name())));
                return run.isPresent() ? done(action, Text.t("automation.rules.did.flow", run.get()), null)
                        : failed(action, Text.t("automation.rules.did.flow-not-started"));
            }
            default -> {
                return failed(action, "");
            }
        }
    }

    /** What the action would do, in words, without doing it. */
    String describe(Rule rule, Action action, Facts facts) {
        return switch (action.kind()) {
            case REPLY_TEXT, REPLY_MEDIA, REPLY_BUTTONS, REPLY_LIST, REPLY_TEMPLATE ->
                    Text.t("automation.rules.would.reply", summary(message(action, facts)));
            case ASSIGN_MEMBER -> Text.t("automation.rules.would.assign", memberName(UUID.fromString(action.option("memberId").strip())));
            case ASSIGN_TEAM -> Text.t("automation.rules.would.team", action.option("teamId"));
            case ASSIGN_ROUND_ROBIN -> Text.t("automation.rules.would.round-robin");
            case ADD_TAG -> Text.t("automation.rules.would.tag", fill(action.option("tag"), facts));
            case REMOVE_TAG -> Text.t("automation.rules.would.untag", action.option("tag"));
            case SET_ATTRIBUTE -> Text.t("automation.rules.would.attribute", action.option("key"), String.valueOf(fill(action.option("value"), facts)));
            case SET_STATUS -> Text.t("automation.rules.would.status", action.option("status"));
            case SNOOZE -> Text.t("automation.rules.would.snooze", action.option("minutes"));
            case ADD_NOTE -> Text.t("automation.rules.would.note", fill(action.option("text"), facts));
            case NOTIFY -> Text.t("automation.rules.would.notify", list(action.option("memberIds")).size());
            case CALL_WEBHOOK -> outbound.refusal(action.option("url")).map(reason -> Text.t("automation.rules.would.webhook-refused", reason))
                    .orElseGet(() -> Text.t("automation.rules.would.webhook", action.option("url")));
            case START_FLOW -> Text.t("automation.rules.would.flow", flowName(action.option("flowId")));
        };
    }

    MessageToSend message(Action action, Facts facts) {
        return switch (action.kind()) {
            case REPLY_TEXT -> new MessageToSend.Text(fill(action.option("text"), facts));
            case REPLY_MEDIA -> new MessageToSend.Media(action.option("kind").strip().toLowerCase(Locale.ROOT), action.option("uploadId").strip(),
                    fill(action.option("caption"), facts));
            case REPLY_BUTTONS -> new MessageToSend.Buttons(fill(action.option("text"), facts),
                    choices(action.option("buttons")).stream().map(c -> new MessageToSend.Choice(c.id(), fill(c.title(), facts))).toList());
            case REPLY_LIST -> new MessageToSend.ChoiceList(fill(action.option("text"), facts), action.option("button").strip(),
                    List.of(new MessageToSend.Section(null, choices(action.option("rows")).stream()
                            .map(c -> new MessageToSend.Choice(c.id(), fill(c.title(), facts), c.description())).toList())));
            case REPLY_TEMPLATE -> new MessageToSend.Template(action.option("name").strip(), action.option("language").strip(),
                    parameters(action, "header.", facts), parameters(action, "body.", facts));
            default -> throw new IllegalArgumentException(action.kind() + " sends nothing");
        };
    }

    /** The template's parameters of one component, from the options {@code body.1}, {@code body.2}… or {@code body.order}, in order. */
    private List<MessageToSend.Parameter> parameters(Action action, String prefix, Facts facts) {
        List<Map.Entry<String, String>> given = new ArrayList<>();
        action.options().forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                given.add(Map.entry(key.substring(prefix.length()), value));
            }
        });
        given.sort((a, b) -> {
            boolean an = a.getKey().chars().allMatch(Character::isDigit);
            boolean bn = b.getKey().chars().allMatch(Character::isDigit);
            if (an && bn) {
                return Integer.compare(Integer.parseInt(a.getKey()), Integer.parseInt(b.getKey()));
            }
            return an != bn ? (an ? -1 : 1) : a.getKey().compareTo(b.getKey());
        });
        return given.stream().map(e -> new MessageToSend.Parameter(e.getKey(), fill(e.getValue(), facts))).toList();
    }

    /** Fills the placeholders from the contact; a value the contact lacks takes the fallback, or nothing. */
    static String fill(String text, Facts facts) {
        if (text == null) {
            return null;
        }
        Optional<Contact> contact = facts.contact();
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String fallback = m.group(2) == null ? "" : m.group(2).strip();
            String value = contact.map(c -> field(c, m.group(1))).orElse(null);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null || value.isBlank() ? fallback : value.strip()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String field(Contact c, String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.startsWith("attribute.")) {
            Object value = c.attributes().get(name.substring("attribute.".length()));
            return value == null ? null : String.valueOf(value);
        }
        return switch (key) {
            case "name" -> c.name() != null && !c.name().isBlank() ? c.name() : c.profileName();
            case "first_name" -> {
                String full = c.name() != null && !c.name().isBlank() ? c.name() : c.profileName();
                yield full == null ? null : full.strip().split("\\s+")[0];
            }
            case "phone" -> c.phoneE164();
            case "email" -> c.email();
            case "company" -> c.company();
            default -> null;
        };
    }

    /** Buttons or rows written one per line or separated by "|": {@code Title}, {@code id:Title} or {@code id:Title:Description}. */
    static List<Choice> choices(String written) {
        List<Choice> choices = new ArrayList<>();
        if (written == null) {
            return choices;
        }
        for (String part : written.split("[|\\n]")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            String[] bits = item.split(":", 3);
            if (bits.length == 1) {
                choices.add(new Choice(slug(item, choices.size()), item, null));
            } else {
                String description = bits.length == 3 && !bits[2].isBlank() ? bits[2].strip() : null;
                choices.add(new Choice(bits[0].strip().isEmpty() ? slug(bits[1], choices.size()) : bits[0].strip(), bits[1].strip(), description));
            }
        }
        return choices;
    }

    private static String slug(String title, int index) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? "choice-" + (index + 1) : slug.length() > 200 ? slug.substring(0, 200) : slug;
    }

    /** Ids separated by commas, spaces or new lines. */
    static List<String> list(String written) {
        List<String> items = new ArrayList<>();
        if (written != null) {
            for (String part : written.split("[,\\s]+")) {
                if (!part.isBlank()) {
                    items.add(part.strip());
                }
            }
        }
        return items;
    }

    private Done webhook(Rule rule, Action action, Facts facts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "automation.rule_fired");
        body.put("rule", Map.of("id", rule.id().toString(), "name", rule.name()));
        body.put("trigger", facts.situation.trigger().name());
        body.put("workspaceId", facts.tenant.toString());
        body.put("conversationId", facts.conversationId() == null ? null : facts.conversationId().toString());
        body.put("contactId", facts.contactId() == null ? null : facts.contactId().toString());
        body.put("messageId", facts.messageId() == null ? null : facts.messageId().toString());
        body.put("text", facts.situation.message() == null ? null : facts.situation.message().body());
        body.put("tag", facts.situation.tag());
        body.put("at", facts.now.toString());
        String json = RuleJson.write(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "HexaCRM-Automation");
        String secret = action.option("secret");
        if (secret != null && !secret.isBlank()) {
            headers.put(SIGNATURE_HEADER, "sha256=" + sign(secret, json));
        }
        try {
            OutboundCalls.Answer answer = outbound.postJson(action.option("url"), json, headers);
            return new Done(new RuleLog.ActionResult(action.kind(), answer.ok(), Text.t("automation.rules.did.webhook", answer.status()), null), List.of());
        } catch (OutboundCalls.Refused refused) {
            return failed(action, Text.t("automation.rules.did.webhook-refused", refused.reason()));
        } catch (java.io.IOException e) {
            return failed(action, Text.t("automation.rules.did.webhook-failed", e.getClass().getSimpleName()));
        }
    }

    /** HMAC-SHA256 of the body with the rule's secret, in hex (as Meta signs its webhooks). */
    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String memberName(UUID id) {
        return members.members().stream().filter(m -> m.userId().equals(id)).map(Member::name).findFirst().orElse(id.toString());
    }

    private String flowName(String id) {
        return flows.published().stream().filter(f -> f.id().toString().equals(id == null ? "" : id.strip())).map(FlowStarter.FlowChoice::name)
                .findFirst().orElse(id);
    }

    static String summary(MessageToSend message) {
        if (message instanceof MessageToSend.Text t) {
            return t.body();
        }
        if (message instanceof MessageToSend.Media m) {
            return m.kind() + (m.caption() == null || m.caption().isBlank() ? "" : ": " + m.caption());
        }
        if (message instanceof MessageToSend.Buttons b) {
            return b.body() + " [" + String.join(" | ", b.buttons().stream().map(MessageToSend.Choice::title).toList()) + "]";
        }
        if (message instanceof MessageToSend.ChoiceList l) {
            return l.body() + " [" + l.button() + "]";
        }
        if (message instanceof MessageToSend.Template t) {
            return t.name() + " (" + t.language() + ")"
                    + (t.body() == null || t.body().isEmpty() ? "" : ": " + String.join(", ", t.body().stream().map(MessageToSend.Parameter::value).toList()));
        }
        return "";
    }

    /** The conversation as it is now (an earlier action may have changed it). */
    private Conversation now(UUID id) {
        return conversations.find(need(id)).orElseThrow(() -> UserError.invalid("automation.rules.did.no-conversation"));
    }

    private static UUID need(UUID id) {
        if (id == null) {
            throw UserError.invalid("automation.rules.did.no-conversation");
        }
        return id;
    }

    private static Done done(Action action, String detail, UUID messageId, Echo... echoes) {
        return new Done(new RuleLog.ActionResult(action.kind(), true, detail, messageId), List.of(echoes));
    }

    private static Done failed(Action action, String detail) {
        return new Done(new RuleLog.ActionResult(action.kind(), false, detail, null), List.of());
    }
}
