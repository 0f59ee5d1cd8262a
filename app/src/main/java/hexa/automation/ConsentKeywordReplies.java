package hexa.automation;

import hexa.contacts.ConsentKeywords;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.whatsapp.InboundMessagesReceived;
import hexa.whatsapp.SendService;
import java.util.List;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Customers writing STOP, START or the workspace's own words are opted out or in, and told so: the
 * built-in rule that answers consent keywords. It runs after the messages are stored, in a transaction of
 * its own; its publication is recorded with them, so a crash before it completes hands it out again at the
 * next start, and a keyword is never left unanswered.
 */
@Component
class ConsentKeywordReplies {

    private final ConsentKeywords keywords;
    private final SendService sending;

    ConsentKeywordReplies(ConsentKeywords keywords, SendService sending) {
        this.keywords = keywords;
        this.sending = sending;
    }

    @ApplicationModuleListener(id = "automation.consent-keyword-replies")
    void on(InboundMessagesReceived received) {
        List<ConsentKeywords.Written> written = received.messages().stream()
                .filter(m -> !m.texts().isEmpty())
                .map(m -> new ConsentKeywords.Written(m.contactId(), m.connectionId(), m.texts()))
                .toList();
        if (written.isEmpty()) {
            return;
        }
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(received.tenantId(), "WhatsApp"))) {
            for (ConsentKeywords.Reply reply : keywords.apply(written)) {
                sending.sendAutomaticReply(reply.contactId(), reply.connectionId(), reply.text());
            }
        }
    }
}
