package hexa.contacts;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What {@code contacts/consent-panel.jte} shows of a contact: marketing consent now (with its source and
 * time) and its history, the agent's opt-in/opt-out, and blocking. Pages that include it (the inbox's side
 * panel, the contact page) give the address to come back to after an action.
 *
 * @param back where the panel's forms return to: a path of this application (see {@link #safeBack})
 */
public record ConsentPanel(Contact contact, List<ConsentService.Event> history, String back, ZoneId zone) {

    public ConsentPanel {
        history = List.copyOf(history);
        back = safeBack(back);
    }

    public String base() {
        return "/contacts/" + contact.id();
    }

    public String marketing() {
        return contact.consent().marketing();
    }

    public String dateTime(Instant at) {
        return at == null ? "" : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(at.atZone(zone));
    }

    public String sourceLabel(String source) {
        return ConsentService.sourceLabel(source);
    }

    /** A path of this application to return to ({@code /inbox/…?…}); anything else (another site, a script) becomes the default. */
    public static String safeBack(String back) {
        if (back == null || !back.matches("/(?!/)[A-Za-z0-9/=&%._?~-]{0,600}")) {
            return "/inbox";
        }
        return back;
    }
}
