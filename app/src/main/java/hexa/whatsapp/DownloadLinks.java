package hexa.whatsapp;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * A link to something made for the person (the export of their data), sent on WhatsApp from the workspace's number
 * with a utility template of its own ({@value #TEMPLATE}): a template, because the person may not have written in the
 * last 24 hours. Submitted for review when the workspace first needs it ({@link #prepare()}).
 */
@Service
public class DownloadLinks {

    public static final String TEMPLATE = "hexa_download_ready";
    public static final String LANGUAGE = "en";

    private final OwnTemplates own;

    DownloadLinks(OwnTemplates own) {
        this.own = own;
    }

    public Optional<String> templateStatus() {
        return own.status(TEMPLATE, LANGUAGE);
    }

    /** Submits the template unless the account has it; answers its status. */
    public Optional<String> prepare() {
        ObjectNode template = own.newTemplate(TEMPLATE, LANGUAGE, "UTILITY");
        ((tools.jackson.databind.node.ArrayNode) template.get("components")).add(own.component().put("type", "BODY")
                .put("text", "What you asked {{1}} for is ready: {{2}} (the link works for 24 hours)."));
        return own.prepare(template);
    }

    /** Queues the link to the contact in the caller's transaction; false, sending nothing, when the template cannot be used. */
    public boolean send(UUID contactId, String businessName, String link) {
        return own.send(contactId, TEMPLATE, LANGUAGE, List.of(businessName, link), List.of());
    }
}
