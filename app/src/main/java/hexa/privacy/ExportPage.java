package hexa.privacy;

import hexa.contacts.Contact;
import java.util.List;

/** What the page {@code /contacts/{id}/export} shows: the contact and its exports, newest first. */
public record ExportPage(Contact contact, List<PersonExports.Listed> exports) {

    /** Whether an export is waiting or being written (the list is then polled every second). */
    public boolean running() {
        return exports.stream().anyMatch(e -> e.job().status().equals("queued") || e.job().status().equals("running"));
    }
}
