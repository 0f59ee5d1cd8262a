package hexa.privacy;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.DemoConversationsSeeded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code ./hexa run --demo}: the privacy side of the sample, through the module's own services. The workspace has its
 * public privacy page (with the business's text and the periods filled in), one customer asked for their data through a
 * member (a request waiting for an Owner or Admin), and the customer disputing a replacement is on legal hold.
 */
@Component
class DemoPrivacy {

    private static final Logger log = LoggerFactory.getLogger(DemoPrivacy.class);

    static final String PAGE_TEXT = """
            # How we look after your data

            We answer your WhatsApp messages from a shared inbox. Only our team sees them.

            - Messages and files are kept {messageDays}, then deleted.
            - You can ask for a copy of your data, or for its erasure, below.
            - Write STOP at any time and we send you no more offers.
            """;

    private final PublicPages pages;
    private final PrivacyRequests requests;
    private final LegalHolds holds;
    private final ContactService contacts;
    private final hexa.whatsapp.VerificationCodes codes;
    private final hexa.whatsapp.DownloadLinks links;

    DemoPrivacy(PublicPages pages, PrivacyRequests requests, LegalHolds holds, ContactService contacts, hexa.whatsapp.VerificationCodes codes,
                hexa.whatsapp.DownloadLinks links) {
        this.codes = codes;
        this.links = links;
        this.pages = pages;
        this.requests = requests;
        this.holds = holds;
        this.contacts = contacts;
    }

    @Order(30)
    @EventListener
    void seeded(DemoConversationsSeeded demo) {
        try {
            pages.save(PAGE_TEXT, PublicPages.Rule.APPROVAL.value(), Integer.toString(PublicPages.DEFAULT_DUE_DAYS));
            // The page's form sends its code, and an export's link, through these templates (the sandbox approves them).
            codes.prepare();
            links.prepare();
            if (demo.customers().size() >= 4) {
                // Meera asked in the shop for a copy of what the business holds about her.
                requests.recordForPerson(PrivacyRequests.Kind.EXPORT.value(), "+" + demo.customers().get(2).waId());
                // Kabir's replacement is disputed: nothing about him may be purged or erased until it is settled.
                contacts.byWaId(demo.customers().get(3).waId()).ifPresent((Contact kabir) ->
                        holds.hold(kabir.id(), kabir.displayName(), "Disputed replacement: keep everything until the claim is settled."));
            }
        } catch (RuntimeException e) {
            // The sample's privacy part is a nicety; the demo works without it.
            log.warn("Could not add the privacy part of the demo: {}", e.toString());
        }
    }
}
