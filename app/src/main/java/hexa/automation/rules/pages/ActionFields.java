package hexa.automation.rules.pages;

import hexa.automation.rules.Rule.ActionKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which fields the editor shows for each kind of action, each stored under its option name in {@link
 * hexa.automation.rules.Rule.Action#options()} (the names the engine reads). One table, so that the form, its parsing and
 * the words on the list agree.
 */
public final class ActionFields {

    /** How a field is typed in: a line, lines, a number, a web address, or a choice among the workspace's things. */
    public enum Input { TEXT, LINES, NUMBER, URL, MEMBER, MEMBERS, TEAM, FLOW, TEMPLATE, TAG, ATTRIBUTE, STATUS, MEDIA_TYPE }

    /** One field: its option name, how it is typed in, and whether the action needs it. */
    public record Field(String name, Input input, boolean required) {

        public String labelKey() {
            return "automation.rules.option." + name;
        }

        public String hintKey() {
            return "automation.rules.option." + name + ".hint";
        }
    }

    private static final Map<ActionKind, List<Field>> FIELDS = new EnumMap<>(ActionKind.class);

    static {
        Field once = new Field("onceEveryHours", Input.NUMBER, false);
        FIELDS.put(ActionKind.REPLY_TEXT, List.of(new Field("text", Input.LINES, true), once));
        FIELDS.put(ActionKind.REPLY_MEDIA, List.of(new Field("kind", Input.MEDIA_TYPE, true), new Field("uploadId", Input.TEXT, true),
                new Field("caption", Input.TEXT, false), once));
        FIELDS.put(ActionKind.REPLY_BUTTONS, List.of(new Field("text", Input.LINES, true), new Field("buttons", Input.LINES, true), once));
        FIELDS.put(ActionKind.REPLY_LIST, List.of(new Field("text", Input.LINES, true), new Field("button", Input.TEXT, true),
                new Field("rows", Input.LINES, true), once));
        FIELDS.put(ActionKind.REPLY_TEMPLATE, List.of(new Field("name", Input.TEMPLATE, true), new Field("language", Input.TEXT, true),
                new Field("parameters", Input.LINES, false), once));
        FIELDS.put(ActionKind.ASSIGN_MEMBER, List.of(new Field("memberId", Input.MEMBER, true)));
        FIELDS.put(ActionKind.ASSIGN_TEAM, List.of(new Field("teamId", Input.TEAM, true)));
        FIELDS.put(ActionKind.ASSIGN_ROUND_ROBIN, List.of(new Field("teamId", Input.TEAM, false)));
        FIELDS.put(ActionKind.ADD_TAG, List.of(new Field("tag", Input.TAG, true)));
        FIELDS.put(ActionKind.REMOVE_TAG, List.of(new Field("tag", Input.TAG, true)));
        FIELDS.put(ActionKind.SET_ATTRIBUTE, List.of(new Field("key", Input.ATTRIBUTE, true), new Field("value", Input.TEXT, false)));
        FIELDS.put(ActionKind.SET_STATUS, List.of(new Field("status", Input.STATUS, true)));
        FIELDS.put(ActionKind.SNOOZE, List.of(new Field("minutes", Input.NUMBER, true)));
        FIELDS.put(ActionKind.ADD_NOTE, List.of(new Field("text", Input.LINES, true)));
        FIELDS.put(ActionKind.NOTIFY, List.of(new Field("memberIds", Input.MEMBERS, true), new Field("text", Input.LINES, false)));
        FIELDS.put(ActionKind.CALL_WEBHOOK, List.of(new Field("url", Input.URL, true), new Field("secret", Input.TEXT, false)));
        FIELDS.put(ActionKind.START_FLOW, List.of(new Field("flowId", Input.FLOW, true)));
    }

    /** The statuses an action may set (a snooze has its own action). */
    public static final List<String> STATUSES = List.of("OPEN", "PENDING", "RESOLVED");

    public static final List<String> MEDIA_TYPES = List.of("image", "video", "audio", "document", "sticker");

    private ActionFields() {
    }

    public static List<Field> of(ActionKind kind) {
        return FIELDS.getOrDefault(kind, List.of());
    }

    /** The kind's field of that name, if the editor shows one. */
    public static java.util.Optional<Field> field(ActionKind kind, String name) {
        return of(kind).stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
